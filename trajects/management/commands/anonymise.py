from django.conf import settings
from django.core.management.base import BaseCommand

from trajects import privacy
from wpo import scheduling


class Command(BaseCommand):
    help = (
        "Anonymise the participants whose last trajectory closed or stopped more than "
        "WPO_RETENTION_YEARS ago: names and written texts go, dates and levels stay. "
        "Meant for a daily cron job; --dry-run shows what would happen and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report only; change nothing.")
        parser.add_argument(
            "--again", action="store_true", help="Run even when today's run was done already."
        )

    def handle(self, *args, dry_run, again, **options):
        if dry_run or again:
            self.anonymise(dry_run)
            return
        # cron may start it on several machines: one of them does the day's work
        with scheduling.once("anonymise", scheduling.today()) as run:
            if run is None:
                self.stdout.write(
                    f"Nothing to do: {scheduling.done_by('anonymise', scheduling.today())}."
                )
                return
            self.anonymise(dry_run)

    def anonymise(self, dry_run):
        people = list(privacy.due_for_anonymising())
        for person in people:
            counts = privacy.anonymise(person, dry_run=dry_run)
            # ids only: this output may end up in a log
            details = ", ".join(f"{count} {what}" for what, count in counts.items())
            self.stdout.write(f"participant #{person.pk}: {details}")
        ended_before = privacy.retention_start()
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{len(people)} participant(s) {verb} anonymised: every trajectory ended before "
            f"{ended_before:%Y-%m-%d} ({settings.WPO_RETENTION_YEARS} years of retention)."
        )
