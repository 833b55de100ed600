"""The trainer's calendar feed: their planned guidance conversations, as iCalendar, at an address
a phone's calendar subscribes to without a login."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    GuidanceConversationFactory,
    MeetingAttendanceFactory,
    MeetingFactory,
    TrajectoryFactory,
)
from trajects.calendar import feed_token
from trajects.mail import meeting_uid
from wpo.models import AuditAction, AuditEvent, Person


def feed_url(person):
    return reverse("trajects:calendar_feed", args=[feed_token(person)])


def unfold(body: str) -> list[str]:
    """The content lines of an iCalendar body (RFC 5545, 3.1)."""
    assert body.endswith("\r\n")
    assert "\n" not in body.replace("\r\n", "")
    return body.replace("\r\n ", "").split("\r\n")[:-1]


def events(body: str) -> list[dict]:
    found = []
    for line in unfold(body):
        if line == "BEGIN:VEVENT":
            found.append({})
        elif found and line != "END:VEVENT" and ":" in line:
            name, _, value = line.partition(":")
            found[-1][name] = value
    return found


def feed(client, person) -> list[dict]:
    response = client.get(feed_url(person))
    assert response.status_code == 200
    return events(response.content.decode())


def at(days=0, hour=10, minute=0):
    """A moment in Amsterdam, `days` from today."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def test_the_feed_holds_a_planned_conversation_at_its_time_in_utc(client, world):
    summer = timezone.make_aware(datetime.datetime(timezone.localdate().year + 1, 7, 1, 10, 0))
    conversation = GuidanceConversationFactory(trajectory=world.trajectory, planned_at=summer)

    (event,) = feed(client, world.trainer)

    assert event["DTSTART"] == f"{summer.year}0701T080000Z"  # 10:00 summer time
    assert event["DTEND"] == f"{summer.year}0701T083000Z"
    assert event["SUMMARY"] == f"Begeleidingsgesprek {world.trajectory.participant.first_name}"
    assert event["UID"] == f"conversation-{conversation.pk}@testserver"
    assert re.fullmatch(r"\d{8}T\d{6}Z", event["DTSTAMP"])


def test_the_feed_names_only_the_first_name_and_nothing_that_was_said(client, world):
    GuidanceConversationFactory(trajectory=world.trajectory, agreements="Geheim: vaak ziek")

    body = client.get(feed_url(world.trainer)).content.decode()

    assert world.trajectory.participant.last_name not in body
    assert "Geheim" not in body


def test_a_held_conversation_is_not_in_the_feed(client, world):
    GuidanceConversationFactory(trajectory=world.trajectory, planned_at=at(-2), held_at=at(-2))

    assert feed(client, world.trainer) == []


def test_another_trainers_conversation_is_not_in_the_feed(client, world):
    GuidanceConversationFactory(trajectory=world.colleague_trajectory)
    GuidanceConversationFactory(trajectory=world.other_trajectory)

    assert feed(client, world.trainer) == []


def test_the_feed_reaches_a_month_back(client, world):
    GuidanceConversationFactory(trajectory=world.trajectory, planned_at=at(-20))
    GuidanceConversationFactory(trajectory=world.trajectory, planned_at=at(-40))

    (event,) = feed(client, world.trainer)

    assert event["DTSTART"].startswith(f"{at(-20):%Y%m%d}")


def test_a_closed_trajectorys_conversation_is_not_in_the_feed(client, world):
    closed = TrajectoryFactory(
        department=world.department,
        trainer=world.trainer,
        coach=world.coach,
        phase=4,
        closed_on=timezone.localdate(),
    )
    GuidanceConversationFactory(trajectory=closed)

    assert feed(client, world.trainer) == []


def test_the_feed_is_a_private_calendar_that_no_cache_keeps(client, world):
    response = client.get(feed_url(world.trainer))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}
    assert unfold(response.content.decode())[0] == "BEGIN:VCALENDAR"


def test_a_comma_in_a_name_is_escaped(client, world):
    participant = world.trajectory.participant
    participant.first_name = "Anna, Maria; \\Jr"
    participant.save()
    GuidanceConversationFactory(trajectory=world.trajectory)

    (event,) = feed(client, world.trainer)

    assert event["SUMMARY"] == "Begeleidingsgesprek Anna\\, Maria\\; \\\\Jr"


def test_a_long_line_is_folded_at_75_octets_between_characters(client, world):
    participant = world.trajectory.participant
    participant.first_name = "Émilie-Géraldine Ëlisabeth Françoise Chloé Zoë Anaïs Renée"
    participant.save()
    GuidanceConversationFactory(trajectory=world.trajectory)

    body = client.get(feed_url(world.trainer)).content

    lines = body.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)
    (event,) = events(body.decode())  # a split character would not decode
    assert event["SUMMARY"] == f"Begeleidingsgesprek {participant.first_name}"


def altered(token: str) -> str:
    """One character of the signature changed. Not the last: base64's last character carries
    spare bits, and some changes there decode to the same signature."""
    position = len(token) - 10
    swapped = "B" if token[position] == "A" else "A"
    return token[:position] + swapped + token[position + 1 :]


@pytest.mark.parametrize(
    "token",
    [
        lambda w: altered(feed_token(w.trainer)),
        lambda w: f"{w.trainer.pk}." + feed_token(w.other_trainer).partition(".")[2],
        lambda w: feed_token(Person(pk=w.other_trainer.pk, user=w.trainer.user)),
        lambda w: str(w.trainer.pk),
        lambda w: "abc.def",
        lambda w: "9" * 40 + ".def",
        lambda w: "²." + feed_token(w.trainer).partition(".")[2],
    ],
    ids=["altered", "another's signature", "another's id", "unsigned", "nonsense", "huge", "²"],
)
def test_a_forged_token_finds_nothing(client, world, token):
    url = reverse("trajects:calendar_feed", args=[token(world)])

    assert client.get(url).status_code == 404


def test_a_new_password_revokes_the_link(client, world):
    url = feed_url(world.trainer)
    world.trainer.user.set_password("een-nieuw-wachtwoord")
    world.trainer.user.save()

    assert client.get(url).status_code == 404


def renew(client, person):
    client.force_login(person.user)
    response = client.post(reverse("trajects:calendar_renew"), follow=True)
    person.refresh_from_db()
    return response


def test_a_new_link_ends_the_old_one(client, world):
    old = feed_url(world.trainer)

    renew(client, world.trainer)

    assert client.get(old).status_code == 404
    assert client.get(feed_url(world.trainer)).status_code == 200


def test_a_new_link_leaves_a_colleagues_link_alone(client, world):
    colleagues = feed_url(world.other_trainer)

    renew(client, world.trainer)

    assert client.get(colleagues).status_code == 200


def test_a_new_link_is_in_the_audit_log_and_the_page_says_so(client, world):
    response = renew(client, world.trainer)

    event = AuditEvent.objects.get(action=AuditAction.CALENDAR_RENEWED)
    assert (event.user, event.object_id) == (world.trainer.user, str(world.trainer.pk))
    assert response.redirect_chain == [(reverse("trajects:calendar"), 302)]
    page = response.content.decode()
    assert "De oude link werkt niet meer" in page
    assert feed_url(world.trainer) in page


def test_a_deactivated_login_revokes_the_link(client, world):
    url = feed_url(world.trainer)
    world.trainer.user.is_active = False
    world.trainer.user.save()

    assert client.get(url).status_code == 404


def test_the_trainer_finds_the_link_from_their_home_page(client, world):
    GuidanceConversationFactory(trajectory=world.trajectory)
    client.force_login(world.trainer.user)

    home = client.get(reverse("trajects:trainer_home")).content.decode()
    assert reverse("trajects:calendar") in home
    page = client.get(reverse("trajects:calendar")).content.decode()
    client.logout()

    url = re.search(r'value="http://testserver(/calendar/[^"]+\.ics)"', page).group(1)
    assert f'href="webcal://testserver{url}"' in page
    assert len(feed(client, world.trainer)) == len(events(client.get(url).content.decode())) == 1


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_the_feed_runs_the_same_number_of_queries_for_3_and_30_conversations(client, world):
    def plan(count):
        for n in range(count):
            trajectory = TrajectoryFactory(
                department=world.department, trainer=world.trainer, coach=world.coach
            )
            GuidanceConversationFactory(trajectory=trajectory, planned_at=at(n % 40 - 20))
            invited = MeetingFactory(organiser=world.coach, scheduled_at=at(n % 40 - 20))
            MeetingAttendanceFactory(meeting=invited, person=world.trainer)

    plan(3)
    small = queries_for(client, feed_url(world.trainer))
    plan(27)
    large = queries_for(client, feed_url(world.trainer))

    assert small == large <= 4


# Meetings the trainer is invited to


def test_the_feed_holds_the_meetings_the_trainer_is_invited_to_as_the_invitation_has_them(
    client, world
):
    kick_off = MeetingFactory(organiser=world.coach, title="Start najaar", location="Kantine")
    MeetingAttendanceFactory(meeting=kick_off, person=world.trainer)
    MeetingFactory(organiser=world.coach, title="Niet voor mij")

    (event,) = feed(client, world.trainer)

    assert event["SUMMARY"] == "Start najaar"
    assert event["LOCATION"] == "Kantine"
    assert event["UID"] == meeting_uid(kick_off)
    assert event["SEQUENCE"] == "0"
    assert not any(name.startswith(("ATTENDEE", "ORGANIZER")) for name in event)


def test_a_held_meeting_leaves_the_feed(client, world):
    meeting = MeetingFactory(organiser=world.coach, scheduled_at=at(-1), held_on=at(-1).date())
    MeetingAttendanceFactory(meeting=meeting, person=world.trainer)

    assert feed(client, world.trainer) == []
