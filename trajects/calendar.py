"""A trainer's planned guidance conversations as an iCalendar feed (RFC 5545), so the calendar
on their phone subscribes to it without logging in: the address carries a signed token.

The token is the person's id signed with a key that includes their password's hash (as
Django's password-reset links do). So a leaked link is revoked by changing the password, with
no field to add or keep; the price is that a new password also ends the subscription, and the
trainer subscribes again with the new link (the page says so). A deactivated login ends it too.
The feed holds first names and times only, nothing of what was said."""

import datetime

from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe

from trajects.models import GuidanceConversation, Trajectory
from wpo import access
from wpo.models import Person, Role

SINCE = datetime.timedelta(days=30)  # planned but not yet recorded: still worth seeing
DURATION = datetime.timedelta(minutes=30)


def _signer(user) -> signing.Signer:
    # "." keeps the token one piece in a URL (the signature itself is URL-safe base64)
    return signing.Signer(salt=f"wpo.calendar:{user.password}", sep=".")


def feed_token(person_id: int, user) -> str:
    return _signer(user).sign(str(person_id))


def _person_of(token: str) -> Person:
    pk = token.partition(".")[0]
    if not (pk.isascii() and pk.isdigit() and len(pk) < 19):  # a bigint, or no query
        raise Http404
    person = Person.objects.select_related("user").filter(pk=pk, user__is_active=True).first()
    if person is None:
        raise Http404
    try:
        _signer(person.user).unsign(token)
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


def _escape(text: str) -> str:
    """A TEXT value (RFC 5545, 3.3.11)."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return "\\n".join(text.splitlines())


def _fold(line: str) -> str:
    """Lines of at most 75 octets; each following one starts with a space (RFC 5545, 3.1).
    Never inside a character: a name may have é or ë."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > (75 if not parts else 74):
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def ics(conversations, host: str) -> str:
    stamp = _utc(timezone.now())
    # gettext outside the f-strings: xgettext does not look inside them
    calendar_name = _("WPO guidance conversations")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//WPO tracker//Begeleidingsgesprekken//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(calendar_name)}",
        # how often a subscribed calendar looks again (RFC 7986, and what Outlook reads)
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    for conversation in conversations:
        summary = _("Guidance conversation %(name)s") % {
            "name": conversation.trajectory.participant.first_name
        }
        lines += [
            "BEGIN:VEVENT",
            f"UID:conversation-{conversation.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(conversation.planned_at)}",
            f"DTEND:{_utc(conversation.planned_at + DURATION)}",
            f"SUMMARY:{_escape(summary)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(f"{_fold(line)}\r\n" for line in lines)


@require_safe
def feed(request, token):
    person = _person_of(token)
    body = ics(_planned_conversations(person), request.get_host().partition(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    patch_cache_control(response, private=True)
    return response


@require_GET
@access.role_required(Role.TRAINER)
def subscribe(request):
    """The trainer's own feed address, to copy into the calendar on their phone."""
    token = feed_token(access.scope_of(request.user).person_id, request.user)
    url = request.build_absolute_uri(reverse("trajects:calendar_feed", args=[token]))
    webcal = "webcal://" + url.partition("://")[2]
    return render(request, "trajects/calendar.html", {"url": url, "webcal": webcal})
