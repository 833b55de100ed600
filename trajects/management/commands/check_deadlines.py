"""Do the clock dates kept on the trajectories (`trajects.deadlines`) still say what their
rows say? The services keep them; a change made past them (the admin, a bulk load, a repair
in the database) would leave the coach's signals and the trainer's to-do list reading old
dates. Lists every difference and exits 1 when there is one; `--fix` stores the dates again."""

from django.core.management.base import BaseCommand, CommandError

from trajects import deadlines
from trajects.models import Trajectory


class Command(BaseCommand):
    help = (
        "Work the clock dates of every trajectory out from its conversations, phase changes, "
        "pauses and assignments, and report each stored date that differs (exit 1). --fix "
        "stores them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Store the dates worked out.")

    def handle(self, *args, fix, **options):
        trajectories = Trajectory.objects.all()
        found = deadlines.drift(trajectories)
        for pk, field, stored, expected in found:
            self.stdout.write(f"trajectory {pk}: {field} is {stored}, the rows say {expected}")
        if found and fix:
            changed = deadlines.refresh_all(trajectories)
            self.stdout.write(f"{len(found)} date(s) of {changed} trajectories stored again.")
        elif found:
            raise CommandError(f"{len(found)} stored date(s) differ from the rows.")
        else:
            self.stdout.write(f"{trajectories.count()} trajectories: no drift.")
