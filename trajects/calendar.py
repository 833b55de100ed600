"""A trainer's planned guidance conversations, and the meetings they are invited to, as an
iCalendar feed (RFC 5545), so the calendar on their phone subscribes to it without logging
in: the address carries a signed token.

The token is the person's id signed with a key that includes their password's hash (as
Django's password-reset links do) and the number of their calendar link. So a leaked link ends
when the trainer asks for a new one (the page has a button) or changes the password; either way
they subscribe again with the new link (the page says so). A deactivated login ends it too. The
feed holds first names, times and a meeting's title and place only, nothing of what was said.
The token is a password: it is kept out of the logs (wpo.logs) and out of caches."""

import datetime

from django.contrib import messages
from django.core import signing
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe
from icalendar import Calendar, Event, vDuration, vText

from trajects.mail import meeting_event
from trajects.models import GuidanceConversation, Meeting, MeetingAttendance, Trajectory
from wpo import access, audit
from wpo.idempotency import idempotent
from wpo.models import AuditAction, Person, Role

SINCE = datetime.timedelta(days=30)  # planned but not yet recorded: still worth seeing
DURATION = datetime.timedelta(minutes=30)
REFRESH = datetime.timedelta(hours=1)


def _signer(person) -> signing.Signer:
    # "." keeps the token one piece in a URL (the signature itself is URL-safe base64)
    salt = f"wpo.calendar:{person.calendar_version}:{person.user.password}"
    return signing.Signer(salt=salt, sep=".")


def feed_token(person) -> str:
    return _signer(person).sign(str(person.pk))


def _person_of(token: str) -> Person:
    pk = token.partition(".")[0]
    if not (pk.isascii() and pk.isdigit() and len(pk) < 19):  # a bigint, or no query
        raise Http404
    person = Person.objects.select_related("user").filter(pk=pk, user__is_active=True).first()
    if person is None:
        raise Http404
    try:
        _signer(person).unsign(token)
    except signing.BadSignature:
        raise Http404 from None
    return person


def _planned_conversations(person):
    """The planned, not yet held, conversations of the open trajectories the person guides
    (their home page's participants), from a month back on."""
    guided = Trajectory.objects.visible_to(person.user).active().guided_by(person.pk).values("pk")
    return (
        GuidanceConversation.objects.planned()
        .filter(trajectory__in=guided, planned_at__gte=timezone.now() - SINCE)
        .select_related("trajectory__participant")
        .order_by("planned_at", "pk")
    )


def _meetings(person):
    """The meetings the person is invited to, not yet held, from a month back on; called off
    ones are gone (their invitees got a cancellation)."""
    invited = MeetingAttendance.objects.filter(person=person).values("meeting_id")
    return Meeting.objects.filter(
        pk__in=invited, held_on__isnull=True, scheduled_at__gte=timezone.now() - SINCE
    ).order_by("scheduled_at", "pk")


def ics(conversations, host: str, meetings=()) -> bytes:
    stamp = timezone.now().astimezone(datetime.UTC)
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", "-//WPO tracker//Begeleidingsgesprekken//NL")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # typed by hand: icalendar leaves an unknown X- property's value as it is, unescaped
    calendar.add("x-wr-calname", vText(_("WPO guidance conversations")))
    # how often a subscribed calendar looks again (RFC 7986, and what Outlook reads)
    calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for conversation in conversations:
        start = conversation.planned_at.astimezone(datetime.UTC)
        event = Event()
        event.add("uid", f"conversation-{conversation.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", start + DURATION)
        name = conversation.trajectory.participant.first_name
        event.add("summary", _("Guidance conversation %(name)s") % {"name": name})
        calendar.add_component(event)
    for meeting in meetings:
        # the same entry (UID, SEQUENCE) as the invitation by e-mail, without who is invited
        calendar.add_component(meeting_event(meeting, with_organiser=False))
    return calendar.to_ical()


@require_safe
def feed(request, token):
    person = _person_of(token)
    host = request.get_host().partition(":")[0]
    body = ics(_planned_conversations(person), host, _meetings(person))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    # the token is in the address: no shared cache keeps the feed, no browser stores it
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
@access.role_required(Role.TRAINER)
def subscribe(request):
    """The trainer's own feed address, to copy into the calendar on their phone."""
    token = feed_token(request.user.person)
    url = request.build_absolute_uri(reverse("trajects:calendar_feed", args=[token]))
    webcal = "webcal://" + url.partition("://")[2]
    return render(request, "trajects/calendar.html", {"url": url, "webcal": webcal})


@require_POST
@access.role_required(Role.TRAINER)
@idempotent
def renew(request):
    """A new feed address, which ends the old one: for a link that was shared by mistake, or a
    phone that was lost."""
    person = request.user.person
    Person.objects.filter(pk=person.pk).update(calendar_version=F("calendar_version") + 1)
    audit.record(AuditAction.CALENDAR_RENEWED, user=request.user, obj=person)
    messages.success(request, _("The old link no longer works. Subscribe again with this one."))
    return redirect("trajects:calendar")
