"""Background work that survives its worker (`manage.py db_worker`, docs/deploy.md).

Each worker renews its sign of life (`WorkerBeat`) while it runs, and looks for tasks whose
worker fell silent: a worker killed in the middle of a task leaves it "running" for ever, and no
other worker would take it. Such a task is taken up again, or marked failed once it has been
tried WPO_TASK_ATTEMPTS times, so the page waiting for it stops waiting and offers to try again.
"""

import datetime
import logging
import threading

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from wpo.models import WorkerBeat

logger = logging.getLogger(__name__)

WORKER_LOST = "wpo.tasks.WorkerLost"


def beat(worker_id: str) -> None:
    WorkerBeat.objects.update_or_create(worker_id=worker_id, defaults={"beat_at": timezone.now()})


def recover_stale_tasks() -> tuple[int, int]:
    """Take up again, or fail, the running tasks whose worker fell silent. Returns how many of
    each. Safe to run on several machines at once: each task changes only from the state read."""
    now = timezone.now()
    silent_since = now - datetime.timedelta(seconds=settings.WPO_TASK_TIMEOUT_SECONDS)
    alive = set(
        WorkerBeat.objects.filter(beat_at__gte=silent_since).values_list("worker_id", flat=True)
    )
    taken_up = failed = 0
    for task in DBTaskResult.objects.running().filter(started_at__lt=silent_since):
        if task.worker_ids and task.worker_ids[-1] in alive:
            continue  # a long task of a worker that is still there
        unchanged = DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
        )
        if len(task.worker_ids) < settings.WPO_TASK_ATTEMPTS:
            taken_up += unchanged.update(status=TaskResultStatus.READY, started_at=None)
        else:
            failed += unchanged.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=WORKER_LOST,
                traceback=f"The worker stopped during the task, {len(task.worker_ids)} times.",
            )
    # workers gone for a day are not coming back
    WorkerBeat.objects.filter(beat_at__lt=now - datetime.timedelta(days=1)).delete()
    if taken_up or failed:
        logger.warning("event=stale_tasks taken_up=%d failed=%d", taken_up, failed)
    return taken_up, failed


def beat_interval() -> float:
    return settings.WPO_TASK_TIMEOUT_SECONDS / 4


class Heart(threading.Thread):
    """Beside the worker's loop, which is busy while a task runs: the sign of life, and the
    look for other workers' cut-off tasks, every quarter of the timeout."""

    def __init__(self, worker_id: str):
        super().__init__(name="wpo-worker-beat", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self):
        try:
            while True:
                try:
                    beat(self.worker_id)
                    recover_stale_tasks()
                except DatabaseError:
                    # the database away for a moment: the next beat tries again
                    logger.exception("event=worker_beat_failed")
                if self.stopped.wait(beat_interval()):
                    return
        finally:
            connection.close()

    def stop(self):
        self.stopped.set()
        self.join()
