"""A coach of two departments plans a kick-off in Chromium with trainers and participants of
both, and writes down who came once it has been held."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.browser.test_accessibility import serious
from tests.factories import PASSWORD, DepartmentFactory, TrajectoryFactory, staff_member
from trajects.models import Meeting, MeetingAttendance
from wpo.models import Membership, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coach_plans_a_kick_off_for_two_departments_and_records_who_came(page, world):
    montage = DepartmentFactory(name="Montage")
    Membership.objects.create(person=world.coach, role=Role.COACH, department=montage)
    bram = staff_member(Role.TRAINER, montage, first_name="Bram")
    second = TrajectoryFactory(department=montage, trainer=bram, coach=world.coach)
    log_in(page, world.coach.user.username, PASSWORD)

    page.goto("/meetings/")
    page.get_by_role("link", name="Startbijeenkomst").click()
    page.get_by_label("Datum en tijd").fill(
        (timezone.localdate() + datetime.timedelta(days=7)).strftime("%Y-%m-%dT14:00")
    )
    page.get_by_label("Titel").fill("Start najaar")
    # each department ticked brings its people (htmx): wait for them before ticking people
    for department in ("Inpak", "Montage"):
        with page.expect_response(lambda response: "narrow=1" in response.url):
            page.get_by_label(department).check()
    for person in (world.trainer, world.trajectory.participant, bram, second.participant):
        page.get_by_label(person.full_name, exact=True).check()
    assert serious(page) == []
    page.get_by_role("button", name="Overleg plannen").click()
    expect(page.get_by_role("heading", name="Start najaar")).to_be_visible()
    expect(page.locator(".attendance li")).to_have_count(4)

    # the meeting took place yesterday
    Meeting.objects.update(scheduled_at=timezone.now() - datetime.timedelta(days=1))
    page.reload()
    assert serious(page) == []
    page.get_by_role("link", name="Verslag vastleggen").click()
    page.get_by_label("Wat is besproken en afgesproken").fill("Iedereen kent de eerste opdracht.")
    page.get_by_label(world.trainer.full_name, exact=True).check()
    page.get_by_label(second.participant.full_name, exact=True).check()
    page.get_by_role("button", name="Verslag opslaan").click()

    expect(page.locator(".lead")).to_contain_text("gehouden op")
    expect(page.locator(".attendance")).to_contain_text("was er niet")
    page.get_by_role("link", name="Alle overleggen").click()
    expect(page.get_by_role("heading", name="Gehouden")).to_be_visible()
    assert serious(page) == []
    assert dict(MeetingAttendance.objects.values_list("person", "attended")) == {
        world.trainer.pk: True,
        world.trajectory.participant_id: False,
        bram.pk: False,
        second.participant_id: True,
    }
