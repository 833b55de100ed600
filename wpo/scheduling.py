"""Scheduled commands (`backup`, `anonymise`, `send_reminders`) run once per period, however
many machines start them: cron on two machines for failover must not send every e-mail twice.

The first machine to insert the `ScheduledRun` row for (job, period) runs the job; the others
find it and stop. The row is removed when the job fails, so the next start tries again, and a
run that has been going for longer than STALE was cut off (its machine went away): the next
start takes it over."""

import datetime
import socket
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.utils import timezone

from wpo.models import ScheduledRun

STALE = datetime.timedelta(hours=6)


def today() -> str:
    return timezone.localdate().isoformat()


def this_week() -> str:
    year, week, _ = timezone.localdate().isocalendar()
    return f"{year}-W{week:02d}"


def _take(job: str, period: str) -> ScheduledRun | None:
    now = timezone.now()
    try:
        with transaction.atomic():
            return ScheduledRun.objects.create(
                job=job, period=period, host=socket.gethostname(), started_at=now
            )
    except IntegrityError:
        pass
    cut_off = ScheduledRun.objects.filter(
        job=job, period=period, finished_at__isnull=True, started_at__lt=now - STALE
    )
    if cut_off.update(host=socket.gethostname(), started_at=now):
        return ScheduledRun.objects.get(job=job, period=period)
    return None


def done_by(job: str, period: str) -> str:
    """Who has the period's run, in words for the command's output."""
    run = ScheduledRun.objects.filter(job=job, period=period).first()
    if run is None:
        return f"{job} for {period}: no run"
    state = "done" if run.finished_at else "running"
    started = timezone.localtime(run.started_at)
    return f"{job} for {period}: {state} on {run.host or '?'} since {started:%H:%M:%S}"


@contextmanager
def once(job: str, period: str) -> Iterator[ScheduledRun | None]:
    """The block runs the job when this machine took the period's run (it gets the row), and
    does nothing when another machine has it (it gets None)."""
    run = _take(job, period)
    if run is None:
        yield None
        return
    try:
        yield run
    except BaseException:
        ScheduledRun.objects.filter(pk=run.pk).delete()
        raise
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at"])
