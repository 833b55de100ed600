"""A kick-off from the coach's planning to the invitees' calendars, in Chromium: the coach ticks
a department and invites from its waiting list, its trainer and the project manager; the
worker sends the invitations; the e-mail and its .ics are read back from the test outbox, and
the trainer's calendar feed holds the same entry. The trainer sees the invitation on their
phone."""

import datetime

import pytest
from django.core import mail as outbox
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, log_in, log_out
from tests.browser.test_accessibility import serious
from tests.factories import (
    PASSWORD,
    DepartmentFactory,
    InterestFactory,
    MeetingAttendanceFactory,
    MeetingFactory,
    staff_member,
)
from trajects.calendar import feed_token
from trajects.mail import meeting_uid
from trajects.models import Meeting
from wpo.models import Membership, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def give_addresses(*people):
    for person in people:
        person.user.email = f"{person.first_name.lower()}@example.nl"
        person.user.save(update_fields=["email"])


def unfolded(ics: str) -> list[str]:
    return ics.replace("\r\n ", "").split("\r\n")


def test_a_kick_off_goes_from_the_coachs_planning_to_the_invitees_calendars(page, world):
    give_addresses(world.coach, world.trainer, world.project_manager)
    waiting = InterestFactory(person__department=world.department, person__first_name="Wanda")
    montage = DepartmentFactory(name="Montage")
    Membership.objects.create(person=world.coach, role=Role.COACH, department=montage)
    bram = staff_member(Role.TRAINER, montage, first_name="Bram")
    log_in(page, world.coach.user.username, PASSWORD)

    page.goto("/meetings/plan/kickoff/")
    page.get_by_label("Datum en tijd").fill(
        (timezone.localdate() + datetime.timedelta(days=7)).strftime("%Y-%m-%dT14:00")
    )
    page.get_by_label("Titel").fill("Start najaar")
    page.get_by_label("Plaats").fill("Kantine")
    # ticking a department asks again for its people (htmx): the other department's go
    expect(page.locator("#invitees")).to_contain_text(bram.full_name)
    with page.expect_response(lambda r: "narrow=1" in r.url):
        page.get_by_label("Inpak").check()
    expect(page.locator("#invitees")).not_to_contain_text(bram.full_name)
    page.get_by_label(f"{waiting.person.full_name} (wacht op de start)").check()
    page.get_by_label(world.trainer.full_name, exact=True).check()
    page.get_by_label(world.project_manager.full_name, exact=True).check()
    assert serious(page) == []
    page.get_by_role("button", name="Overleg plannen").click()
    expect(page.get_by_role("heading", name="Start najaar")).to_be_visible()
    expect(page.locator(".attendance li")).to_have_count(3)
    expect(page.locator(".attendance")).to_contain_text("geen e-mailadres")

    run_worker()
    page.reload()
    expect(page.locator(".attendance")).to_contain_text("uitnodiging verstuurd")
    assert serious(page) == []

    meeting = Meeting.objects.get()
    sent = {message.to[0]: message for message in outbox.outbox}
    assert set(sent) == {"tineke@example.nl", "pieter@example.nl"}
    message = sent["tineke@example.nl"]
    assert message.subject == "Uitnodiging: Start najaar"
    assert "Kantine" in message.body
    (part,) = message.attachments
    assert part.get_param("method") == "REQUEST"
    lines = unfolded(part.get_payload(decode=True).decode())
    assert "METHOD:REQUEST" in lines
    assert f"UID:{meeting_uid(meeting)}" in lines
    assert any(line.startswith("ATTENDEE") and "tineke@example.nl" in line for line in lines)

    # the trainer's calendar on their phone holds the same entry
    feed = page.request.get(f"/calendar/{feed_token(world.trainer)}.ics")
    assert f"UID:{meeting_uid(meeting)}" in unfolded(feed.text())

    # moved: the same entry with a higher SEQUENCE
    page.get_by_role("link", name="Wijzigen of afzeggen").click()
    page.get_by_label("Plaats").fill("Zaal 3")
    page.get_by_role("button", name="Wijzigingen opslaan").click()
    expect(page.locator(".lead")).to_contain_text("Zaal 3")
    run_worker()
    changed = [m for m in outbox.outbox if m.subject == "Gewijzigd: Start najaar"]
    assert {m.to[0] for m in changed} == {"tineke@example.nl", "pieter@example.nl"}
    lines = unfolded(changed[0].attachments[0].get_payload(decode=True).decode())
    assert "SEQUENCE:1" in lines
    assert f"UID:{meeting_uid(meeting)}" in lines
    log_out(page)


def test_a_trainer_sees_their_invitation_on_their_phone(browser, live_server, settings, world):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    meeting = MeetingFactory(organiser=world.coach, title="Start najaar", location="Kantine")
    meeting.departments.add(world.department)
    for person in (world.trainer, world.trajectory.participant, world.other_trainer):
        MeetingAttendanceFactory(meeting=meeting, person=person)
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", **PHONE)
    context.set_default_timeout(10_000)
    phone = context.new_page()
    try:
        log_in(phone, world.trainer.user.username, PASSWORD)
        phone.goto("/trainer/")
        invitations = phone.locator(".invitations")
        expect(invitations).to_contain_text("Overleggen waarvoor je bent uitgenodigd")
        invitations.get_by_role("link", name="Start najaar").click()
        expect(phone.get_by_role("heading", name="Start najaar")).to_be_visible()
        expect(phone.locator(".attendance li")).to_have_count(3)
        expect(phone.locator(".attendance")).to_contain_text(world.other_trainer.full_name)
        expect(phone.get_by_role("link", name="Wijzigen of afzeggen")).to_have_count(0)
        assert serious(phone) == []
        phone.get_by_role("link", name="Al je uitnodigingen").click()
        expect(phone.get_by_role("link", name="Start najaar")).to_be_visible()
        assert serious(phone) == []
    finally:
        context.close()
