"""The coach's own work: meetings and escalations (DOMAIN.md, "The three roles")."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from trajects.models import (
    Escalation,
    Meeting,
    MeetingAttendance,
    MeetingKind,
    Trajectory,
)
from wpo import access
from wpo.models import Department, Membership, Person, Role
from wpo.services import not_in_future, refuse, save, write

RECENTLY_CLOSED = datetime.timedelta(days=90)  # a closing may come after the formal close
NEEDS_INVITEES = (MeetingKind.KICKOFF, MeetingKind.PEER_REVIEW, MeetingKind.CLOSING)


def invitable_trainers(departments):
    """The trainer roles of `departments`: who may come to a meeting as trainer."""
    return Membership.objects.filter(role=Role.TRAINER, department__in=departments)


def invitable_trajectories(departments):
    """The trajectories whose participants may come to a meeting of `departments`: open ones,
    and those closed lately."""
    recent = timezone.localdate() - RECENTLY_CLOSED
    return Trajectory.objects.filter(department__in=departments, stopped_on__isnull=True).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=recent)
    )


def _check_invitees(kind, departments, invitees):
    trainers = set(invitable_trainers(departments).values_list("person_id", flat=True))
    participants = set(invitable_trajectories(departments).values_list("participant_id", flat=True))
    if kind == MeetingKind.PEER_REVIEW:
        others = [person.full_name for person in invitees if person.pk not in trainers]
        message = _("A peer-review meeting is for trainers; not for %(names)s.")
    else:
        allowed = trainers | participants
        others = [person.full_name for person in invitees if person.pk not in allowed]
        message = _("%(names)s is not a trainer or participant of the chosen departments.")
    if others:
        refuse(message % {"names": ", ".join(sorted(others))}, "invitees")


def _arrange(
    meeting,
    *,
    scheduled_at: datetime.datetime,
    title: str = "",
    location: str = "",
    departments=(),
    trainer: Person | None = None,
    invitees=(),
) -> Meeting:
    """Write what was planned: a one-to-one is with its trainer, in the departments where the
    organiser coaches them; other meetings are for the departments chosen, with invitees from
    them."""
    if meeting.kind == MeetingKind.ONE_TO_ONE:
        if trainer is None:
            refuse(_("Choose the trainer."), "trainer")
        coached = Membership.objects.filter(person_id=meeting.organiser_id, role=Role.COACH)
        departments = list(
            Department.objects.filter(
                pk__in=invitable_trainers(coached.values("department"))
                .filter(person=trainer)
                .values("department")
            )
        )
        if not departments:
            refuse(
                _("%(name)s is not a trainer in a department you coach.")
                % {"name": trainer.full_name},
                "trainer",
            )
        invitees = [trainer]
    else:
        trainer, departments, invitees = None, list(departments), list(invitees)
        if not departments:
            refuse(_("Choose at least one department."), "departments")
        if meeting.kind in NEEDS_INVITEES and not invitees:
            refuse(_("Invite at least one person."), "invitees")
        _check_invitees(meeting.kind, departments, invitees)
    write(
        meeting,
        scheduled_at=scheduled_at,
        title=title.strip(),
        location=location.strip(),
        trainer=trainer,
    )
    save(meeting)
    meeting.departments.set(departments)
    meeting.attendances.exclude(person__in=invitees).delete()
    invited = set(meeting.attendances.values_list("person_id", flat=True))
    MeetingAttendance.objects.bulk_create(
        MeetingAttendance(meeting=meeting, person=person)
        for person in invitees
        if person.pk not in invited
    )
    return meeting


@transaction.atomic
def plan_meeting(*, kind: str, by, **plan) -> Meeting:
    """The coach plans a meeting of any kind (DOMAIN.md, "The three roles": the coach), and
    organises it; `plan` as `_arrange` takes it. A date already past is allowed: a department
    visit may be written down afterwards."""
    organiser_id = access.scope_of(by).person_id
    return _arrange(Meeting(kind=kind, organiser_id=organiser_id), **plan)


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _locked_planned(meeting: Meeting) -> Meeting:
    meeting = _locked(meeting)
    if meeting.is_held:
        refuse(_("This meeting has been held; its record can still be corrected."))
    return meeting


@transaction.atomic
def change_meeting(meeting: Meeting, *, by, **plan) -> Meeting:
    """Move a planned meeting, or change who is invited; `plan` as `_arrange` takes it."""
    return _arrange(_locked_planned(meeting), **plan)


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, by) -> Meeting:
    """A planned meeting that will not take place goes, with its invitations."""
    meeting = _locked_planned(meeting)
    meeting.delete()
    return meeting


@transaction.atomic
def record_meeting(
    meeting: Meeting, *, held_on: datetime.date, notes: str, attended=(), by
) -> Meeting:
    """Write down a held meeting: what came of it, and which invitees were there (the others
    were not). Written again, it corrects the record."""
    meeting = _locked(meeting)
    planned_on = timezone.localdate(meeting.scheduled_at)
    if planned_on > timezone.localdate():
        refuse(
            _("This meeting is planned for %(day)s; write it down once it has been held.")
            % {"day": formats.date_format(planned_on, "j F")}
        )
    not_in_future(held_on, "held_on")
    if not notes.strip():
        refuse(_("Write down what was discussed and agreed."), "notes")
    present = {person.pk for person in attended}
    invitations = meeting.attendances.all()
    if present - set(invitations.values_list("person_id", flat=True)):
        refuse(_("Only invitees can be marked as present."), "attended")
    meeting.held_on, meeting.notes = held_on, notes.strip()
    save(meeting, ["held_on", "notes"])
    invitations.filter(person__in=present).update(attended=True)
    invitations.exclude(person__in=present).update(attended=False)
    return meeting


@transaction.atomic
def raise_escalation(
    *, department: Department, subject: str, description: str, trajectory=None, by
) -> Escalation:
    """A problem the coach cannot solve with the trainers goes to the project manager,
    optionally about one participant's trajectory."""
    if trajectory is not None and trajectory.department_id != department.pk:
        refuse(_("This participant is in another department."), "trajectory")
    subject, description = subject.strip(), description.strip()
    if not subject:
        refuse(_("Give the problem a short subject."), "subject")
    if not description:
        refuse(_("Describe the problem."), "description")
    escalation = Escalation(
        raised_by_id=access.scope_of(by).person_id,
        department=department,
        trajectory=trajectory,
        subject=subject,
        description=description,
    )
    return save(escalation, by=by)


@transaction.atomic
def answer_escalation(escalation: Escalation, *, answer: str, by) -> Escalation:
    """The project manager answers; the coach sees the answer. An answer is final."""
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    answer = answer.strip()
    if escalation.is_answered:
        refuse(_("This escalation has already been answered."))
    if not answer:
        refuse(_("Write the answer."), "answer")
    answered_by_id = access.scope_of(by).person_id
    write(escalation, answer=answer, answered_by_id=answered_by_id, answered_at=timezone.now())
    return save(escalation, ["answer", "answered_by", "answered_at"], by=by)
