"""A worker killed in the middle of a batch (the machine went down, `kill -9`): another worker
takes the batch up and finishes it. Real `manage.py db_worker` processes, each with its own
database connection, on the suite's own database (SQLite file or PostgreSQL)."""

import os
import signal
import subprocess
import sys
import time
import urllib.parse

import pytest
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from certificates.models import CertificateBatch
from certificates.services import request_batch
from tests.factories import CertificateFactory, UserFactory
from tests.serving import ROOT, production_environment

pytestmark = pytest.mark.long

# enough pages that the first worker is still busy when it is killed
CERTIFICATES = 30
# the other worker takes up a task whose worker has been silent this long
TIMEOUT_SECONDS = "3"


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = urllib.parse.quote(settings["USER"] or "")
    password = urllib.parse.quote(settings["PASSWORD"] or "")
    login = f"{user}:{password}@" if password else f"{user}@" if user else ""
    return f"postgres://{login}{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}"


WORKER = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]


def start_worker(environment, worker_id) -> subprocess.Popen:
    return subprocess.Popen(
        [*WORKER, "--interval", "0.2", "--worker-id", worker_id],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition, worker, seconds=90):
    deadline = time.monotonic() + seconds
    while not condition():
        if worker.poll() is not None:
            pytest.fail(f"the worker stopped:\n{worker.stderr.read()}")
        if time.monotonic() > deadline:
            pytest.fail("waited too long")
        time.sleep(0.05)


@pytest.mark.timeout(240)
@pytest.mark.usefixtures("weasyprint")
@pytest.mark.django_db(transaction=True)
def test_a_batch_whose_worker_was_killed_is_finished_by_another_worker(static_root):
    certificates = [CertificateFactory() for _ in range(CERTIFICATES)]
    batch = request_batch(
        certificates, title="Afsluiting", site_url="https://wpo.example.nl", by=UserFactory()
    )
    task = DBTaskResult.objects.filter(pk=batch.task_id)
    environment = production_environment(
        static_root, database_url(), WPO_TASK_TIMEOUT_SECONDS=TIMEOUT_SECONDS
    )

    first = start_worker(environment, "first")
    try:
        wait_for(lambda: task.get().status == TaskResultStatus.RUNNING, first)
        os.kill(first.pid, signal.SIGKILL)
    finally:
        first.kill()
        first.wait()
    batch.refresh_from_db()
    assert not batch.is_ready
    assert task.get().status == TaskResultStatus.RUNNING  # for ever, without another worker

    second = start_worker(environment, "second")
    try:
        wait_for(lambda: CertificateBatch.objects.ready().filter(pk=batch.pk).exists(), second)
    finally:
        second.terminate()
        second.wait(timeout=30)

    finished = task.get()
    assert finished.status == TaskResultStatus.SUCCESSFUL
    assert finished.worker_ids == ["first", "second"]
    batch.refresh_from_db()
    assert bytes(batch.pdf).startswith(b"%PDF")
