"""The steps of a WPO trajectory, from intake to closing (DOMAIN.md, "One assignment, step by
step" and "The four phases").

Each step runs in a transaction on a freshly locked trajectory, checks the method's rules and
raises `StepRefused` with a message for the user when a rule says no; views only parse input,
call a step and show the result or the message. A message given per field (a dict) lands at that
field of the form.
"""

import datetime
import re
from calendar import monthrange

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from trajects.models import (
    OPEN_STATUSES,
    AssignmentProgress,
    Escalation,
    FloorNote,
    GuidanceConversation,
    Interest,
    Meeting,
    MeetingAttendance,
    MeetingKind,
    Outcome,
    Pause,
    Phase,
    PhaseChange,
    ProgressStatus,
    Trajectory,
    TrajectorySkill,
    Versioned,
)
from wpo import access
from wpo.models import Department, Membership, Person, Role

INDEPENDENT_WEEK = datetime.timedelta(days=7)
LOOK_BACK_DAYS = (7, 14)  # "after 1-2 weeks"
USUAL_MONTHS = (3, 12)
INITIALS = re.compile(r"^[^\W\d_][^\W\d_. ]*(?:[. ]+[^\W\d_]+)*\.?$")


class StepRefused(ValidationError):
    """The method does not allow this step now; the message says why."""


class EditConflict(StepRefused):
    """Someone else saved the row after this form was loaded: saving would overwrite their
    work unseen. `saved` is the row as stored now and `fields` the ones the form edits, so the
    page shows what they stored next to what was typed."""

    def __init__(self, saved: Versioned, fields=()):
        super().__init__(
            _(
                "Someone else saved this while you were working on it. What they saved is "
                "shown here; what you typed is still in the form. Take over what you need and "
                "save again."
            )
        )
        self.saved, self.fields = saved, tuple(fields)


def _check_version(row: Versioned, version: int | None, fields=()):
    """Refuse a save from a form loaded before the row's last save. Without a version (a page
    loaded before versions existed) the save goes ahead, as it did then."""
    if version is not None and version != row.version:
        raise EditConflict(row, fields)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def unusual_period(start: datetime.date, end: datetime.date) -> str:
    """A warning when the agreed period is outside the usual 3 months to 1 year, else ''."""
    shortest, longest = USUAL_MONTHS
    if end < add_months(start, shortest):
        return _("This period is shorter than 3 months; a trajectory usually takes 3 to 12.")
    if end > add_months(start, longest):
        return _("This period is longer than a year; a trajectory usually takes 3 to 12 months.")
    return ""


def _refuse(message, field=None):
    raise StepRefused({field: message} if field else message)


def _not_in_future(day: datetime.date, field: str):
    if day > timezone.localdate():
        _refuse(_("This date is in the future."), field)


def _not_before(day: datetime.date, earliest: datetime.date, field: str):
    if day < earliest:
        _refuse(
            _("This date is before %(day)s, when the last step was taken.")
            % {"day": formats.date_format(earliest, "j F Y")},
            field,
        )


def _check_step_date(trajectory: Trajectory, day: datetime.date, field: str):
    """A step is dated today or earlier, and not before the trajectory's latest phase change
    (or its agreed start)."""
    _not_in_future(day, field)
    last = trajectory.phase_changes.order_by("-changed_on").first()
    _not_before(
        day,
        max(trajectory.agreed_start, last.changed_on) if last else trajectory.agreed_start,
        field,
    )


def _locked(trajectory: Trajectory) -> Trajectory:
    """The trajectory as the database has it now, locked until the step is done, so two people
    taking steps at once take them one after the other."""
    return Trajectory.objects.select_for_update().get(pk=trajectory.pk)


def _current_pause(trajectory: Trajectory) -> Pause | None:
    return Pause.objects.current().filter(trajectory=trajectory).first()


def _check_open(trajectory: Trajectory):
    if not trajectory.is_open:
        _refuse(_("This trajectory has ended; nothing can be added to it."))


def _check_running(trajectory: Trajectory):
    _check_open(trajectory)
    if _current_pause(trajectory):
        _refuse(_("This trajectory is paused. Resume it first."))


def _check_phase(trajectory: Trajectory, *phases: Phase):
    if trajectory.phase not in phases:
        names = ", ".join(str(Phase(phase).label) for phase in phases)
        _refuse(
            _("This can be done in the phase %(phases)s; the trajectory is in %(current)s.")
            % {"phases": names, "current": trajectory.get_phase_display()}
        )


def _move_to(trajectory: Trajectory, phase: Phase, *, on: datetime.date, by):
    trajectory.phase = phase
    _save(trajectory, ["phase"], by=by)
    PhaseChange.objects.create(trajectory=trajectory, phase=phase, changed_on=on, by=by)


def _write(instance, **values):
    for name, value in values.items():
        setattr(instance, name, value)


def _save(instance, update_fields=None, *, by=None):
    """Save after the model's own checks; what they refuse is refused like any step. A new row
    gets every check, cross-row rules included. A change of some fields gets the checks of
    those fields: a trajectory can still be stopped after its trainer moved on. `by` is the
    login the history records."""
    try:
        if update_fields is None:
            instance.full_clean()
        else:
            others = [f.name for f in instance._meta.fields if f.name not in update_fields]
            instance.clean_fields(exclude=others)
            instance.validate_constraints(exclude=others)
    except ValidationError as error:
        messages = error.error_dict if hasattr(error, "error_dict") else error.error_list
        raise StepRefused(messages) from error
    if isinstance(instance, Versioned) and not instance._state.adding:
        # every step reads a versioned row under a lock (its own or its trajectory's), so
        # counting up here cannot lose a save
        instance.version += 1
        if update_fields is not None:
            update_fields = [*update_fields, "version"]
    if by is not None:
        instance._history_user = by
    instance.save(update_fields=update_fields)
    return instance


# Phase 1: intake and start


@transaction.atomic
def register_interest(
    *,
    department,
    first_name: str,
    last_name: str,
    infix: str = "",
    employee_number: str = "",
    supervisor: Person | None = None,
    wish: str = "",
    registered_on: datetime.date | None = None,
    by=None,
) -> Interest:
    """An employee who, with their supervisor, wants to take part. An employee number that is
    already known means that person; without one, a new person is recorded, unless someone of
    the same name in the department is already waiting or taking part (a second tap on Save)."""
    registered_on = registered_on or timezone.localdate()
    _not_in_future(registered_on, "registered_on")
    if employee_number:
        known = Person.objects.filter(employee_number=employee_number)
    else:
        known = Person.objects.filter(
            department=department, first_name=first_name, infix=infix, last_name=last_name
        )
    for person in known:
        if person.department_id != department.pk:
            _refuse(
                _("This employee number belongs to someone in another department."),
                "employee_number",
            )
        if Interest.objects.waiting().filter(person=person).exists():
            _refuse(_("%(name)s is already on the waiting list.") % {"name": person.full_name})
        if Trajectory.objects.active().filter(participant=person).exists():
            _refuse(_("%(name)s is already in a trajectory.") % {"name": person.full_name})
    person = (known.first() if employee_number else None) or _save(
        Person(
            first_name=first_name,
            infix=infix,
            last_name=last_name,
            employee_number=employee_number,
            department=department,
        )
    )
    return _save(
        Interest(
            person=person,
            department=department,
            supervisor=supervisor,
            wish=wish,
            registered_on=registered_on,
            registered_by=by,
        ),
        by=by,
    )


@transaction.atomic
def start_trajectory(
    interest: Interest,
    *,
    trainer: Person,
    coach: Person,
    agreed_start: datetime.date,
    agreed_end: datetime.date,
    by=None,
) -> Trajectory:
    interest = Interest.objects.select_for_update().get(pk=interest.pk)
    if interest.withdrawn_on or Trajectory.objects.filter(interest=interest).exists():
        _refuse(_("This registration has already been dealt with."))
    if agreed_end <= agreed_start:
        _refuse(_("The agreed end must be after the agreed start."), "agreed_end")
    if agreed_start < interest.registered_on:
        _refuse(_("The trajectory starts after the registration."), "agreed_start")
    trajectory = _save(
        Trajectory(
            participant=interest.person,
            department=interest.department,
            trainer=trainer,
            coach=coach,
            interest=interest,
            agreed_start=agreed_start,
            agreed_end=agreed_end,
            phase=Phase.START,
        ),
        by=by,
    )
    PhaseChange.objects.create(
        trajectory=trajectory, phase=Phase.START, changed_on=agreed_start, by=by
    )
    return trajectory


@transaction.atomic
def choose_skills(trajectory: Trajectory, targets: dict, *, by=None) -> list[TrajectorySkill]:
    """The skills chosen with the participant (skill choice card), each with the level aimed
    at. Skills left out are removed, unless work on them has begun."""
    trajectory = _locked(trajectory)
    _check_open(trajectory)
    _check_phase(trajectory, Phase.START, Phase.LEARNING)
    if not targets:
        _refuse(_("Choose at least one skill."))
    chosen = {row.skill_id: row for row in trajectory.skills.select_related("skill")}
    dropped = [row for skill_id, row in chosen.items() if skill_id not in {s.pk for s in targets}]
    started = AssignmentProgress.objects.filter(trajectory_skill__in=dropped).values_list(
        "trajectory_skill__skill__name", flat=True
    )
    if started:
        _refuse(
            _("Work on %(skills)s has begun; it stays chosen.")
            % {"skills": ", ".join(sorted(set(started)))}
        )
    TrajectorySkill.objects.filter(pk__in=[row.pk for row in dropped]).delete()
    for skill, level in targets.items():
        row = chosen.get(skill.pk) or TrajectorySkill(trajectory=trajectory, skill=skill)
        if row.target_level != level:
            row.target_level = level
            _save(row, by=by)
    return list(trajectory.skills.all())


# Phase 2: the assignment cycle


@transaction.atomic
def introduce_assignment(
    trajectory_skill: TrajectorySkill, assignment, *, on: datetime.date, by=None
) -> AssignmentProgress:
    """The trainer introduces an assignment: what you will learn, and how. The first one starts
    the learning/work period."""
    trajectory = _locked(trajectory_skill.trajectory)
    _check_running(trajectory)
    _check_phase(trajectory, Phase.START, Phase.LEARNING)
    _check_step_date(trajectory, on, "introduced_on")
    if assignment.skill_id != trajectory_skill.skill_id:
        _refuse(_("This assignment belongs to another skill."), "assignment")
    progress = AssignmentProgress.objects.filter(trajectory_skill=trajectory_skill)
    current = progress.open().select_related("assignment").first()
    if current:
        _refuse(
            _("%(title)s is still in progress for this skill; finish it first.")
            % {"title": current.assignment.title}
        )
    if progress.filter(assignment=assignment).exists():
        _refuse(_("This assignment was already introduced."), "assignment")
    row = _save(
        AssignmentProgress(
            trajectory_skill=trajectory_skill, assignment=assignment, introduced_on=on
        ),
        by=by,
    )
    if trajectory.phase == Phase.START:
        _move_to(trajectory, Phase.LEARNING, on=on, by=by)
    return row


def _locked_progress(progress: AssignmentProgress) -> AssignmentProgress:
    trajectory = _locked(progress.trajectory_skill.trajectory)
    _check_running(trajectory)
    progress = AssignmentProgress.objects.select_related("trajectory_skill__trajectory").get(
        pk=progress.pk
    )
    if not progress.is_open:
        _refuse(_("This assignment is no longer in progress."))
    return progress


@transaction.atomic
def record_get_started(
    progress: AssignmentProgress,
    *,
    get_started_on: datetime.date,
    look_back_due_on: datetime.date,
    by=None,
) -> AssignmentProgress:
    """The get-started task is done on the floor together; the look-back follows 1-2 weeks
    later."""
    progress = _locked_progress(progress)
    if progress.status not in (ProgressStatus.INTRODUCED, ProgressStatus.WORKING):
        _refuse(_("This assignment is not being practised now."))
    if progress.get_started_on:
        _refuse(_("The get-started task was already recorded."))
    _not_in_future(get_started_on, "get_started_on")
    if get_started_on < progress.introduced_on:
        _refuse(_("This is before the assignment was introduced."), "get_started_on")
    shortest, longest = LOOK_BACK_DAYS
    if not shortest <= (look_back_due_on - get_started_on).days <= longest:
        _refuse(
            _("Plan the look-back 1 to 2 weeks after the get-started task."), "look_back_due_on"
        )
    progress.get_started_on = get_started_on
    progress.look_back_due_on = look_back_due_on
    progress.status = ProgressStatus.WORKING
    return _save(progress, ["get_started_on", "look_back_due_on", "status"], by=by)


@transaction.atomic
def record_look_back(
    progress: AssignmentProgress, *, look_back_done_on: datetime.date, by=None
) -> AssignmentProgress:
    progress = _locked_progress(progress)
    if not progress.get_started_on:
        _refuse(_("Record the get-started task first."))
    if progress.look_back_done_on:
        _refuse(_("The look-back task was already recorded."))
    _not_in_future(look_back_done_on, "look_back_done_on")
    if look_back_done_on < progress.look_back_from:
        _refuse(
            _("The look-back comes 1 to 2 weeks after the get-started task: from %(day)s.")
            % {"day": formats.date_format(progress.look_back_from, "j F")},
            "look_back_done_on",
        )
    progress.look_back_done_on = look_back_done_on
    return _save(progress, ["look_back_done_on"], by=by)


# Guidance conversations and floor notes


def _check_own_progress(trajectory: Trajectory, progress: AssignmentProgress | None):
    if progress is None:
        return None
    progress = AssignmentProgress.objects.select_related("trajectory_skill").get(pk=progress.pk)
    if progress.trajectory_skill.trajectory_id != trajectory.pk:
        _refuse(_("This assignment belongs to another participant's trajectory."), "progress")
    return progress


@transaction.atomic
def plan_conversation(
    trajectory: Trajectory,
    *,
    planned_at: datetime.datetime,
    progress: AssignmentProgress | None = None,
    by=None,
) -> GuidanceConversation:
    trajectory = _locked(trajectory)
    _check_open(trajectory)
    if planned_at <= timezone.now():
        _refuse(_("Plan the conversation at a moment still to come."), "planned_at")
    progress = _check_own_progress(trajectory, progress)
    existing = trajectory.conversations.planned().filter(planned_at=planned_at).first()
    if existing:
        return existing
    return _save(
        GuidanceConversation(
            trajectory=trajectory, progress=progress, planned_at=planned_at, author=by
        ),
        by=by,
    )


def _locked_planned(conversation: GuidanceConversation) -> GuidanceConversation:
    _check_open(_locked(conversation.trajectory))
    conversation = GuidanceConversation.objects.select_for_update().get(pk=conversation.pk)
    if conversation.held_at:
        _refuse(_("This conversation was already recorded."))
    return conversation


@transaction.atomic
def reschedule_conversation(
    conversation: GuidanceConversation,
    *,
    planned_at: datetime.datetime,
    version: int | None = None,
    by=None,
) -> GuidanceConversation:
    conversation = _locked_planned(conversation)
    _check_version(conversation, version, ["planned_at"])
    if planned_at <= timezone.now():
        _refuse(_("Plan the conversation at a moment still to come."), "planned_at")
    conversation.planned_at = planned_at
    return _save(conversation, ["planned_at", "updated_at"], by=by)


@transaction.atomic
def cancel_conversation(
    conversation: GuidanceConversation, *, version: int | None = None, by=None
) -> GuidanceConversation:
    """A planned conversation that will not take place goes; its history keeps that it was
    planned, and who took it off. Not when someone moved it since the page was opened."""
    conversation = _locked_planned(conversation)
    _check_version(conversation, version, ["planned_at"])
    conversation._history_user = by
    conversation.delete()
    return conversation


def _apply_outcome(progress, outcome, *, held_on, paused, second_assessor, by):
    """What the conversation decided for its assignment (DOMAIN.md, "Passing an assignment")."""
    if outcome in (Outcome.GOAL_REACHED, Outcome.PASSED) and paused:
        _refuse(_("This trajectory is paused. Resume it first."), "outcome")
    if held_on < progress.introduced_on:
        _refuse(_("This is before the assignment was introduced."), "held_at")
    status = progress.status
    if outcome == Outcome.CONTINUE:
        if status == ProgressStatus.INTRODUCED:
            progress.status = ProgressStatus.WORKING
    elif outcome == Outcome.GOAL_REACHED:
        if status == ProgressStatus.INDEPENDENT_WEEK:
            _refuse(_("The independent week has already begun."), "outcome")
        if not progress.look_back_done_on or held_on < progress.look_back_done_on:
            _refuse(
                _("Do the look-back task first; then decide whether the goal is reached."),
                "outcome",
            )
        progress.status = ProgressStatus.INDEPENDENT_WEEK
        progress.goal_reached_on = held_on
        progress.independent_until = held_on + INDEPENDENT_WEEK
    elif outcome in (Outcome.PASSED, Outcome.NOT_YET):
        if status != ProgressStatus.INDEPENDENT_WEEK:
            _refuse(
                _("This outcome belongs to the conversation after the independent week."),
                "outcome",
            )
        if outcome == Outcome.NOT_YET:
            progress.status = ProgressStatus.WORKING
            progress.goal_reached_on = progress.independent_until = None
        elif held_on < progress.independent_until:
            _refuse(
                _("The independent week runs until %(day)s; look back on it after that.")
                % {"day": formats.date_format(progress.independent_until, "j F")},
                "outcome",
            )
        else:
            progress.status = ProgressStatus.PASSED
            progress.passed_on = held_on
            progress.second_assessor = second_assessor
    _save(progress, by=by)


def _check_second_assessor(trajectory, outcome, second_assessor):
    if second_assessor is None:
        return
    if outcome != Outcome.PASSED:
        _refuse(
            _("A second assessor joins the conversation in which the assignment is passed."),
            "second_assessor",
        )
    coaches = Person.objects.in_role(Role.COACH, departments=[trajectory.department_id])
    if not coaches.filter(pk=second_assessor.pk).exists():
        _refuse(_("The second assessor is a coach of this department."), "second_assessor")


@transaction.atomic
def hold_conversation(
    trajectory: Trajectory,
    *,
    held_at: datetime.datetime,
    participant_account: str,
    trainer_observations: str,
    progress: AssignmentProgress | None = None,
    positive_feedback: str = "",
    agreements: str = "",
    coach_present: bool = False,
    outcome: str = "",
    second_assessor: Person | None = None,
    next_planned_at: datetime.datetime | None = None,
    planned: GuidanceConversation | None = None,
    by=None,
) -> GuidanceConversation:
    """Record a guidance conversation that took place (the planned one, when given) and carry
    out what it decided for the assignment. A next date plans the next conversation."""
    trajectory = _locked(trajectory)
    _check_open(trajectory)
    twin = trajectory.conversations.filter(
        held_at=held_at,
        progress=progress,
        outcome=outcome,
        participant_account=participant_account,
        trainer_observations=trainer_observations,
    ).first()
    if twin:  # the same save again (a second tap, a retried post): it is already recorded
        return twin
    if held_at > timezone.now():
        _refuse(_("A conversation that took place cannot be dated in the future."), "held_at")
    if timezone.localdate(held_at) < trajectory.agreed_start:
        _refuse(_("This is before the trajectory started."), "held_at")
    if next_planned_at and next_planned_at <= max(held_at, timezone.now()):
        _refuse(_("Plan the next conversation at a moment still to come."), "next_planned_at")
    progress = _check_own_progress(trajectory, progress)
    if progress is None and outcome:
        _refuse(_("Choose the assignment this outcome is about."), "progress")
    if progress is not None:
        if progress.status not in OPEN_STATUSES:
            _refuse(_("This assignment is no longer in progress."), "progress")
        if not outcome:
            _refuse(_("Choose what the conversation decided."), "outcome")
    _check_second_assessor(trajectory, outcome, second_assessor)
    if planned is not None:
        planned = GuidanceConversation.objects.select_for_update().get(pk=planned.pk)
        if planned.trajectory_id != trajectory.pk or planned.held_at:
            _refuse(_("This conversation was already recorded."))
    conversation = planned or GuidanceConversation(trajectory=trajectory)
    _write(
        conversation,
        progress=progress,
        held_at=held_at,
        participant_account=participant_account,
        trainer_observations=trainer_observations,
        positive_feedback=positive_feedback,
        agreements=agreements,
        coach_present=coach_present,
        outcome=outcome,
        second_assessor=second_assessor,
        next_planned_at=next_planned_at,
        author=by,
        recorded_at=timezone.now(),
    )
    if progress is not None:
        _apply_outcome(
            progress,
            outcome,
            held_on=timezone.localdate(held_at),
            paused=_current_pause(trajectory) is not None,
            second_assessor=second_assessor,
            by=by,
        )
    _save(conversation, by=by)
    if next_planned_at:
        still_open = progress if progress and progress.status in OPEN_STATUSES else None
        plan_conversation(trajectory, planned_at=next_planned_at, progress=still_open, by=by)
    return conversation


@transaction.atomic
def edit_conversation(
    conversation: GuidanceConversation,
    *,
    participant_account: str,
    trainer_observations: str,
    positive_feedback: str = "",
    agreements: str = "",
    coach_present: bool = False,
    version: int | None = None,
    by=None,
) -> GuidanceConversation:
    """Correct what was written. The outcome and dates stay: they moved the assignment on.
    Every version is kept in the conversation's history; a correction made on an outdated
    page is refused, with what was saved since."""
    _check_open(_locked(conversation.trajectory))
    conversation = GuidanceConversation.objects.select_for_update().get(pk=conversation.pk)
    if not conversation.correctable:
        _refuse(
            _("A conversation can be corrected up to %(days)s days after it was recorded.")
            % {"days": settings.WPO_CONVERSATION_EDIT_DAYS}
        )
    texts = {
        "participant_account": participant_account,
        "trainer_observations": trainer_observations,
        "positive_feedback": positive_feedback,
        "agreements": agreements,
        "coach_present": coach_present,
    }
    _check_version(conversation, version, texts)
    _write(conversation, **texts)
    return _save(conversation, [*texts, "updated_at"], by=by)


@transaction.atomic
def confirm_conversation(
    conversation: GuidanceConversation, *, initials: str, version: int | None = None, by=None
):
    """The participant, who has no login, confirms on the trainer's phone that the
    conversation was held with them: a tap and their initials. Only what they read: a
    correction saved since the page was opened is shown to them first."""
    conversation = GuidanceConversation.objects.select_for_update().get(pk=conversation.pk)
    if conversation.held_at is None:
        _refuse(_("Only a conversation that took place can be confirmed."))
    if conversation.participant_confirmed_at:
        _refuse(_("The participant has already confirmed this conversation."))
    _check_version(conversation, version)
    initials = initials.strip()
    if not INITIALS.match(initials) or len(initials) > 8:
        _refuse(_("Write your initials in letters, for example A.B."), "initials")
    conversation.participant_initials = initials
    conversation.participant_confirmed_at = timezone.now()
    return _save(conversation, ["participant_initials", "participant_confirmed_at"], by=by)


@transaction.atomic
def add_note(
    trajectory: Trajectory, *, text: str, progress: AssignmentProgress | None = None, by=None
) -> FloorNote:
    trajectory = _locked(trajectory)
    _check_open(trajectory)
    if not text.strip():
        _refuse(_("Write the note first."), "text")
    just_now = timezone.now() - datetime.timedelta(minutes=2)
    twin = trajectory.notes.filter(text=text.strip(), author=by, written_at__gte=just_now)
    if twin.exists():  # the same note saved twice in a row
        return twin.first()
    progress = _check_own_progress(trajectory, progress)
    note = FloorNote(trajectory=trajectory, progress=progress, text=text.strip(), author=by)
    return _save(note, by=by)


# Phases 3 and 4, and the ways out


@transaction.atomic
def start_assessment(trajectory: Trajectory, *, on: datetime.date, by=None) -> Trajectory:
    """The learning/work period ends. An assignment in its independent week waits for its
    follow-up conversation first; assignments still being practised stop here."""
    trajectory = _locked(trajectory)
    _check_running(trajectory)
    _check_phase(trajectory, Phase.LEARNING)
    _check_step_date(trajectory, on, "on")
    progress = AssignmentProgress.objects.filter(trajectory_skill__trajectory=trajectory)
    waiting = progress.filter(status=ProgressStatus.INDEPENDENT_WEEK).select_related("assignment")
    if waiting:
        _refuse(
            _("%(title)s is in its independent week; hold the follow-up conversation first.")
            % {"title": waiting[0].assignment.title}
        )
    if not progress.filter(status=ProgressStatus.PASSED).exists():
        _refuse(_("No assignment has been passed yet, so there is nothing to assess."))
    _stop_assignments(trajectory, on=on, by=by)
    _move_to(trajectory, Phase.ASSESSMENT, on=on, by=by)
    return trajectory


def _stop_assignments(trajectory: Trajectory, *, on: datetime.date, by):
    """The assignments still in progress stop (one per skill at most, each kept in history)."""
    for progress in AssignmentProgress.objects.filter(
        trajectory_skill__trajectory=trajectory
    ).open():
        progress.status = ProgressStatus.STOPPED
        progress.stopped_on = max(on, progress.introduced_on)
        _save(progress, ["status", "stopped_on"], by=by)


def highest_passed_level(trajectory_skill: TrajectorySkill) -> str:
    """The highest level of a passed assignment of this skill, or '' (levels sort A < B < C)."""
    levels = AssignmentProgress.objects.filter(
        trajectory_skill=trajectory_skill, status=ProgressStatus.PASSED
    ).values_list("assignment__level", flat=True)
    return max(levels, default="")


@transaction.atomic
def assess_skill(
    trajectory_skill: TrajectorySkill,
    *,
    level: str,
    assessed_on: datetime.date,
    assessed_by: Person,
    second_assessor: Person | None = None,
    version: int | None = None,
    by=None,
) -> TrajectorySkill:
    """The skill is assessed at the highest level the participant reached. Not over an
    assessment someone else saved since the page was opened."""
    trajectory = _locked(trajectory_skill.trajectory)
    _check_running(trajectory)
    _check_phase(trajectory, Phase.ASSESSMENT)
    _not_in_future(assessed_on, "assessed_on")
    trajectory_skill = TrajectorySkill.objects.select_related(
        "skill", "assessed_by", "second_assessor"
    ).get(pk=trajectory_skill.pk)
    _check_version(
        trajectory_skill,
        version,
        ["achieved_level", "assessed_on", "assessed_by", "second_assessor"],
    )
    highest = highest_passed_level(trajectory_skill)
    if not highest:
        _refuse(_("No assignment of this skill was passed, so it cannot be assessed."))
    if level > highest:
        _refuse(
            _("The highest level passed for this skill is %(level)s.") % {"level": highest},
            "level",
        )
    guides = Person.objects.in_role(
        Role.TRAINER, Role.COACH, departments=[trajectory.department_id]
    )
    if not guides.filter(pk=assessed_by.pk).exists():
        _refuse(_("The assessor is a trainer or coach of this department."), "assessed_by")
    if second_assessor is not None and second_assessor == assessed_by:
        _refuse(_("The second assessor is someone else than the assessor."), "second_assessor")
    if second_assessor is not None and not guides.filter(pk=second_assessor.pk).exists():
        _refuse(_("The assessor is a trainer or coach of this department."), "second_assessor")
    trajectory_skill.achieved_level = level
    trajectory_skill.assessed_on = assessed_on
    trajectory_skill.assessed_by = assessed_by
    trajectory_skill.second_assessor = second_assessor
    return _save(trajectory_skill, by=by)


@transaction.atomic
def start_closing(trajectory: Trajectory, *, on: datetime.date, by=None) -> Trajectory:
    trajectory = _locked(trajectory)
    _check_running(trajectory)
    _check_phase(trajectory, Phase.ASSESSMENT)
    _check_step_date(trajectory, on, "on")
    skills = list(trajectory.skills.select_related("skill"))
    passed = set(
        AssignmentProgress.objects.filter(
            trajectory_skill__trajectory=trajectory, status=ProgressStatus.PASSED
        ).values_list("trajectory_skill_id", flat=True)
    )
    unassessed = [row.skill.name for row in skills if row.pk in passed and not row.achieved_level]
    if unassessed:
        _refuse(_("Assess %(skills)s first.") % {"skills": ", ".join(unassessed)})
    if not any(row.achieved_level for row in skills):
        _refuse(_("Assess at least one skill first."))
    _move_to(trajectory, Phase.CLOSING, on=on, by=by)
    return trajectory


@transaction.atomic
def close_trajectory(trajectory: Trajectory, *, on: datetime.date, by=None) -> Trajectory:
    trajectory = _locked(trajectory)
    _check_running(trajectory)
    _check_phase(trajectory, Phase.CLOSING)
    _check_step_date(trajectory, on, "on")
    trajectory.closed_on = on
    return _save(trajectory, ["closed_on"], by=by)


@transaction.atomic
def stop_trajectory(
    trajectory: Trajectory, *, on: datetime.date, reason: str, by=None
) -> Trajectory:
    """Stop early (the participant leaves, it does not work out). Assignments in progress stop
    with it, and a pause ends."""
    trajectory = _locked(trajectory)
    _check_open(trajectory)
    _check_step_date(trajectory, on, "on")
    if not reason.strip():
        _refuse(_("Give the reason the trajectory stopped."), "reason")
    pause = _current_pause(trajectory)
    if pause:
        pause.resumed_on = max(on, pause.starts_on)
        _save(pause, ["resumed_on"], by=by)
    _stop_assignments(trajectory, on=on, by=by)
    trajectory.stopped_on = on
    trajectory.stop_reason = reason.strip()
    return _save(trajectory, ["stopped_on", "stop_reason"], by=by)


@transaction.atomic
def pause_trajectory(
    trajectory: Trajectory,
    *,
    starts_on: datetime.date,
    resume_on: datetime.date,
    reason: str,
    by=None,
) -> Pause:
    trajectory = _locked(trajectory)
    _check_open(trajectory)
    if _current_pause(trajectory):
        _refuse(_("This trajectory is already paused."))
    _check_step_date(trajectory, starts_on, "starts_on")
    last_pause = trajectory.pauses.order_by("-resumed_on").first()
    if last_pause:
        _not_before(starts_on, last_pause.resumed_on, "starts_on")
    if resume_on <= starts_on:
        _refuse(_("The expected return must be after the start."), "resume_on")
    if not reason.strip():
        _refuse(_("Give the reason for the pause."), "reason")
    return _save(
        Pause(
            trajectory=trajectory,
            starts_on=starts_on,
            resume_on=resume_on,
            reason=reason.strip(),
            by=by,
        ),
        by=by,
    )


@transaction.atomic
def resume_trajectory(trajectory: Trajectory, *, on: datetime.date, by=None) -> Pause:
    """The clocks run again: the agreed end, the due dates and the independent week move on by
    the days paused, and the assignments' weeks leave them out."""
    trajectory = _locked(trajectory)
    _check_open(trajectory)
    pause = _current_pause(trajectory)
    if pause is None:
        _refuse(_("This trajectory is not paused."))
    _not_in_future(on, "on")
    if on < pause.starts_on:
        _refuse(_("This is before the pause began."), "on")
    pause.resumed_on = on
    _save(pause, ["resumed_on"], by=by)
    trajectory.agreed_end += on - pause.starts_on
    _save(trajectory, ["agreed_end"], by=by)
    for progress in AssignmentProgress.objects.filter(
        trajectory_skill__trajectory=trajectory
    ).open():
        # an assignment introduced during the pause's first days only lost the days since
        shift = on - max(pause.starts_on, progress.introduced_on)
        progress.paused_days += shift.days
        if progress.look_back_due_on and not progress.look_back_done_on:
            progress.look_back_due_on += shift
        if progress.independent_until:
            progress.independent_until += shift
        _save(progress, ["paused_days", "look_back_due_on", "independent_until"], by=by)
    return pause


# The coach's own work: meetings and escalations

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


def _check_coach_of(departments, by):
    coach_of = access.scope_of(by).coach_of
    for department in departments:
        if department.pk not in coach_of:
            _refuse(
                _("You are not the coach of %(department)s.") % {"department": department},
                "departments",
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
        _refuse(message % {"names": ", ".join(sorted(others))}, "invitees")


def _arrange(
    meeting,
    *,
    scheduled_at: datetime.datetime,
    title: str = "",
    location: str = "",
    departments=(),
    trainer: Person | None = None,
    invitees=(),
    by,
) -> Meeting:
    """Write what was planned: a one-to-one is with its trainer, in the departments where the
    coach meets them; other meetings are for the departments chosen, with invitees from
    them."""
    if meeting.kind == MeetingKind.ONE_TO_ONE:
        if trainer is None:
            _refuse(_("Choose the trainer."), "trainer")
        departments = list(
            Department.objects.filter(
                pk__in=invitable_trainers(access.scope_of(by).coach_of)
                .filter(person=trainer)
                .values("department")
            )
        )
        if not departments:
            _refuse(
                _("%(name)s is not a trainer in a department you coach.")
                % {"name": trainer.full_name},
                "trainer",
            )
        invitees = [trainer]
    else:
        trainer, departments, invitees = None, list(departments), list(invitees)
        if not departments:
            _refuse(_("Choose at least one department."), "departments")
        _check_coach_of(departments, by)
        if meeting.kind in NEEDS_INVITEES and not invitees:
            _refuse(_("Invite at least one person."), "invitees")
        _check_invitees(meeting.kind, departments, invitees)
    _write(
        meeting,
        scheduled_at=scheduled_at,
        title=title.strip(),
        location=location.strip(),
        trainer=trainer,
    )
    _save(meeting)
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
    """The coach plans a meeting of any kind (DOMAIN.md, "The three roles": the coach); `plan`
    as `_arrange` takes it. A date already past is allowed: a department visit may be written
    down afterwards."""
    if not access.scope_of(by).coach_of:
        _refuse(_("Only a coach plans meetings."))
    organiser_id = access.scope_of(by).person_id
    return _arrange(Meeting(kind=kind, organiser_id=organiser_id), by=by, **plan)


def _organised(meeting: Meeting, by) -> Meeting:
    """The meeting, locked, when `by` organised it."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.organiser_id != access.scope_of(by).person_id:
        _refuse(_("Only the organiser can change this meeting."))
    return meeting


def _organised_planned(meeting: Meeting, by) -> Meeting:
    meeting = _organised(meeting, by)
    if meeting.is_held:
        _refuse(_("This meeting has been held; its record can still be corrected."))
    return meeting


@transaction.atomic
def change_meeting(meeting: Meeting, *, by, **plan) -> Meeting:
    """Move a planned meeting, or change who is invited; `plan` as `_arrange` takes it."""
    return _arrange(_organised_planned(meeting, by), by=by, **plan)


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, by) -> Meeting:
    """A planned meeting that will not take place goes, with its invitations."""
    meeting = _organised_planned(meeting, by)
    meeting.delete()
    return meeting


@transaction.atomic
def record_meeting(
    meeting: Meeting, *, held_on: datetime.date, notes: str, attended=(), by
) -> Meeting:
    """Write down a held meeting: what came of it, and which invitees were there (the others
    were not). Written again, it corrects the record."""
    meeting = _organised(meeting, by)
    planned_on = timezone.localdate(meeting.scheduled_at)
    if planned_on > timezone.localdate():
        _refuse(
            _("This meeting is planned for %(day)s; write it down once it has been held.")
            % {"day": formats.date_format(planned_on, "j F")}
        )
    _not_in_future(held_on, "held_on")
    if not notes.strip():
        _refuse(_("Write down what was discussed and agreed."), "notes")
    present = {person.pk for person in attended}
    invitations = meeting.attendances.all()
    if present - set(invitations.values_list("person_id", flat=True)):
        _refuse(_("Only invitees can be marked as present."), "attended")
    meeting.held_on, meeting.notes = held_on, notes.strip()
    _save(meeting, ["held_on", "notes"])
    invitations.filter(person__in=present).update(attended=True)
    invitations.exclude(person__in=present).update(attended=False)
    return meeting


@transaction.atomic
def raise_escalation(
    *, department: Department, subject: str, description: str, trajectory=None, by
) -> Escalation:
    """A problem the coach cannot solve with the trainers goes to the project manager,
    optionally about one participant's trajectory."""
    scope = access.scope_of(by)
    if department.pk not in scope.coach_of:
        _refuse(
            _("Only a coach of %(department)s can raise a problem about it.")
            % {"department": department},
            "department",
        )
    if trajectory is not None and trajectory.department_id != department.pk:
        _refuse(_("This participant is in another department."), "trajectory")
    subject, description = subject.strip(), description.strip()
    if not subject:
        _refuse(_("Give the problem a short subject."), "subject")
    if not description:
        _refuse(_("Describe the problem."), "description")
    twin = Escalation.objects.open().filter(
        raised_by_id=scope.person_id, department=department, subject=subject
    )
    if twin.filter(description=description).exists():  # the same problem sent twice
        return twin.first()
    escalation = Escalation(
        raised_by_id=scope.person_id,
        department=department,
        trajectory=trajectory,
        subject=subject,
        description=description,
    )
    return _save(escalation, by=by)


@transaction.atomic
def answer_escalation(escalation: Escalation, *, answer: str, by) -> Escalation:
    """The project manager answers; the coach sees the answer. An answer is final."""
    scope = access.scope_of(by)
    if not scope.is_project_manager:
        _refuse(_("Only the project manager answers escalations."))
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    answer = answer.strip()
    if escalation.is_answered:
        if escalation.answer == answer and escalation.answered_by_id == scope.person_id:
            return escalation  # the same answer sent twice
        _refuse(_("This escalation has already been answered."))
    if not answer:
        _refuse(_("Write the answer."), "answer")
    _write(escalation, answer=answer, answered_by_id=scope.person_id, answered_at=timezone.now())
    return _save(escalation, ["answer", "answered_by", "answered_at"], by=by)
