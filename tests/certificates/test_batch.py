"""Printing the certificates for a closing in one PDF: chosen on a page, made by the worker
(`manage.py db_worker`), downloaded when ready."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from certificates import documents
from certificates.models import CertificateBatch
from tests.certificates.conftest import count_queries
from tests.factories import (
    CertificateBatchFactory,
    CertificateFactory,
    MeetingAttendanceFactory,
    MeetingFactory,
    TrajectoryFactory,
)
from trajects.models import MeetingKind
from wpo.models import AuditAction, AuditEvent
from wpo.tasks import beat, recover_stale_tasks

NEW = reverse("certificates:batch_new")


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


# The worker closes its database connection after a task, as it should: these tests commit.
with_worker = pytest.mark.django_db(transaction=True)


@pytest.fixture
def certificates(world):
    return [
        CertificateFactory(trajectory=trajectory)
        for trajectory in (world.trajectory, world.colleague_trajectory)
    ]


def test_a_closing_selects_the_certificates_of_its_invitees(client, world, certificates):
    closing = MeetingFactory(kind=MeetingKind.CLOSING, organiser=world.coach)
    closing.departments.add(world.department)
    MeetingAttendanceFactory(meeting=closing, person=world.trajectory.participant)
    client.force_login(world.coach.user)

    page = client.get(NEW, {"meeting": closing.pk}).content.decode()

    assert certificates[0].participant_name in page
    assert certificates[1].participant_name not in page


def test_a_department_selects_its_certificates(client, world, certificates):
    other = CertificateFactory(trajectory=world.other_trajectory)
    client.force_login(world.project_manager.user)

    page = client.get(NEW, {"department": world.department.pk}).content.decode()

    assert all(certificate.participant_name in page for certificate in certificates)
    assert other.participant_name not in page


def test_revoked_certificates_are_not_offered(client, world, certificates):
    certificates[0].revoked_at = timezone.now()
    certificates[0].revoked_reason = "Fout in naam"
    certificates[0].save()
    client.force_login(world.coach.user)

    page = client.get(NEW).content.decode()

    assert certificates[0].participant_name not in page


def test_a_filter_by_htmx_gets_only_the_list(client, world, certificates):
    client.force_login(world.coach.user)

    page = client.get(NEW, {"department": world.department.pk}, headers={"HX-Request": "true"})

    assert page.content.decode().lstrip().startswith('<section id="selected">')


def test_a_selection_that_makes_no_sense_shows_a_message(client, world, certificates):
    client.force_login(world.coach.user)

    response = client.get(NEW, {"department": "inpak"})

    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()


def request_batch(client, certificates, title="Afsluiting juni"):
    return client.post(NEW, {"title": title, "certificates": [c.pk for c in certificates]})


def test_nothing_chosen_is_refused_in_dutch(client, world, certificates):
    client.force_login(world.coach.user)

    response = request_batch(client, [])

    assert response.status_code == 422
    assert "Kies minstens één certificaat." in response.content.decode()


def test_a_certificate_outside_the_coachs_departments_is_refused(client, world, certificates):
    client.force_login(world.coach.user)

    response = request_batch(client, [CertificateFactory(trajectory=world.other_trajectory)])

    assert response.status_code == 422
    assert not CertificateBatch.objects.exists()


def printed(requested_by, certificates):
    batch = CertificateBatchFactory(
        requested_by=requested_by, pdf=b"%PDF", finished_at=timezone.now()
    )
    batch.certificates.set(certificates)
    return batch


def test_the_project_manager_opens_the_batch_they_asked_for(client, world, certificates):
    batch = printed(world.project_manager.user, certificates)
    client.force_login(world.project_manager.user)

    assert client.get(reverse("certificates:batch", args=[batch.pk])).status_code == 200
    assert client.get(reverse("certificates:batch_pdf", args=[batch.pk])).status_code == 200


def test_a_coach_does_not_open_another_coachs_batch_of_other_departments(client, world):
    batch = printed(world.other_coach.user, [CertificateFactory(trajectory=world.other_trajectory)])
    client.force_login(world.coach.user)

    assert client.get(reverse("certificates:batch", args=[batch.pk])).status_code == 404


@pytest.mark.usefixtures("weasyprint")
@with_worker
def test_the_page_waits_for_the_worker_and_then_offers_the_download(client, world, certificates):
    client.force_login(world.coach.user)

    response = request_batch(client, certificates)
    batch = CertificateBatch.objects.get()
    assert response["Location"] == reverse("certificates:batch", args=[batch.pk])
    waiting = client.get(response["Location"]).content.decode()
    assert 'data-hx-trigger="every 2s"' in waiting

    run_worker()

    ready = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "every 2s" not in ready
    assert reverse("certificates:batch_pdf", args=[batch.pk]) in ready


@pytest.mark.usefixtures("weasyprint")
@with_worker
def test_the_batch_is_one_pdf_with_a_page_per_certificate(client, world, certificates):
    client.force_login(world.coach.user)
    request_batch(client, certificates)
    run_worker()
    batch = CertificateBatch.objects.get()

    response = client.get(reverse("certificates:batch_pdf", args=[batch.pk]))

    assert len(PdfReader(io.BytesIO(response.content)).pages) == 2
    assert AuditEvent.objects.filter(action=AuditAction.DOWNLOAD, object_id=str(batch.pk)).exists()


@with_worker
def test_a_failed_batch_says_so(client, world, certificates, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("no Pango")

    monkeypatch.setattr(documents, "certificates_pdf", broken)
    client.force_login(world.coach.user)
    request_batch(client, certificates)

    run_worker()

    page = client.get(reverse("certificates:batch", args=[CertificateBatch.objects.get().pk]))
    assert "niet gelukt" in page.content.decode()


def test_the_selection_page_has_a_fixed_number_of_queries(
    client, world, certificates, django_assert_num_queries
):
    client.force_login(world.coach.user)
    few = count_queries(client, NEW)
    for _ in range(10):
        CertificateFactory(trajectory=TrajectoryFactory(department=world.department))

    with django_assert_num_queries(few):
        client.get(NEW)


def cut_off(batch, *, times: int, minutes_ago: int = 10):
    """The batch's task as a worker left it that was killed in the middle, `times` times."""
    DBTaskResult.objects.filter(pk=batch.task_id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        worker_ids=[f"killed-{number}" for number in range(times)],
    )


def requested(client, world, certificates):
    client.force_login(world.coach.user)
    request_batch(client, certificates)
    return CertificateBatch.objects.get()


@pytest.mark.usefixtures("weasyprint")
@with_worker
def test_a_batch_whose_worker_was_killed_is_finished_by_another(client, world, certificates):
    batch = requested(client, world, certificates)
    cut_off(batch, times=1)

    assert recover_stale_tasks() == (1, 0)
    run_worker()

    batch.refresh_from_db()
    assert batch.is_ready
    assert len(DBTaskResult.objects.get(pk=batch.task_id).worker_ids) == 2


def test_a_batch_cut_off_at_every_attempt_fails_and_the_page_stops_waiting(
    client, world, certificates
):
    batch = requested(client, world, certificates)
    cut_off(batch, times=2)

    assert recover_stale_tasks() == (0, 1)

    page = client.get(reverse("certificates:batch", args=[batch.pk])).content.decode()
    assert "niet gelukt" in page
    assert "Opnieuw proberen" in page
    assert "every 2s" not in page


def test_trying_again_gives_the_worker_the_batch_again(client, world, certificates):
    batch = requested(client, world, certificates)
    cut_off(batch, times=2)
    recover_stale_tasks()
    failed_task = batch.task_id

    response = client.post(reverse("certificates:batch_retry", args=[batch.pk]))

    batch.refresh_from_db()
    assert response["Location"] == reverse("certificates:batch", args=[batch.pk])
    assert batch.task_id != failed_task
    assert DBTaskResult.objects.get(pk=batch.task_id).status == TaskResultStatus.READY
    page = client.get(response["Location"]).content.decode()
    assert "every 2s" in page


def test_a_batch_still_being_made_is_not_asked_for_twice(client, world, certificates):
    batch = requested(client, world, certificates)

    response = client.post(reverse("certificates:batch_retry", args=[batch.pk]), follow=True)

    assert "De PDF wordt nog gemaakt." in response.content.decode()
    assert DBTaskResult.objects.count() == 1


def test_a_long_task_of_a_worker_that_is_still_there_is_left_alone(client, world, certificates):
    batch = requested(client, world, certificates)
    cut_off(batch, times=1, minutes_ago=60)
    beat("killed-0")

    assert recover_stale_tasks() == (0, 0)
    assert DBTaskResult.objects.get(pk=batch.task_id).status == TaskResultStatus.RUNNING
