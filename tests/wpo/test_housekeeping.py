"""The daily clearing up: what the app kept for a while goes when its time is past, and what is
still in use stays; an e-mail that lost its task gets one again."""

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
from tests.factories import (
    CertificateBatchFactory,
    CertificateFactory,
    MailFactory,
    MeetingFactory,
)
from trajects.mail import deliver
from trajects.models import Mail


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


# E-mails


def kept_mail(**fields):
    return MailFactory(**fields).pk


@pytest.mark.django_db
def test_e_mails_sent_or_given_up_on_a_month_ago_go_and_the_others_stay():
    old_sent = kept_mail(sent_at=days_ago(31))
    old_failed = kept_mail(failed_at=days_ago(31), error="ConnectionRefusedError")
    recent = kept_mail(sent_at=days_ago(3))
    waiting = kept_mail()
    coming = MeetingFactory(scheduled_at=timezone.now() + datetime.timedelta(days=20))
    invitation = kept_mail(sent_at=days_ago(40), meeting=coming)

    output = housekeeping()

    kept = set(Mail.objects.values_list("pk", flat=True))
    assert kept == {recent, waiting, invitation}
    assert not kept & {old_sent, old_failed}
    assert "2 old e-mail(s) cleared away" in output


@pytest.mark.django_db
def test_an_invitation_goes_a_month_after_its_meeting():
    past = MeetingFactory(scheduled_at=days_ago(35))
    kept_mail(sent_at=days_ago(40), meeting=past)

    housekeeping("--mail-days", "30")

    assert not Mail.objects.exists()


@pytest.mark.django_db
def test_an_e_mail_whose_task_got_lost_is_handed_to_the_worker_again():
    lost = MailFactory(created_at=days_ago(1))
    tried = MailFactory(created_at=days_ago(1), attempts=3)
    deliver.using(run_after=timezone.now() + datetime.timedelta(hours=3)).enqueue(tried.pk)
    MailFactory()  # just written: its first task may still come
    MailFactory(created_at=days_ago(1), sent_at=days_ago(1))

    output = housekeeping()

    tasks = DBTaskResult.objects.filter(task_path=deliver.module_path)
    handed = sorted(task.args_kwargs["args"][0] for task in tasks)
    assert handed == sorted([lost.pk, tried.pk])
    assert "1 e-mail(s) without a task handed to the worker again" in output


@pytest.mark.django_db
def test_the_e_mail_handed_again_goes_out(mailoutbox):
    lost = MailFactory(created_at=days_ago(1))

    housekeeping()
    (task,) = DBTaskResult.objects.filter(task_path=deliver.module_path)
    deliver.call(*task.args_kwargs["args"])

    assert [message.to for message in mailoutbox] == [[lost.address]]
