"""The daily clearing up: what the app kept for a while goes when its time is past, and what is
still in use stays."""

import datetime
import io

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from certificates.models import Certificate, CertificateBatch
from certificates.tasks import render_batch
from tests.factories import CertificateBatchFactory, CertificateFactory


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def housekeeping(*args) -> str:
    out = io.StringIO()
    call_command("housekeeping", *args, stdout=out)
    return out.getvalue()


def session(expires):
    store = SessionStore()
    store.create()
    Session.objects.filter(pk=store.session_key).update(expire_date=expires)
    return store.session_key


def task_result(status, finished_days_ago):
    result = DBTaskResult.objects.get(pk=render_batch.enqueue(0).id)
    result.status = status
    result.finished_at = days_ago(finished_days_ago) if finished_days_ago is not None else None
    result.save()
    return result


@pytest.mark.django_db
def test_expired_sessions_go_and_current_ones_stay():
    session(days_ago(1))
    current = session(timezone.now() + datetime.timedelta(hours=2))

    housekeeping()

    assert list(Session.objects.values_list("pk", flat=True)) == [current]


@pytest.mark.django_db
def test_finished_task_results_go_after_two_weeks_and_waiting_ones_stay():
    old = task_result(TaskResultStatus.SUCCESSFUL, 15)
    old_failure = task_result(TaskResultStatus.FAILED, 20)
    recent = task_result(TaskResultStatus.SUCCESSFUL, 3)
    waiting = task_result(TaskResultStatus.READY, None)

    housekeeping()

    kept = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert kept == {recent.pk, waiting.pk}
    assert not kept & {old.pk, old_failure.pk}


@pytest.mark.django_db
def test_printed_batches_go_after_a_month_and_their_certificates_stay():
    certificate = CertificateFactory()
    old = CertificateBatchFactory(pdf=b"%PDF", finished_at=days_ago(40))
    old.certificates.add(certificate)
    CertificateBatch.objects.filter(pk=old.pk).update(requested_at=days_ago(40))
    recent = CertificateBatchFactory(pdf=b"%PDF", finished_at=days_ago(2))

    output = housekeeping()

    assert list(CertificateBatch.objects.all()) == [recent]
    assert Certificate.objects.filter(pk=certificate.pk).exists()
    assert "1 batch(es) of certificates removed" in output


@pytest.mark.django_db
def test_the_periods_are_options():
    CertificateBatch.objects.filter(pk=CertificateBatchFactory().pk).update(
        requested_at=days_ago(10)
    )

    housekeeping("--batch-days", "7")

    assert not CertificateBatch.objects.exists()


@pytest.mark.django_db
def test_a_task_cut_off_with_its_worker_is_taken_up_again():
    cut_off = task_result(TaskResultStatus.RUNNING, None)
    DBTaskResult.objects.filter(pk=cut_off.pk).update(started_at=days_ago(1), worker_ids=["killed"])

    output = housekeeping()

    assert DBTaskResult.objects.get(pk=cut_off.pk).status == TaskResultStatus.READY
    assert "1 cut-off task(s) taken up again" in output


@pytest.mark.django_db
def test_a_period_of_zero_days_is_refused():
    with pytest.raises(CommandError, match="1 or more"):
        housekeeping("--task-days", "0")
