"""A registration of interest corrected or withdrawn while it waits: by a trainer or coach of
its department, with a reason, in the history and the audit log; a withdrawn registration is
off every list and count of people waiting."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import InterestFactory, TrajectoryFactory
from trajects import services
from trajects.models import Interest
from trajects.reports.dashboards import department_figures
from wpo.models import AuditAction, AuditEvent, Department
from wpo.services import StepRefused

TODAY = timezone.localdate


def refusal(step, *args, **kwargs) -> str:
    with pytest.raises(StepRefused) as caught:
        step(*args, **kwargs)
    return " ".join(caught.value.messages)


@pytest.fixture
def waiting(world):
    return InterestFactory(
        person__department=world.department,
        person__first_name="Noor",
        person__last_name="Hadou",
        supervisor=world.trainer,
        registered_on=TODAY() - datetime.timedelta(days=10),
    )


def correction(**changes):
    return {
        "first_name": "Noor",
        "last_name": "Haddou",
        "infix": "",
        "employee_number": "",
        "supervisor": None,
        "wish": "Beter plannen",
        "registered_on": TODAY() - datetime.timedelta(days=10),
        "reason": "Achternaam verkeerd gespeld",
        **changes,
    }


# the services


def test_withdrawing_takes_a_registration_off_the_waiting_list_with_the_reason(world, waiting):
    services.withdraw_interest(waiting, reason="Wil toch niet meedoen", by=world.trainer.user)

    waiting.refresh_from_db()
    assert waiting not in Interest.objects.waiting()
    assert waiting.withdrawn_on == TODAY()
    assert waiting.withdrawn_reason == "Wil toch niet meedoen"


def test_a_withdrawal_is_in_the_history_and_the_audit_log(world, waiting):
    services.withdraw_interest(waiting, reason="Wil toch niet meedoen", by=world.trainer.user)

    latest = waiting.history.first()
    assert latest.history_user == world.trainer.user
    assert latest.history_change_reason == "Wil toch niet meedoen"
    event = AuditEvent.objects.get(action=AuditAction.REGISTRATION_WITHDRAWN)
    assert (event.user, event.object_id) == (world.trainer.user, str(waiting.pk))


def test_a_withdrawal_needs_a_reason(world, waiting):
    assert "Zeg waarom" in refusal(services.withdraw_interest, waiting, reason="  ")
    waiting.refresh_from_db()
    assert waiting.withdrawn_on is None


def test_a_started_registration_cannot_be_withdrawn(world, waiting):
    TrajectoryFactory(interest=waiting, participant=waiting.person, department=world.department)

    assert "al afgehandeld" in refusal(services.withdraw_interest, waiting, reason="Weg")


def test_a_registration_is_withdrawn_once(world, waiting):
    services.withdraw_interest(waiting, reason="Weg")

    assert "al afgehandeld" in refusal(services.withdraw_interest, waiting, reason="Nog eens")


def test_a_withdrawal_is_not_dated_before_the_registration(world, waiting):
    day = waiting.registered_on - datetime.timedelta(days=1)

    assert "voor de aanmelding" in refusal(
        services.withdraw_interest, waiting, reason="Weg", on=day
    )


def test_correcting_changes_the_name_and_wish_and_keeps_the_reason_in_the_history(world, waiting):
    services.correct_interest(waiting, **correction(), by=world.coach.user)

    waiting.refresh_from_db()
    assert waiting.person.full_name == "Noor Haddou"
    assert waiting.wish == "Beter plannen"
    assert waiting.person.history.first().history_change_reason == "Achternaam verkeerd gespeld"
    assert waiting.history.first().history_user == world.coach.user
    assert AuditEvent.objects.filter(action=AuditAction.REGISTRATION_CORRECTED).count() == 1


def test_a_correction_needs_a_reason(world, waiting):
    assert "Zeg waarom" in refusal(services.correct_interest, waiting, **correction(reason=""))


def test_a_correction_cannot_take_someone_elses_employee_number(world, waiting):
    InterestFactory(person__department=world.department, person__employee_number="77")

    message = refusal(services.correct_interest, waiting, **correction(employee_number="77"))

    assert "iemand anders" in message


def test_the_name_of_someone_known_from_before_is_not_changed_by_a_correction(world, waiting):
    TrajectoryFactory(participant=waiting.person, department=world.department)

    message = refusal(services.correct_interest, waiting, **correction())

    assert "bekend van eerder" in message
    waiting.person.refresh_from_db()
    assert waiting.person.last_name == "Hadou"


# gone from every list and count of people waiting


def test_a_withdrawn_registration_is_gone_from_the_trainers_home(client, world, waiting):
    services.withdraw_interest(waiting, reason="Weg")
    client.force_login(world.trainer.user)

    response = client.get(reverse("trajects:trainer_home"))

    assert "Hadou" not in response.content.decode()


def test_a_withdrawn_registration_is_not_counted_on_the_coachs_home(client, world, waiting):
    client.force_login(world.coach.user)
    before = client.get(reverse("trajects:coach_home")).context["waiting_count"]
    services.withdraw_interest(waiting, reason="Weg")

    after = client.get(reverse("trajects:coach_home")).context["waiting_count"]

    assert (before, after) == (1, 0)


def test_a_withdrawn_registration_is_not_in_the_organisations_waiting_figures(world, waiting):
    def waiting_in_department():
        return department_figures(Department.objects.filter(pk=world.department.pk))[0].waiting

    before = waiting_in_department()
    services.withdraw_interest(waiting, reason="Weg")

    assert (before, waiting_in_department()) == (1, 0)


# the pages


def withdraw_url(interest):
    return reverse("trajects:interest_withdraw", args=[interest.pk])


def correct_url(interest):
    return reverse("trajects:interest_correct", args=[interest.pk])


def test_the_trainer_withdraws_a_registration_from_its_page(client, world, waiting):
    client.force_login(world.trainer.user)

    response = client.post(
        withdraw_url(waiting), {"withdrawn_on": TODAY().isoformat(), "reason": "Verhuisd"}
    )

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.withdrawn_reason == "Verhuisd"


def test_a_withdrawal_without_a_reason_comes_back_with_a_message(client, world, waiting):
    client.force_login(world.trainer.user)

    response = client.post(withdraw_url(waiting), {"withdrawn_on": TODAY().isoformat()})

    assert response.status_code == 422
    assert "Dit veld is verplicht" in response.content.decode()


def test_the_coach_corrects_a_registration_keeping_what_was_typed_on_a_refusal(
    client, world, waiting
):
    InterestFactory(person__department=world.department, person__employee_number="77")
    client.force_login(world.coach.user)
    data = correction(employee_number="77", supervisor="", registered_on=TODAY().isoformat())

    response = client.post(correct_url(waiting), data)

    assert response.status_code == 422
    page = response.content.decode()
    assert "iemand anders" in page
    assert "Achternaam verkeerd gespeld" in page


def test_the_correction_form_shows_the_registration_as_it_is(client, world, waiting):
    client.force_login(world.trainer.user)

    page = client.get(correct_url(waiting)).content.decode()

    assert 'value="Hadou"' in page


def test_a_registration_dealt_with_sends_the_user_home(client, world, waiting):
    services.withdraw_interest(waiting, reason="Weg")
    client.force_login(world.trainer.user)

    response = client.get(correct_url(waiting))

    assert response.status_code == 302
