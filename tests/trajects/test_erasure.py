"""Erasing one participant on their request (AVG, the right to erasure): by the coach of their
department or the project manager, from their personal data page, after a page that says what
goes and what stays. Names and texts go; the numbers and the certificate (with initials) stay."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from tests.factories import (
    CertificateFactory,
    FloorNoteFactory,
    InterestFactory,
    TrajectoryFactory,
)
from trajects import privacy
from trajects.models import FloorNote, Interest
from wpo.models import AuditAction, AuditEvent, Person
from wpo.services import StepRefused

LAST_MONTH = timezone.localdate() - datetime.timedelta(days=30)


@pytest.fixture
def ended(world):
    """A participant of `world.department` whose trajectory closed last month, well within
    the retention period, with a floor note and a certificate."""
    trajectory = TrajectoryFactory(
        department=world.department,
        trainer=world.trainer,
        coach=world.coach,
        participant__first_name="Noor",
        participant__last_name="Haddou",
        participant__employee_number="4711",
        agreed_start=LAST_MONTH - datetime.timedelta(days=200),
        agreed_end=LAST_MONTH,
        phase=4,
        closed_on=LAST_MONTH,
    )
    FloorNoteFactory(trajectory=trajectory, text="Thuis gedoe, daarom stil vandaag.")
    CertificateFactory(trajectory=trajectory, participant_name="Noor Haddou")
    return trajectory


def refusal(person) -> str:
    with pytest.raises(StepRefused) as caught:
        privacy.erase(person, by=None)
    return " ".join(caught.value.messages)


def test_erasing_removes_the_name_number_and_texts_within_the_retention_period(world, ended):
    privacy.erase(ended.participant, by=world.coach.user)

    person = Person.objects.get(pk=ended.participant_id)
    assert "Haddou" not in person.full_name
    assert person.employee_number == ""
    assert person.anonymised_on == timezone.localdate()
    assert FloorNote.objects.get(trajectory=ended).text == privacy.REMOVED
    assert not Person.history.filter(id=person.pk, last_name="Haddou").exists()


def test_the_certificate_keeps_initials_and_still_verifies_after_erasing(client, world, ended):
    privacy.erase(ended.participant, by=world.coach.user)

    certificate = Certificate.objects.get(trajectory=ended)
    page = client.get(reverse("certificates:verify", args=[certificate.code])).content.decode()
    assert certificate.participant_name == "N. H."
    assert "N. H." in page
    assert "Haddou" not in page


def test_erasing_is_in_the_audit_log_by_who_did_it(world, ended):
    privacy.erase(ended.participant, by=world.coach.user)

    event = AuditEvent.objects.get(action=AuditAction.ERASE)
    assert (event.user, event.object_id) == (world.coach.user, str(ended.participant_id))


def test_a_running_trajectory_is_stopped_before_erasing(world):
    message = refusal(world.trajectory.participant)

    assert "loopt nog" in message
    world.trajectory.participant.refresh_from_db()
    assert world.trajectory.participant.anonymised_on is None


def test_a_person_is_erased_once(world, ended):
    privacy.erase(ended.participant, by=None)

    assert "al gewist" in refusal(Person.objects.get(pk=ended.participant_id))


def test_staff_are_not_erased_here(world):
    assert "beheerder" in refusal(world.trainer)


def test_erasing_withdraws_a_registration_still_waiting(world):
    interest = InterestFactory(person__department=world.department, wish="Plannen")

    privacy.erase(interest.person, by=None)

    interest.refresh_from_db()
    assert interest not in Interest.objects.waiting()
    assert interest.wish == ""


def test_what_erasing_removes_is_counted_without_changing_anything(world, ended):
    removes = dict(privacy.what_erasing_removes(ended.participant))

    assert removes[privacy.ERASED["floor notes"]] == 1
    assert removes[privacy.ERASED["certificates"]] == 1
    assert ended.participant.last_name == "Haddou"  # the one in hand, too
    ended.participant.refresh_from_db()
    assert ended.participant.last_name == "Haddou"
    assert not AuditEvent.objects.filter(action=AuditAction.ERASE).exists()


# the page


def erase_url(person):
    return reverse("trajects:erase", args=[person.pk])


def test_the_confirmation_says_what_goes_and_what_stays(client, world, ended):
    client.force_login(world.coach.user)

    page = client.get(erase_url(ended.participant)).content.decode()

    assert "Wat verdwijnt" in page
    assert "Wat blijft" in page
    assert "initialen" in page
    ended.participant.refresh_from_db()
    assert ended.participant.anonymised_on is None


def test_the_project_manager_erases_from_the_page(client, world, ended):
    client.force_login(world.project_manager.user)

    response = client.post(erase_url(ended.participant))

    assert response.status_code == 302
    assert response["Location"] == reverse("trajects:personal_data", args=[ended.participant_id])
    assert Person.objects.get(pk=ended.participant_id).anonymised_on


def test_the_page_says_why_a_running_trajectory_cannot_be_erased(client, world):
    client.force_login(world.coach.user)

    response = client.post(erase_url(world.trajectory.participant))

    assert response.status_code == 422
    assert "loopt nog" in response.content.decode()


def test_the_trainer_may_not_erase(client, world, ended):
    client.force_login(world.trainer.user)

    assert client.post(erase_url(ended.participant)).status_code == 403


def test_another_departments_coach_does_not_see_the_person(client, world, ended):
    client.force_login(world.other_coach.user)

    assert client.post(erase_url(ended.participant)).status_code == 404
