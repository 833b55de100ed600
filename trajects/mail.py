"""The e-mails the app sends when a step concerns someone else: invitations to meetings (with
their calendar entry), and the escalations between a coach and the project manager. The link
for a new password (`wpo.passwords`) and the Monday reminders (`send_reminders`) go the same
way; docs/messages.md lists them all.

A step writes its e-mails as `Mail` rows in its own transaction; once that commits, the
background worker (`manage.py db_worker`) sends each one and tries again while the mail server
does not take it. So an e-mail server that is down never undoes or loses a step: the mails wait
in the database, and one that still fails after the last try shows on the sender's page, with a
button to try again.

A meeting's calendar entry (RFC 5546): one UID for the meeting whatever happens to it, and a
SEQUENCE raised with every change, so a calendar replaces its entry rather than adding one. A
move or a new time is a REQUEST with a higher SEQUENCE (a calendar moves the entry it has);
calling a meeting off, or taking someone off the list, is a CANCEL (the entry goes)."""

import datetime
from email.mime.text import MIMEText
from urllib.parse import urlsplit

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult
from icalendar import Calendar, Event, vCalAddress, vText

from trajects.models import Mail, MailKind, Meeting
from wpo.models import Person, Role

# the waits before each next try: a mail server that is away for an hour or two loses nothing
RETRY_AFTER = [datetime.timedelta(minutes=m) for m in (1, 5, 15, 60, 180)]
# beyond all the tries, a busy worker's delay: an e-mail still waiting then has lost its task
LATE = datetime.timedelta(hours=1)
MEETING_DURATION = datetime.timedelta(hours=1, minutes=30)
REQUEST, CANCEL, PUBLISH = "REQUEST", "CANCEL", "PUBLISH"


def address_of(person: Person | None) -> str:
    """Where a person is reached: the address of their login, else the one the employee
    import gave them (a participant has no login). Someone whose login was stopped has left,
    and someone erased is reached no more."""
    if person is None or person.anonymised_on is not None:
        return ""
    if person.user_id is not None:
        if not person.user.is_active:
            return ""
        return person.user.email or person.email
    return person.email


def _domain() -> str:
    """Of the site, else of the sender's address: one per installation, so a meeting's UID
    stays the same in every e-mail and in the feed."""
    site = urlsplit(settings.WPO_SITE_URL).hostname
    return site or settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "wpo-tracker"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{_domain()}"


def _link(name: str, *args) -> str:
    site = settings.WPO_SITE_URL.rstrip("/")
    return f"{site}{reverse(name, args=args)}" if site else ""


def meeting_event(meeting: Meeting, invitees=(), *, cancelled=False, with_organiser=True):
    """The meeting as a calendar entry; `invitees` become its attendees (those with an
    address). A feed leaves out the organiser's address, as it leaves out every name."""
    start = meeting.scheduled_at.astimezone(datetime.UTC)
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", start)
    event.add("dtend", start + MEETING_DURATION)
    event.add("summary", meeting.name)
    if meeting.location:
        event.add("location", meeting.location)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organiser = meeting.organiser if with_organiser else None
    if address_of(organiser):
        address = vCalAddress(f"mailto:{address_of(organiser)}")
        address.params["cn"] = vText(organiser.full_name)
        event.add("organizer", address)
    for person in invitees:
        if address_of(person):
            attendee = vCalAddress(f"mailto:{address_of(person)}")
            attendee.params["cn"] = vText(person.full_name)
            event.add("attendee", attendee)
    return event


def calendar(events, method: str) -> bytes:
    ical = Calendar()
    ical.add("version", "2.0")
    ical.add("prodid", "-//WPO tracker//Overleggen//NL")
    ical.add("calscale", "GREGORIAN")
    ical.add("method", method)
    for event in events:
        ical.add_component(event)
    return ical.to_ical()


def write(kind, person, subject, body, **about) -> Mail | None:
    """The e-mail to `person`, not yet kept; None for someone without an address."""
    address = address_of(person)
    if not address:
        return None
    return Mail(kind=kind, recipient=person, address=address, subject=subject, body=body, **about)


def queue(mails) -> list[Mail]:
    """Keep the mails and have the worker send them once the step's transaction commits (a
    step refused later sends nothing)."""
    mails = Mail.objects.bulk_create(m for m in mails if m is not None)
    for row in mails:
        transaction.on_commit(lambda pk=row.pk: deliver.enqueue(pk))
    return mails


# Meetings


def send_invitations(meeting: Meeting, people, kind: str = MailKind.INVITATION):
    """Each of `people` gets the meeting's details and its calendar entry: a first invitation,
    or the changed one."""
    people = list(people)
    with translation.override(settings.LANGUAGE_CODE):
        ics = calendar([meeting_event(meeting, people)], REQUEST).decode()
        subject = _("Changed: %(name)s") if kind == MailKind.CHANGE else _("Invitation: %(name)s")
        queue(
            write(
                kind,
                person,
                subject % {"name": meeting.name},
                _meeting_text(meeting, person, kind),
                calendar=ics,
                meeting=meeting,
                sender_id=meeting.organiser_id,
            )
            for person in people
        )


def send_cancellations(meeting: Meeting, people, *, called_off: bool):
    """Each of `people` is told the meeting is off for them, with the entry that takes it out
    of their calendar. Written before a meeting called off is deleted."""
    people = list(people)
    with translation.override(settings.LANGUAGE_CODE):
        ics = calendar([meeting_event(meeting, people, cancelled=True)], CANCEL).decode()
        queue(
            write(
                MailKind.CANCELLATION,
                person,
                _("Cancelled: %(name)s") % {"name": meeting.name},
                _meeting_text(meeting, person, MailKind.CANCELLATION, called_off=called_off),
                calendar=ics,
                meeting=None if called_off else meeting,
                sender_id=meeting.organiser_id,
            )
            for person in people
        )


def _meeting_text(meeting, person, kind, called_off=True) -> str:
    context = {
        "meeting": meeting,
        "person": person,
        "kind": kind,
        "called_off": called_off,
        "link": _link("trajects:meeting", meeting.pk) if person.user_id else "",
    }
    return render_to_string("trajects/email/meeting.txt", context)


# Escalations


def _project_managers():
    return (
        Person.objects.filter(memberships__role=Role.PROJECT_MANAGER, user__is_active=True)
        .select_related("user")
        .distinct()
    )


def tell_about_escalation(escalation, kind: str, *, author: Person, text: str = ""):
    """A new escalation or a coach's follow-up goes to every project manager; an answer, a
    project manager's follow-up or its solving to the coach who raised it. Nobody is told
    what they wrote themselves."""
    to_manager = kind == MailKind.ESCALATION or (
        kind in (MailKind.ESCALATION_MESSAGE, MailKind.ESCALATION_SOLVED)
        and author.pk == escalation.raised_by_id
    )
    people = list(_project_managers()) if to_manager else [escalation.raised_by]
    subjects = {
        MailKind.ESCALATION: _("Escalation: %(subject)s"),
        MailKind.ESCALATION_ANSWER: _("Answer to your escalation: %(subject)s"),
        MailKind.ESCALATION_MESSAGE: _("Follow-up: %(subject)s"),
        MailKind.ESCALATION_SOLVED: _("Solved: %(subject)s"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "escalation": escalation,
            "kind": kind,
            "author": author,
            "text": text,
            "link": _link("trajects:escalation", escalation.pk),
        }
        body = render_to_string("trajects/email/escalation.txt", context)
        subject = subjects[kind] % {"subject": escalation.subject}
        queue(
            write(kind, person, subject, body, escalation=escalation, sender=author)
            for person in people
            if person.pk != author.pk
        )


# Sending


def _message(row: Mail, connection) -> mail.EmailMessage:
    message = mail.EmailMessage(row.subject, row.body, to=[row.address], connection=connection)
    if row.calendar:
        # the calendar part with its method, which mail apps read to offer "add to calendar"
        part = MIMEText(row.calendar, "calendar", "utf-8")
        part.set_param("method", CANCEL if row.kind == MailKind.CANCELLATION else REQUEST)
        part.add_header("Content-Disposition", "attachment", filename="uitnodiging.ics")
        message.attach(part)
    return message


def _link_expired(row: Mail) -> bool:
    """A new-password link works for PASSWORD_RESET_TIMEOUT (two hours), less than all the
    tries together: later, the e-mail would only bring a link that no longer works."""
    expires = row.created_at + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    return row.kind == MailKind.PASSWORD_RESET and expires < timezone.now()


@task()
def deliver(mail_id: int):
    """Send one kept e-mail; when the server does not take it, try again later, and after
    the last try mark it failed (the sender's page shows it). No lock is held while the mail
    server is talked to: the worker takes each task once."""
    row = Mail.objects.unsent().filter(pk=mail_id, failed_at__isnull=True).first()
    if row is None:
        return
    if _link_expired(row):
        Mail.objects.filter(pk=row.pk).update(
            failed_at=timezone.now(), body="", error="The link expired before the mail went out."
        )
        return
    try:
        with mail.get_connection() as connection:
            _message(row, connection).send()
    except Exception as error:  # whatever the server or the network says: try again
        attempts = row.attempts + 1
        failed_at = timezone.now() if attempts > len(RETRY_AFTER) else None
        Mail.objects.filter(pk=row.pk).update(
            attempts=attempts, error=f"{type(error).__name__}: {error}"[:500], failed_at=failed_at
        )
        if failed_at is None:
            wait = RETRY_AFTER[attempts - 1]
            deliver.using(run_after=timezone.now() + wait).enqueue(mail_id)
        return
    sent = {"attempts": row.attempts + 1, "sent_at": timezone.now()}
    if row.kind == MailKind.PASSWORD_RESET:
        sent["body"] = ""  # its link opens the login: once out, it is not kept
    Mail.objects.filter(pk=row.pk).update(**sent)


@transaction.atomic
def try_again(mails) -> int:
    """The failed ones of `mails` go to the worker once more, as new."""
    rows = list(mails.failed().select_for_update().values_list("pk", flat=True))
    Mail.objects.filter(pk__in=rows).update(failed_at=None, attempts=0)
    for pk in rows:
        transaction.on_commit(lambda pk=pk: deliver.enqueue(pk))
    return len(rows)


# Housekeeping (`manage.py housekeeping`)


def clear_old(days: int) -> int:
    """Remove the e-mails sent, or given up on, more than `days` ago: they hold personal text.
    An invitation to a meeting still to come stays, as its organiser's page shows it."""
    before = timezone.now() - datetime.timedelta(days=days)
    deleted, _ = (
        Mail.objects.filter(Q(sent_at__lt=before) | Q(failed_at__lt=before))
        .exclude(meeting__scheduled_at__gt=timezone.now())
        .delete()
    )
    return deleted


def send_lost() -> int:
    """Hand the worker again the e-mails that wait with no task to send them (a task that
    failed on a database error, a queue emptied by hand): neither sent nor given up, and
    older than all the tries together. How many."""
    waiting = {
        args_kwargs["args"][0]
        for args_kwargs in DBTaskResult.objects.filter(
            task_path=deliver.module_path,
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        ).values_list("args_kwargs", flat=True)
    }
    lost = list(
        Mail.objects.unsent()
        .filter(failed_at__isnull=True, created_at__lt=timezone.now() - sum(RETRY_AFTER, LATE))
        .exclude(pk__in=waiting)
        .values_list("pk", flat=True)
    )
    for pk in lost:
        deliver.enqueue(pk)
    return len(lost)
