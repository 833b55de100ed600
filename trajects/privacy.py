"""A participant's rights under the AVG (GDPR): everything recorded about them, for a data
subject access request, and anonymising them once the retention period after their last
trajectory has passed.

Apps further down the import chain (certificates) add their part through the two signals, so
this module needs to know nothing of them.

`export` holds dates and times as Python values: `JSONEncoder` writes them as ISO 8601 with the
offset, `readable` as people read them (in the language of the request, in local time).
"""

import datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from trajects.models import (
    AssignmentProgress,
    Escalation,
    FloorNote,
    GuidanceConversation,
    Interest,
    Mail,
    Meeting,
    MeetingAttendance,
    ParticipantLink,
    ParticipantWords,
    Pause,
    PhaseChange,
    Trajectory,
    TrajectorySkill,
)
from wpo import audit
from wpo.models import AuditAction, AuditEvent, Membership, Person
from wpo.services import refuse

# receivers return {section name: list of records} for `person`
personal_data = Signal()
# receivers anonymise their records of `person` and return {what: how many}
anonymising = Signal()
# receivers return the records of their app that hold `person`'s data (a certificate, a
# printed batch), so that who downloaded them is in the export's audit log too
audited_records = Signal()

REMOVED = "—"
ANONYMOUS = "Geanonimiseerd"
CONVERSATION_TEXTS = [
    "participant_account",
    "trainer_observations",
    "positive_feedback",
    "agreements",
]


def _name(person):
    return person.full_name if person else None


class JSONEncoder(DjangoJSONEncoder):
    """Times in local time with their offset, to the second (`2026-09-25T11:00:00+02:00`)."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return timezone.localtime(o).isoformat(timespec="seconds")
        return super().default(o)


def export(person: Person) -> dict:
    """Everything about `person`, in plain terms, earlier versions of texts included; the
    meetings and escalations that name them; who looked at or downloaded their data."""
    trajectories = list(
        Trajectory.objects.filter(participant=person)
        .select_related("department", "trainer", "coach")
        .order_by("agreed_start")
    )
    data = {
        "person": {
            "first_name": person.first_name,
            "infix": person.infix,
            "last_name": person.last_name,
            "employee_number": person.employee_number,
            "department": str(person.department),
        },
        "registrations": [
            {
                "registered_on": row.registered_on,
                "department": str(row.department),
                "supervisor": _name(row.supervisor),
                "wish": row.wish,
                "withdrawn_on": row.withdrawn_on,
            }
            for row in Interest.objects.filter(person=person).select_related(
                "department", "supervisor"
            )
        ],
        "meetings": [
            {
                "meeting": row.meeting.get_kind_display(),
                "date": row.meeting.scheduled_at,
                "attended": row.attended,
            }
            for row in MeetingAttendance.objects.filter(person=person).select_related("meeting")
        ],
        "trajectories": [_trajectory(trajectory) for trajectory in trajectories],
        **_named_in_texts(person),
    }
    for _receiver, section in personal_data.send(sender=Person, person=person):
        data.update(section)
    data["audit_log"] = _audit_log(person, trajectories)
    return data


def _named_in_texts(person) -> dict:
    """Meeting notes and escalations (other than those of the person's own trajectories, which
    are listed there) that name the person: their full name, in any case."""
    name = person.full_name
    escalations = Escalation.objects.filter(
        Q(subject__icontains=name) | Q(description__icontains=name) | Q(answer__icontains=name)
    ).exclude(trajectory__participant=person)
    return {
        "named_in_meetings": [
            {
                "meeting": row.get_kind_display(),
                "title": row.title,
                "date": row.scheduled_at,
                "notes": row.notes,
            }
            for row in Meeting.objects.filter(notes__icontains=name)
        ],
        "named_in_escalations": [_escalation(row) for row in escalations],
    }


def _escalation(row) -> dict:
    return {
        "raised_at": row.raised_at,
        "subject": row.subject,
        "description": row.description,
        "answer": row.answer,
    }


def _audit_log(person, trajectories) -> list[dict]:
    """Who looked at or downloaded the person's data: the audit events on them, on their
    trajectories and on what other apps hold of them, newest first."""
    records = [person, *trajectories]
    for _receiver, more in audited_records.send(sender=Person, person=person):
        records += more
    about = Q(pk__in=[])
    for record in records:
        about |= Q(object_type=record._meta.label, object_id=str(record.pk))
    events = AuditEvent.objects.filter(about).select_related("user__person")
    return [
        {"who": _login(row.user), "what": row.get_action_display(), "when": row.at}
        for row in events
    ]


def _login(user):
    if user is None:
        return None
    person = getattr(user, "person", None)
    return person.full_name if person else user.get_username()


def _trajectory(trajectory) -> dict:
    skills = TrajectorySkill.objects.filter(trajectory=trajectory).select_related(
        "skill", "assessed_by", "second_assessor"
    )
    progress = AssignmentProgress.objects.filter(
        trajectory_skill__trajectory=trajectory
    ).select_related("assignment__skill")
    conversations = GuidanceConversation.objects.filter(trajectory=trajectory)
    return {
        "trajectory": {
            "department": str(trajectory.department),
            "workplace_trainer": _name(trajectory.trainer),
            "coach": _name(trajectory.coach),
            "agreed_start": trajectory.agreed_start,
            "agreed_end": trajectory.agreed_end,
            "phase": trajectory.get_phase_display(),
            "closed_on": trajectory.closed_on,
            "stopped_on": trajectory.stopped_on,
            "stop_reason": trajectory.stop_reason,
        },
        "skills": [
            {
                "skill": row.skill.name,
                "target_level": row.target_level,
                "level_reached": row.achieved_level or None,
                "assessed_on": row.assessed_on,
                "assessed_by": _name(row.assessed_by),
                "second_assessor": _name(row.second_assessor),
            }
            for row in skills
        ],
        "assignments": [
            {
                "skill": row.assignment.skill.name,
                "assignment": row.assignment.title,
                "level": row.assignment.level,
                "status": row.get_status_display(),
                "introduced_on": row.introduced_on,
                "get_started_on": row.get_started_on,
                "look_back_done_on": row.look_back_done_on,
                "passed_on": row.passed_on,
                "stopped_on": row.stopped_on,
            }
            for row in progress
        ],
        "conversations": [
            {
                "planned_at": row.planned_at,
                "held_at": row.held_at,
                **{name: getattr(row, name) for name in CONVERSATION_TEXTS},
                "outcome": row.get_outcome_display(),
                "coach_present": row.coach_present,
                "second_assessor": _name(row.second_assessor),
                "next_planned_at": row.next_planned_at,
                "confirmed_with_initials": row.participant_initials,
                "confirmed_at": row.participant_confirmed_at,
                "confirmed_on_own_page": row.confirmed_on_own_page,
            }
            for row in conversations.select_related("second_assessor")
        ],
        "earlier_versions_of_conversations": _earlier_versions(
            GuidanceConversation, trajectory, CONVERSATION_TEXTS
        ),
        "earlier_versions_of_notes": _earlier_versions(FloorNote, trajectory, ["text"]),
        "own_words": [
            {
                "kind": row.get_kind_display(),
                "assignment": row.progress.assignment.title if row.progress else None,
                "question": row.question or None,
                "written_at": row.written_at,
                "how_it_went": row.get_feeling_display() or None,
                "words": row.text,
            }
            for row in ParticipantWords.objects.filter(trajectory=trajectory).select_related(
                "progress__assignment"
            )
        ],
        "earlier_versions_of_own_words": _earlier_versions(
            ParticipantWords, trajectory, ["feeling", "text"]
        ),
        "phase_changes": [
            {"phase": row.get_phase_display(), "date": row.changed_on}
            for row in PhaseChange.objects.filter(trajectory=trajectory)
        ],
        "escalations": [
            _escalation(row) for row in Escalation.objects.filter(trajectory=trajectory)
        ],
        "floor_notes": [
            {"written_at": row.written_at, "text": row.text}
            for row in FloorNote.objects.filter(trajectory=trajectory)
        ],
        "pauses": [
            {
                "from": row.starts_on,
                "until": row.resumed_on or row.resume_on,
                "reason": row.reason,
            }
            for row in Pause.objects.filter(trajectory=trajectory)
        ],
    }


LABELS = {
    "person": _("Person"),
    "registrations": _("Registrations"),
    "trajectories": _("WPO trajectory"),
    "trajectory": _("WPO trajectory"),
    "skills": _("Skills"),
    "assignments": _("Assignments"),
    "conversations": _("Guidance conversations"),
    "earlier_versions_of_conversations": _("Earlier versions of conversations"),
    "earlier_versions_of_notes": _("Earlier versions of floor notes"),
    "own_words": _("What the participant wrote themselves"),
    "earlier_versions_of_own_words": _("Earlier versions of what the participant wrote"),
    "kind": _("kind"),
    "question": _("question number"),
    "words": _("text"),
    "how_it_went": _("how it went"),
    "feeling": _("how it went"),
    "confirmed_on_own_page": _("confirmed on the participant's own page"),
    "phase_changes": _("Phases"),
    "escalations": _("Escalations"),
    "meetings": _("Meetings"),
    "named_in_meetings": _("Meetings whose notes name them"),
    "named_in_escalations": _("Other escalations that name them"),
    "audit_log": _("Who viewed or downloaded these data"),
    "who": _("who"),
    "what": _("what"),
    "when": _("when"),
    "title": _("title"),
    "notes": _("notes"),
    "meeting": _("meeting"),
    "date": _("date"),
    "attended": _("attended"),
    "supervisor": _("supervisor"),
    "coach_present": _("coach was there"),
    "next_planned_at": _("next conversation"),
    "confirmed_at": _("confirmed by the participant at"),
    "raised_at": _("raised at"),
    "subject": _("subject"),
    "description": _("description"),
    "answer": _("answer"),
    "floor_notes": _("Floor notes"),
    "pauses": _("Pauses"),
    "certificates": _("Certificates"),
    "first_name": _("first name"),
    "infix": _("infix"),
    "last_name": _("last name"),
    "employee_number": _("employee number"),
    "department": _("department"),
    "registered_on": _("registered on"),
    "wish": _("what the employee would like to learn"),
    "withdrawn_on": _("withdrawn on"),
    "workplace_trainer": _("workplace trainer"),
    "coach": _("coach"),
    "agreed_start": _("agreed start"),
    "agreed_end": _("agreed end"),
    "phase": _("phase"),
    "closed_on": _("closed on"),
    "stopped_on": _("stopped on"),
    "stop_reason": _("reason for stopping"),
    "skill": _("skill"),
    "target_level": _("target level"),
    "level_reached": _("level reached"),
    "assessed_on": _("assessed on"),
    "assessed_by": _("assessed by"),
    "second_assessor": _("second assessor"),
    "assignment": _("assignment"),
    "level": _("level"),
    "status": _("status"),
    "introduced_on": _("introduced on"),
    "get_started_on": _("get-started task on"),
    "look_back_done_on": _("look-back done on"),
    "passed_on": _("passed on"),
    "planned_at": _("planned for"),
    "held_at": _("held on"),
    "changed_at": _("changed at"),
    "participant_account": _("what the participant did and learned"),
    "trainer_observations": _("what the trainer saw"),
    "positive_feedback": _("positive feedback"),
    "agreements": _("agreements"),
    "outcome": _("outcome"),
    "confirmed_with_initials": _("participant's initials"),
    "written_at": _("written at"),
    "text": _("note"),
    "from": _("paused from"),
    "until": _("until"),
    "reason": _("reason"),
    "name_on_certificate": _("name on the certificate"),
    "issued_on": _("issued on"),
    "verification_code": _("verification code"),
    "revoked": _("revoked"),
}


def _shown(value):
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, list):  # a certificate's skills and levels
        return "; ".join(" ".join(str(part) for part in item.values()) for item in value)
    return value


def _records(rows) -> list[list[tuple[str, object]]]:
    rows = rows if isinstance(rows, list) else [rows]
    return [[(LABELS.get(key, key), _shown(value)) for key, value in row.items()] for row in rows]


def readable(data: dict) -> list[tuple[str, list]]:
    """The export as (title, records) sections with Dutch labels, for the page to print."""
    sections = []
    for key, rows in data.items():
        if key == "trajectories":
            for trajectory in rows:
                sections += [
                    (LABELS.get(part, part), _records(records))
                    for part, records in trajectory.items()
                    if records
                ]
        elif rows:
            sections.append((LABELS.get(key, key), _records(rows)))
    return sections


def _earlier_versions(model, trajectory, fields) -> list[dict]:
    """What rows said before they were corrected or removed: every version but the newest of
    a row that still exists, and every version of a row removed since."""
    existing = set(model.objects.filter(trajectory=trajectory).values_list("pk", flat=True))
    versions = model.history.filter(trajectory_id=trajectory.pk).order_by("id", "-history_date")
    newest_seen, earlier = set(), []
    for version in versions:
        if version.id in newest_seen or version.id not in existing:
            earlier.append(
                {
                    "changed_at": version.history_date,
                    **{name: getattr(version, name) for name in fields},
                }
            )
        newest_seen.add(version.id)
    return earlier


def retention_start(today: datetime.date | None = None) -> datetime.date:
    """Trajectories that ended before this date are past their retention period."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=round(365.25 * settings.WPO_RETENTION_YEARS))


def due_for_anonymising(today: datetime.date | None = None):
    """Participants past the retention period: every trajectory closed or stopped, and every
    registration withdrawn, before it; nothing open or waiting. Staff (a login or a role) are
    never among them."""
    before = retention_start(today)
    open_or_recent = Trajectory.objects.filter(
        Q(closed_on__isnull=True, stopped_on__isnull=True)
        | Q(closed_on__gte=before)
        | Q(stopped_on__gte=before)
    )
    recent_registrations = Interest.objects.filter(
        Q(withdrawn_on__isnull=True, trajectory__isnull=True) | Q(withdrawn_on__gte=before)
    )
    took_part = Q(pk__in=Trajectory.objects.values("participant")) | Q(
        pk__in=Interest.objects.values("person")
    )
    return (
        Person.objects.filter(took_part, user__isnull=True, anonymised_on__isnull=True)
        .exclude(pk__in=Membership.objects.values("person"))
        .exclude(pk__in=open_or_recent.values("participant"))
        .exclude(pk__in=recent_registrations.values("person"))
        .exclude(pk__in=Interest.objects.waiting().exclude(supervisor=None).values("supervisor"))
        .order_by("pk")
    )


def _clear(rows, **values) -> int:
    """Overwrite fields of `rows` that hold something; how many rows held something."""
    changed = 0
    for name, value in values.items():
        changed = max(changed, rows.exclude(**{name: ""}).update(**{name: value}))
    return changed


@transaction.atomic
def anonymise(
    person: Person, *, dry_run: bool = False, by=None, action=AuditAction.ANONYMISE
) -> dict:
    """Remove what identifies `person` and what was written about them, earlier versions
    included; keep the numbers (dates, levels, phases) that the organisation's figures are
    made of. With `dry_run`, count what would change and change nothing."""
    trajectory_ids = list(
        Trajectory.history.filter(participant_id=person.pk).values_list("id", flat=True)
    ) + list(Trajectory.objects.filter(participant=person).values_list("pk", flat=True))
    trajectories = Trajectory.objects.filter(pk__in=trajectory_ids)
    of_them = {"trajectory_id__in": trajectory_ids}
    counts = {
        "trajectories": _clear(trajectories, stop_reason=REMOVED),
        "conversations": _clear(
            GuidanceConversation.objects.filter(**of_them),
            **dict.fromkeys(CONVERSATION_TEXTS, ""),
            participant_initials=REMOVED,
        ),
        "floor notes": _clear(FloorNote.objects.filter(**of_them), text=REMOVED),
        "pauses": _clear(Pause.objects.filter(**of_them), reason=REMOVED),
        "escalations": _clear(
            Escalation.objects.filter(**of_them),
            subject=REMOVED,
            description=REMOVED,
            answer=REMOVED,
        ),
        "registrations": _clear(
            Interest.objects.filter(person=person), wish="", withdrawn_reason=REMOVED
        ),
        "own words": _clear(ParticipantWords.objects.filter(**of_them), text=REMOVED),
        # an invitation kept for sending names them and holds their address
        "e-mails": Mail.objects.filter(recipient=person).delete()[0],
    }
    # their personal link ends: nothing may open their pages any more
    ParticipantLink.objects.filter(**of_them).delete()
    # every earlier version, of rows that still exist and of rows deleted since
    skill_ids = TrajectorySkill.history.filter(**of_them).values("id")
    for model, rows in [
        (Trajectory, {"id__in": trajectory_ids}),
        (TrajectorySkill, of_them),
        (AssignmentProgress, {"trajectory_skill_id__in": skill_ids}),
        (GuidanceConversation, of_them),
        (FloorNote, of_them),
        (ParticipantWords, of_them),
        (Pause, of_them),
        (Interest, {"person_id": person.pk}),
        (Person, {"id": person.pk}),
    ]:
        model.history.filter(**rows).delete()
    for _receiver, more in anonymising.send(
        sender=Person, person=person, trajectory_ids=trajectory_ids
    ):
        counts.update(more)
    person.first_name, person.infix, person.last_name = ANONYMOUS, "", f"#{person.pk}"
    person.employee_number = person.email = ""
    person.anonymised_on = timezone.localdate()
    person.save(
        update_fields=[
            "first_name",
            "infix",
            "last_name",
            "employee_number",
            "email",
            "anonymised_on",
        ]
    )
    if dry_run:
        transaction.set_rollback(True)
    else:
        audit.record(action, user=by, obj=person)
    return counts


# what `anonymise` counts, as the confirmation of an erasure names it
ERASED = {
    "trajectories": _("reasons a trajectory stopped"),
    "conversations": _("guidance conversations: what was said, seen and agreed"),
    "floor notes": _("floor notes"),
    "pauses": _("reasons for a pause"),
    "escalations": _("escalations about them"),
    "registrations": _("registrations: the wish and the reason for withdrawing"),
    "own words": _("what they wrote themselves"),
    "certificates": _("certificates: the name becomes initials"),
    "printed certificate batches": _("printed batches of certificates"),
    "e-mails": _("e-mails to them not yet cleared away"),
}


def check_erase(person: Person):
    """Erasing on request (AVG, the right to erasure) is for a participant whose trajectories
    have all ended: a running one is stopped first, so its trainer knows."""
    if person.anonymised_on is not None:
        refuse(_("This person has been erased already."))
    if person.user_id is not None or person.memberships.exists():
        refuse(_("This person works with the app; the administrator removes their login."))
    running = Trajectory.objects.filter(
        participant=person, closed_on__isnull=True, stopped_on__isnull=True
    )
    if running.exists():
        refuse(
            _(
                "This person's trajectory is still running. Stop it first, with the request "
                "as the reason; then erase."
            )
        )


def what_erasing_removes(person: Person) -> list[tuple[str, int]]:
    """What an erasure of `person` would remove or shorten, counted without changing anything:
    (what, how many) for each kind that holds something."""
    # a copy: the dry run renames the instance it is given, and only the database rolls back
    counts = anonymise(Person.objects.get(pk=person.pk), dry_run=True)
    return [(ERASED.get(what, what), count) for what, count in counts.items() if count]


@transaction.atomic
def erase(person: Person, *, by) -> dict:
    """Erase `person` now, on their request, as anonymising does after the retention period:
    their name and number, and every text about them, earlier versions included. A
    registration still waiting is withdrawn. The numbers stay, and certificates keep
    initials, so they still verify."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    check_erase(person)
    Interest.objects.waiting().filter(person=person).update(
        withdrawn_on=timezone.localdate(), withdrawn_reason=REMOVED
    )
    return anonymise(person, by=by, action=AuditAction.ERASE)
