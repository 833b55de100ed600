"""The daily clearing up (docs/deploy.md has the cron line): what the app keeps for a while and
no longer needs. Safe on several machines at once and any number of times a day: each step
removes only what is past its time.

Like `demo`, this command sits at the project level: it reaches into every app's tables."""

import datetime

from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from certificates.models import CertificateBatch
from trajects import mail
from wpo.tasks import recover_stale_tasks


class Command(BaseCommand):
    help = (
        "Clear expired sessions, finished background-task results older than --task-days and "
        "batches of printed certificates (their PDFs) older than --batch-days and e-mails "
        "sent or given up on more than --mail-days ago; take up the tasks of workers that "
        "stopped, and hand the worker again the e-mails whose task got lost. Meant for a "
        "daily cron job."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--task-days",
            type=int,
            default=14,
            help="Keep finished task results this many days (default 14).",
        )
        parser.add_argument(
            "--batch-days",
            type=int,
            default=30,
            help="Keep printed batches of certificates this many days (default 30).",
        )
        parser.add_argument(
            "--mail-days",
            type=int,
            default=30,
            help="Keep e-mails sent or given up on this many days (default 30).",
        )

    def handle(self, *args, task_days, batch_days, mail_days, **options):
        if min(task_days, batch_days, mail_days) < 1:
            raise CommandError("--task-days, --batch-days and --mail-days must be 1 or more.")
        now = timezone.now()
        sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
        taken_up, failed = recover_stale_tasks()
        results, _ = (
            DBTaskResult.objects.finished()
            .filter(finished_at__lt=now - datetime.timedelta(days=task_days))
            .delete()
        )
        # a batch is a print job: its PDF holds names, and the certificates themselves stay
        batches = CertificateBatch.objects.filter(
            requested_at__lt=now - datetime.timedelta(days=batch_days)
        )
        batch_count = batches.count()
        batches.delete()
        mails = mail.clear_old(mail_days)
        lost = mail.send_lost()
        self.stdout.write(
            f"{sessions} expired session(s), {results} finished task result(s) and "
            f"{batch_count} batch(es) of certificates removed; {mails} old e-mail(s) cleared "
            f"away; {taken_up} cut-off task(s) taken up again, {failed} failed; {lost} "
            f"e-mail(s) without a task handed to the worker again."
        )
