"""Meetings that reach people: the kick-off offers those the handbook names, each invitee gets
an e-mail with the calendar entry, a change or a cancellation follows them, and a mail server
that is down loses nothing: the failure shows on the coach's meeting page."""

import datetime
import re

import pytest
from django.core import mail as outbox
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.factories import (
    DepartmentFactory,
    InterestFactory,
    MailFactory,
    MeetingAttendanceFactory,
    MeetingFactory,
    MembershipFactory,
    TrajectoryFactory,
    staff_member,
)
from trajects import mail, services
from trajects.forms import MeetingForm
from trajects.models import Mail, MailKind, Meeting, MeetingKind
from wpo.models import Department, Role
from wpo.services import StepRefused

HTMX = {"HTTP_HX_REQUEST": "true"}


def moment(days_from_now=14, hour=14):
    day = timezone.localdate() + datetime.timedelta(days=days_from_now)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def addresses(world):
    """Every login of the world has an e-mail address."""
    for person in (world.trainer, world.coach, world.project_manager, world.other_trainer):
        person.user.email = f"{person.first_name.lower()}@example.nl"
        person.user.save(update_fields=["email"])
    return world


def plan(world, **fields):
    values = {
        "kind": MeetingKind.KICKOFF,
        "scheduled_at": moment(),
        "title": "Start najaar",
        "location": "Kantine",
        "departments": [world.department],
        "invitees": [world.trainer, world.trajectory.participant],
        "by": world.coach.user,
    }
    return services.plan_meeting(**{**values, **fields})


def calendar_lines(row: Mail) -> list[str]:
    return row.calendar.replace("\r\n ", "").split("\r\n")


def send_all():
    for pk in Mail.objects.unsent().values_list("pk", flat=True):
        mail.deliver.call(pk)


# Who a kick-off offers


def offered(world, kind=MeetingKind.KICKOFF, departments=None):
    form = MeetingForm(
        kind=kind,
        departments=Department.objects.filter(pk=world.department.pk),
        organiser_id=world.coach.pk,
        chosen=departments,
    )
    return {name for _group, people in form.fields["invitees"].choices for _pk, name in people}


def test_a_kick_off_offers_the_waiting_list_their_trainers_the_coaches_and_project_manager(
    world,
):
    waiting = InterestFactory(person__department=world.department, person__first_name="Wanda")
    colleague = staff_member(Role.COACH, world.department, first_name="Cor")

    names = offered(world)

    assert f"{waiting.person.full_name} (wacht op de start)" in names
    assert world.trainer.full_name in names
    assert world.trajectory.participant.full_name in names
    assert {colleague.full_name, world.project_manager.full_name} <= names
    assert world.coach.full_name not in names  # the organiser comes anyway


def test_a_kick_off_does_not_offer_whose_trajectory_ended_or_whose_registration_was_withdrawn(
    world,
):
    ended = TrajectoryFactory(department=world.department, phase=4, closed_on=timezone.localdate())
    withdrawn = InterestFactory(
        person__department=world.department, withdrawn_on=timezone.localdate()
    )

    names = offered(world)

    assert ended.participant.full_name not in names
    assert withdrawn.person.full_name not in names
    assert ended.participant.full_name in offered(world, MeetingKind.CLOSING)


def test_a_peer_review_offers_trainers_only(world):
    names = offered(world, MeetingKind.PEER_REVIEW)

    assert names == {world.trainer.full_name, world.colleague_trajectory.trainer.full_name}


def test_ticking_departments_narrows_the_invitees_offered(client, world):
    montage = DepartmentFactory(name="Montage")
    MembershipFactory(person=world.coach, role=Role.COACH, department=montage)
    bram = staff_member(Role.TRAINER, montage, first_name="Bram")
    client.force_login(world.coach.user)
    url = reverse("trajects:meeting_plan", args=["kickoff"])

    both = client.get(url).content.decode()
    narrowed = client.get(
        url,
        {"narrow": "1", "departments": [montage.pk], "invitees": [bram.pk]},
        **HTMX,
    )

    assert bram.full_name in both
    assert world.trainer.full_name in both
    page = narrowed.content.decode()
    assert narrowed.status_code == 200
    assert 'id="invitees"' in page
    assert "<h1" not in page
    assert bram.full_name in page
    assert world.trainer.full_name not in page
    assert re.search(rf'value="{bram.pk}"[^>]*checked', page)  # what was ticked stays ticked


def test_the_service_refuses_someone_whose_trajectory_ended(world):
    ended = TrajectoryFactory(department=world.department, phase=4, closed_on=timezone.localdate())

    with pytest.raises(StepRefused):
        plan(world, invitees=[ended.participant])
    assert not Meeting.objects.exists()


def test_coach_invites_the_project_manager_to_a_kick_off(world):
    meeting = plan(world, invitees=[world.trainer, world.project_manager])

    assert meeting.attendances.filter(person=world.project_manager).exists()


# The invitation


def test_each_invitee_with_an_address_gets_an_invitation_with_a_calendar_entry(addresses):
    world = addresses
    meeting = plan(world)

    (row,) = Mail.objects.all()
    assert row.kind == MailKind.INVITATION
    assert row.address == "tineke@example.nl"
    assert row.subject == "Uitnodiging: Start najaar"
    assert "Carla" in row.body
    assert "Kantine" in row.body
    lines = calendar_lines(row)
    assert "METHOD:REQUEST" in lines
    assert f"UID:{mail.meeting_uid(meeting)}" in lines
    assert "SEQUENCE:0" in lines
    assert "SUMMARY:Start najaar" in lines
    assert any(line.startswith("ORGANIZER") and "carla@example.nl" in line for line in lines)


def test_the_participant_without_an_address_shows_as_to_be_told_in_person(client, addresses):
    world = addresses
    meeting = plan(world)
    client.force_login(world.coach.user)

    page = client.get(reverse("trajects:meeting", args=[meeting.pk])).content.decode()

    assert "geen e-mailadres" in page
    assert "uitnodiging wordt verstuurd" in page


def test_a_participant_with_an_address_from_the_employee_import_gets_the_invitation(
    client, addresses
):
    world = addresses
    participant = world.trajectory.participant
    participant.email = "noor@example.nl"
    participant.save(update_fields=["email"])
    meeting = plan(world)
    client.force_login(world.coach.user)

    page = client.get(reverse("trajects:meeting", args=[meeting.pk])).content.decode()

    assert set(Mail.objects.values_list("address", flat=True)) == {
        "tineke@example.nl",
        "noor@example.nl",
    }
    assert "geen e-mailadres" not in page


def test_the_address_of_a_login_comes_before_the_one_from_the_import(addresses):
    trainer = addresses.trainer
    trainer.email = "t.privé@example.nl"

    assert mail.address_of(trainer) == "tineke@example.nl"
    trainer.user.email = ""
    assert mail.address_of(trainer) == "t.privé@example.nl"


def test_someone_whose_login_was_stopped_or_who_was_erased_is_not_reached(addresses):
    trainer, participant = addresses.trainer, addresses.trajectory.participant
    trainer.user.is_active = False
    participant.email = "noor@example.nl"
    participant.anonymised_on = timezone.localdate()

    assert mail.address_of(trainer) == ""
    assert mail.address_of(participant) == ""


def test_the_worker_sends_the_invitation_with_its_ics_attachment(addresses):
    plan(addresses)

    send_all()

    (message,) = outbox.outbox
    assert message.to == ["tineke@example.nl"]
    (part,) = message.attachments
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST"
    assert "BEGIN:VEVENT" in part.get_payload(decode=True).decode()
    assert Mail.objects.get().is_sent


def test_moving_a_meeting_sends_the_new_time_with_the_same_uid_and_a_higher_sequence(addresses):
    world = addresses
    meeting = plan(world)
    first = Mail.objects.get()

    services.change_meeting(
        meeting,
        scheduled_at=moment(21),
        title="Start najaar",
        location="Kantine",
        departments=[world.department],
        invitees=[world.trainer, world.trajectory.participant],
        by=world.coach.user,
    )

    change = Mail.objects.exclude(pk=first.pk).get()
    assert change.kind == MailKind.CHANGE
    assert change.subject == "Gewijzigd: Start najaar"
    lines = calendar_lines(change)
    assert f"UID:{mail.meeting_uid(meeting)}" in lines
    assert "SEQUENCE:1" in lines
    assert "METHOD:REQUEST" in lines


def test_changing_nothing_the_invitees_see_sends_nothing(addresses):
    world = addresses
    meeting = plan(world)

    services.change_meeting(
        meeting,
        scheduled_at=meeting.scheduled_at,
        title="Start najaar",
        location="Kantine",
        departments=[world.department],
        invitees=[world.trainer, world.trajectory.participant],
        by=world.coach.user,
    )

    assert Mail.objects.count() == 1
    assert Meeting.objects.get().sequence == 0


def test_who_is_taken_off_the_list_gets_a_cancellation_and_who_is_added_an_invitation(addresses):
    world = addresses
    world.colleague_trajectory.trainer.user.email = "kees@example.nl"
    world.colleague_trajectory.trainer.user.save()
    meeting = plan(world)

    services.change_meeting(
        meeting,
        scheduled_at=meeting.scheduled_at,
        title="Start najaar",
        location="Kantine",
        departments=[world.department],
        invitees=[world.colleague_trajectory.trainer],
        by=world.coach.user,
    )

    cancelled = Mail.objects.get(kind=MailKind.CANCELLATION)
    assert cancelled.address == "tineke@example.nl"
    assert "METHOD:CANCEL" in calendar_lines(cancelled)
    assert "niet meer uitgenodigd" in cancelled.body
    invited = Mail.objects.get(kind=MailKind.INVITATION, address="kees@example.nl")
    assert "SEQUENCE:1" in calendar_lines(invited)


def test_calling_a_meeting_off_sends_every_invitee_a_cancellation_and_keeps_the_mails(addresses):
    world = addresses
    meeting = plan(world)
    uid = mail.meeting_uid(meeting)

    services.cancel_meeting(meeting, by=world.coach.user)

    assert not Meeting.objects.exists()
    cancelled = Mail.objects.get(kind=MailKind.CANCELLATION)
    lines = calendar_lines(cancelled)
    assert "METHOD:CANCEL" in lines
    assert f"UID:{uid}" in lines
    assert "SEQUENCE:1" in lines
    assert "STATUS:CANCELLED" in lines
    assert cancelled.subject == "Afgezegd: Start najaar"
    assert "gaat niet door" in cancelled.body


def test_a_refused_plan_sends_nothing(addresses):
    with pytest.raises(StepRefused):
        plan(addresses, departments=[])

    assert not Mail.objects.exists()


# A mail server that is down


@pytest.fixture
def server_down(settings):
    """Nothing listens on the mail server's port: every connection is refused."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", 9, False


def test_a_mail_server_that_is_down_loses_nothing_and_the_worker_tries_again_later(
    addresses, server_down
):
    meeting = plan(addresses)

    send_all()

    row = Mail.objects.get()
    assert not row.is_sent
    assert not row.has_failed
    assert row.attempts == 1
    assert row.error
    assert Meeting.objects.get() == meeting
    retry = DBTaskResult.objects.get()
    assert retry.run_after > timezone.now()


def test_after_the_last_try_the_failure_shows_on_the_coachs_meeting_page(
    client, addresses, server_down
):
    world = addresses
    meeting = plan(world)
    row = Mail.objects.get()
    Mail.objects.update(attempts=len(mail.RETRY_AFTER))

    mail.deliver.call(row.pk)

    row.refresh_from_db()
    assert row.has_failed
    client.force_login(world.coach.user)
    page = client.get(reverse("trajects:meeting", args=[meeting.pk])).content.decode()
    assert "Sommige uitnodigingen zijn niet verstuurd" in page
    assert "uitnodiging niet verstuurd" in page


def test_the_coach_sends_the_failed_invitations_again(client, addresses, settings):
    world = addresses
    meeting = plan(world)
    Mail.objects.update(failed_at=timezone.now(), attempts=6, error="ConnectionRefusedError")
    client.force_login(world.coach.user)

    response = client.post(reverse("trajects:meeting_mail_again", args=[meeting.pk]))

    assert response.status_code == 302
    row = Mail.objects.get()
    assert not row.has_failed
    assert row.attempts == 0
    mail.deliver.call(row.pk)
    assert len(outbox.outbox) == 1


def test_a_failed_cancellation_shows_on_the_coachs_meetings_page(client, world):
    MailFactory(kind=MailKind.CANCELLATION, sender=world.coach, failed_at=timezone.now())
    client.force_login(world.coach.user)

    page = client.get(reverse("trajects:meetings")).content.decode()

    assert "Sommige afzeggingen zijn niet verstuurd" in page


def test_a_failed_escalation_e_mail_is_no_cancellation_on_the_meetings_page(client, world):
    MailFactory(kind=MailKind.ESCALATION, sender=world.coach, failed_at=timezone.now())
    client.force_login(world.coach.user)

    page = client.get(reverse("trajects:meetings")).content.decode()

    assert "Sommige afzeggingen zijn niet verstuurd" not in page


def test_a_mail_sent_once_is_not_sent_again(addresses):
    plan(addresses)
    row = Mail.objects.get()

    mail.deliver.call(row.pk)
    mail.deliver.call(row.pk)

    assert len(outbox.outbox) == 1


# What a trainer sees


@pytest.fixture
def kick_off_held(world):
    """A kick-off held yesterday, with `trainer`, their participant, and another trainer's
    participant, who came."""
    meeting = MeetingFactory(
        organiser=world.coach,
        scheduled_at=moment(-1),
        held_on=timezone.localdate() - datetime.timedelta(days=1),
        notes="Iedereen kent de eerste opdracht.",
    )
    meeting.departments.add(world.department)
    MeetingAttendanceFactory(meeting=meeting, person=world.trainer, attended=True)
    MeetingAttendanceFactory(meeting=meeting, person=world.trajectory.participant, attended=False)
    other = world.colleague_trajectory.participant
    MeetingAttendanceFactory(meeting=meeting, person=other, attended=True)
    return meeting


def test_a_trainer_sees_who_is_invited_and_the_attendance_of_their_own_participants_only(
    client, world, kick_off_held
):
    client.force_login(world.trainer.user)

    response = client.get(reverse("trajects:meeting", args=[kick_off_held.pk]))

    rows = {row.person: row.attended for row in response.context["invitees"]}
    assert rows == {
        world.trainer: True,
        world.trajectory.participant: False,
        world.colleague_trajectory.participant: None,
    }
    page = response.content.decode()
    assert "Iedereen kent de eerste opdracht." not in page
    assert "Wijzigen of afzeggen" not in page


def test_the_organiser_sees_every_attendance_and_the_notes(client, world, kick_off_held):
    client.force_login(world.coach.user)

    response = client.get(reverse("trajects:meeting", args=[kick_off_held.pk]))

    assert {row.attended for row in response.context["invitees"]} == {True, False}
    assert "Iedereen kent de eerste opdracht." in response.content.decode()


def test_a_trainer_reads_the_notes_of_a_peer_review_they_were_at(client, world):
    meeting = MeetingFactory(
        kind=MeetingKind.PEER_REVIEW,
        organiser=world.coach,
        scheduled_at=moment(-1),
        held_on=timezone.localdate(),
        notes="Feedback geven met voorbeelden.",
    )
    MeetingAttendanceFactory(meeting=meeting, person=world.trainer, attended=True)
    client.force_login(world.trainer.user)

    page = client.get(reverse("trajects:meeting", args=[meeting.pk])).content.decode()

    assert "Feedback geven met voorbeelden." in page


def test_a_trainer_reads_the_meetings_they_are_invited_to_on_a_page_of_their_own(client, world):
    invited = MeetingFactory(organiser=world.coach, title="Start najaar")
    MeetingAttendanceFactory(meeting=invited, person=world.trainer)
    MeetingFactory(organiser=world.coach, title="Niet voor Tineke")
    client.force_login(world.trainer.user)

    response = client.get(reverse("trajects:meetings"))

    assert response.status_code == 200
    assert list(response.context["upcoming"]) == [invited]
    page = response.content.decode()
    assert "Startbijeenkomst" not in page.split("<h1")[1].split("</h1>")[0]
    assert reverse("trajects:meeting_plan", args=["kickoff"]) not in page


def test_the_trainer_home_shows_the_meetings_to_come_they_are_invited_to(client, world):
    invited = MeetingFactory(organiser=world.coach, title="Start najaar")
    MeetingAttendanceFactory(meeting=invited, person=world.trainer)
    past = MeetingFactory(organiser=world.coach, title="Al geweest", scheduled_at=moment(-3))
    MeetingAttendanceFactory(meeting=past, person=world.trainer)
    client.force_login(world.trainer.user)

    response = client.get(reverse("trajects:trainer_home"))

    assert list(response.context["invitations"]) == [invited]
    page = response.content.decode()
    assert "Start najaar" in page
    assert "Al geweest" not in page
    assert reverse("trajects:meeting", args=[invited.pk]) in page
