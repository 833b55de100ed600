"""The coach's own work: meetings and escalations (DOMAIN.md, "The three roles")."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from trajects import mail
from trajects.models import (
    Escalation,
    EscalationMessage,
    Interest,
    MailKind,
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
# the joint meetings the handbook has the coach and the project manager at too
WITH_MANAGEMENT = (MeetingKind.KICKOFF, MeetingKind.CLOSING)


def invitable_trainers(departments):
    """The trainer roles of `departments`: who may come to a meeting as trainer."""
    return Membership.objects.filter(role=Role.TRAINER, department__in=departments)


def invitable_trajectories(departments, *, closed_lately=True):
    """The trajectories whose participants may come to a meeting of `departments`: open ones,
    and (for a closing) those closed lately."""
    trajectories = Trajectory.objects.filter(department__in=departments, stopped_on__isnull=True)
    if not closed_lately:
        return trajectories.filter(closed_on__isnull=True)
    recent = timezone.localdate() - RECENTLY_CLOSED
    return trajectories.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=recent))


def invitable_participants(kind, departments):
    """Who may come as participant: to a kick-off, the participants-to-be (the waiting list)
    and those whose trajectory runs; to a closing, also those whose trajectory closed lately;
    to a peer review, nobody. Whose trajectory ended is not offered again."""
    if kind == MeetingKind.PEER_REVIEW:
        return Person.objects.none()
    closing = kind == MeetingKind.CLOSING
    running = invitable_trajectories(departments, closed_lately=closing)
    q = Q(pk__in=running.values("participant_id"))
    if kind == MeetingKind.KICKOFF:
        waiting = Interest.objects.filter(department__in=departments).waiting()
        q |= Q(pk__in=waiting.values("person_id"))
    return Person.objects.filter(q)


def invitable_management(kind, departments, organiser_id):
    """The coaches of `departments` (other than the organiser) and the project managers, for
    the meetings the handbook has them at."""
    if kind not in WITH_MANAGEMENT:
        return Person.objects.none()
    roles = Membership.objects.filter(
        Q(role=Role.COACH, department__in=departments) | Q(role=Role.PROJECT_MANAGER)
    )
    return Person.objects.filter(pk__in=roles.values("person_id")).exclude(pk=organiser_id)


def _check_invitees(kind, departments, invitees, organiser_id):
    trainers = set(invitable_trainers(departments).values_list("person_id", flat=True))
    allowed = trainers.union(
        invitable_participants(kind, departments).values_list("pk", flat=True),
        invitable_management(kind, departments, organiser_id).values_list("pk", flat=True),
    )
    others = [person.full_name for person in invitees if person.pk not in allowed]
    if not others:
        return
    if kind == MeetingKind.PEER_REVIEW:
        message = _("A peer-review meeting is for trainers; not for %(names)s.")
    else:
        message = _("%(names)s is not among those this meeting is for in the chosen departments.")
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
        _check_invitees(meeting.kind, departments, invitees, meeting.organiser_id)
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


def _invitees(meeting) -> dict[int, Person]:
    people = Person.objects.filter(attendances__meeting=meeting).select_related("user")
    return {person.pk: person for person in people}


@transaction.atomic
def plan_meeting(*, kind: str, by, **plan) -> Meeting:
    """The coach plans a meeting of any kind (DOMAIN.md, "The three roles": the coach), and
    organises it; `plan` as `_arrange` takes it. A date already past is allowed: a department
    visit may be written down afterwards. Every invitee gets an invitation by e-mail."""
    organiser_id = access.scope_of(by).person_id
    meeting = _arrange(Meeting(kind=kind, organiser_id=organiser_id), **plan)
    mail.send_invitations(meeting, _invitees(meeting).values())
    return meeting


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _locked_planned(meeting: Meeting) -> Meeting:
    meeting = _locked(meeting)
    if meeting.is_held:
        refuse(_("This meeting has been held; its record can still be corrected."))
    return meeting


WHAT_INVITEES_ARE_TOLD = ("scheduled_at", "title", "location")


@transaction.atomic
def change_meeting(meeting: Meeting, *, by, **plan) -> Meeting:
    """Move a planned meeting, or change who is invited; `plan` as `_arrange` takes it. Those
    still invited hear of a new time, place or title; those taken off the list get a
    cancellation, those added an invitation."""
    meeting = _locked_planned(meeting)
    told_before = [getattr(meeting, name) for name in WHAT_INVITEES_ARE_TOLD]
    before = _invitees(meeting)
    meeting = _arrange(meeting, **plan)
    after = _invitees(meeting)
    moved = told_before != [getattr(meeting, name) for name in WHAT_INVITEES_ARE_TOLD]
    added = [person for pk, person in after.items() if pk not in before]
    removed = [person for pk, person in before.items() if pk not in after]
    if not (moved or added or removed):
        return meeting
    meeting.sequence += 1
    save(meeting, ["sequence"])
    if moved:
        kept = [person for pk, person in after.items() if pk in before]
        mail.send_invitations(meeting, kept, MailKind.CHANGE)
    mail.send_invitations(meeting, added)
    mail.send_cancellations(meeting, removed, called_off=False)
    return meeting


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, by) -> Meeting:
    """A planned meeting that will not take place goes, with its invitations; the invitees
    are told, and their calendars take it out."""
    meeting = _locked_planned(meeting)
    meeting.sequence += 1
    mail.send_cancellations(meeting, _invitees(meeting).values(), called_off=True)
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


def _author(by) -> Person:
    return Person.objects.get(pk=access.scope_of(by).person_id)


@transaction.atomic
def raise_escalation(
    *, department: Department, subject: str, description: str, trajectory=None, by
) -> Escalation:
    """A problem the coach cannot solve with the trainers goes to the project manager,
    optionally about one participant's trajectory. The project manager is told by e-mail."""
    if trajectory is not None and trajectory.department_id != department.pk:
        refuse(_("This participant is in another department."), "trajectory")
    subject, description = subject.strip(), description.strip()
    if not subject:
        refuse(_("Give the problem a short subject."), "subject")
    if not description:
        refuse(_("Describe the problem."), "description")
    author = _author(by)
    escalation = Escalation(
        raised_by=author,
        department=department,
        trajectory=trajectory,
        subject=subject,
        description=description,
    )
    save(escalation, by=by)
    mail.tell_about_escalation(escalation, MailKind.ESCALATION, author=author, text=description)
    return escalation


def _locked_escalation(escalation: Escalation) -> Escalation:
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if escalation.is_solved:
        refuse(_("This escalation is solved; its thread is kept as it is."))
    return escalation


@transaction.atomic
def answer_escalation(escalation: Escalation, *, answer: str, by) -> Escalation:
    """The project manager answers; the coach is told by e-mail. An answer is final: what
    comes after it is a follow-up."""
    escalation = _locked_escalation(escalation)
    answer = answer.strip()
    if escalation.is_answered:
        refuse(_("This escalation has already been answered."))
    if not answer:
        refuse(_("Write the answer."), "answer")
    author = _author(by)
    write(escalation, answer=answer, answered_by=author, answered_at=timezone.now())
    save(escalation, ["answer", "answered_by", "answered_at"], by=by)
    mail.tell_about_escalation(escalation, MailKind.ESCALATION_ANSWER, author=author, text=answer)
    return escalation


@transaction.atomic
def follow_up_escalation(escalation: Escalation, *, text: str, by) -> EscalationMessage:
    """After the answer, the coach and the project manager write on in the escalation's
    thread until it is solved; the other side is told by e-mail. A coach's follow-up puts
    the escalation back with the project manager."""
    escalation = _locked_escalation(escalation)
    if not escalation.is_answered:
        refuse(_("The project manager answers first; then you can write on."))
    text = text.strip()
    if not text:
        refuse(_("Write your message."), "text")
    author = _author(by)
    message = EscalationMessage(
        escalation=escalation,
        author=author,
        by_project_manager=access.scope_of(by).is_project_manager,
        text=text,
    )
    save(message)
    mail.tell_about_escalation(escalation, MailKind.ESCALATION_MESSAGE, author=author, text=text)
    return message


@transaction.atomic
def solve_escalation(escalation: Escalation, *, by) -> Escalation:
    """The problem is solved: the escalation closes with its thread kept, and the other side
    is told."""
    escalation = _locked_escalation(escalation)
    author = _author(by)
    write(escalation, solved_by=author, solved_at=timezone.now())
    save(escalation, ["solved_by", "solved_at"], by=by)
    mail.tell_about_escalation(escalation, MailKind.ESCALATION_SOLVED, author=author)
    return escalation
