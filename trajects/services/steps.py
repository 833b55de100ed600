"""The steps of a WPO trajectory, from intake to closing (DOMAIN.md, "One assignment, step by
step" and "The four phases"), and the checks every step of a trajectory shares: each runs in a
transaction on a freshly locked trajectory and refuses (`wpo.services.StepRefused`) when a rule
of the method says no.
"""

import datetime
from calendar import monthrange

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from trajects import deadlines
from trajects.models import (
    STEP_PHASES,
    AssignmentProgress,
    CallOff,
    GuidanceConversation,
    Interest,
    Pause,
    Phase,
    PhaseChange,
    ProgressStatus,
    Trajectory,
    TrajectorySkill,
)
from wpo.models import Person, Role
from wpo.services import check_version, not_in_future, refuse, save

LOOK_BACK_DAYS = (7, 14)  # "after 1-2 weeks"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def unusual_period(start: datetime.date, end: datetime.date) -> str:
    """A warning when the agreed period is outside the usual 3 months to 1 year, else ''; the
    same day counts as the coach's "unusually short" signal and the year norm."""
    days = (end - start).days
    if days < settings.WPO_NORM_TRAJECTORY_MIN_DAYS:
        return _("This period is shorter than 3 months; a trajectory usually takes 3 to 12.")
    if days > settings.WPO_NORM_TRAJECTORY_MAX_DAYS:
        return _("This period is longer than a year; a trajectory usually takes 3 to 12 months.")
    return ""


def _not_before(day: datetime.date, earliest: datetime.date, field: str):
    if day < earliest:
        refuse(
            _("This date is before %(day)s, when the last step was taken.")
            % {"day": formats.date_format(earliest, "j F Y")},
            field,
        )


def _check_step_date(trajectory: Trajectory, day: datetime.date, field: str):
    """A step is dated today or earlier, and not before the trajectory's latest phase change
    (or its agreed start)."""
    not_in_future(day, field)
    last = trajectory.phase_changes.order_by("-changed_on").first()
    _not_before(
        day,
        max(trajectory.agreed_start, last.changed_on) if last else trajectory.agreed_start,
        field,
    )


def locked(trajectory: Trajectory) -> Trajectory:
    """The trajectory as the database has it now, locked until the step is done, so two people
    taking steps at once take them one after the other."""
    return Trajectory.objects.select_for_update().get(pk=trajectory.pk)


def current_pause(trajectory: Trajectory) -> Pause | None:
    return Pause.objects.current().filter(trajectory=trajectory).first()


def check_open(trajectory: Trajectory):
    if not trajectory.is_open:
        refuse(_("This trajectory has ended; nothing can be added to it."))


def _check_running(trajectory: Trajectory):
    check_open(trajectory)
    if current_pause(trajectory):
        refuse(_("This trajectory is paused. Resume it first."))


def _check_phase(trajectory: Trajectory, step: str):
    """The step belongs to another phase (`STEP_PHASES`, which the pages read too)."""
    if not trajectory.phase_allows(step):
        names = ", ".join(str(Phase(phase).label) for phase in STEP_PHASES[step])
        refuse(
            _("This can be done in the phase %(phases)s; the trajectory is in %(current)s.")
            % {"phases": names, "current": trajectory.get_phase_display()}
        )


def call_off(conversations, *, reason: CallOff, by):
    """Planned conversations that will not take place go; their history keeps that they were
    planned, who called them off, and why."""
    for conversation in conversations:
        conversation._change_reason = reason
        conversation._history_user = by
        conversation.delete()


def let_go_of_plans(progress: AssignmentProgress, *, by):
    """A passed or stopped assignment is no longer what its planned conversations are about:
    they stay planned, about no assignment in particular."""
    for conversation in GuidanceConversation.objects.planned().filter(progress=progress):
        conversation.progress = None
        save(conversation, ["progress", "updated_at"], by=by)


def _move_to(trajectory: Trajectory, phase: Phase, *, on: datetime.date, by):
    trajectory.phase = phase
    save(trajectory, ["phase"], by=by)
    PhaseChange.objects.create(trajectory=trajectory, phase=phase, changed_on=on, by=by)


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
    the same name in the department is already waiting or taking part: registered before, or
    by a colleague on their own form, which the form's token does not cover."""
    registered_on = registered_on or timezone.localdate()
    not_in_future(registered_on, "registered_on")
    if employee_number:
        known = Person.objects.filter(employee_number=employee_number)
    else:
        known = Person.objects.filter(
            department=department, first_name=first_name, infix=infix, last_name=last_name
        )
    for person in known:
        if person.department_id != department.pk:
            refuse(
                _("This employee number belongs to someone in another department."),
                "employee_number",
            )
        if Interest.objects.waiting().filter(person=person).exists():
            refuse(_("%(name)s is already on the waiting list.") % {"name": person.full_name})
        if Trajectory.objects.active().filter(participant=person).exists():
            refuse(_("%(name)s is already in a trajectory.") % {"name": person.full_name})
    person = (known.first() if employee_number else None) or save(
        Person(
            first_name=first_name,
            infix=infix,
            last_name=last_name,
            employee_number=employee_number,
            department=department,
        )
    )
    return save(
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
    if interest.is_dealt_with:
        refuse(_("This registration has already been dealt with."))
    if agreed_end <= agreed_start:
        refuse(_("The agreed end must be after the agreed start."), "agreed_end")
    if agreed_start < interest.registered_on:
        refuse(_("The trajectory starts after the registration."), "agreed_start")
    trajectory = save(
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
    return deadlines.refresh(trajectory)


@transaction.atomic
def choose_skills(trajectory: Trajectory, targets: dict, *, by=None) -> list[TrajectorySkill]:
    """The skills chosen with the participant (skill choice card), each with the level aimed
    at. Skills left out are removed, unless work on them has begun."""
    trajectory = locked(trajectory)
    check_open(trajectory)
    _check_phase(trajectory, "choose_skills")
    if not targets:
        refuse(_("Choose at least one skill."))
    chosen = {row.skill_id: row for row in trajectory.skills.select_related("skill")}
    dropped = [row for skill_id, row in chosen.items() if skill_id not in {s.pk for s in targets}]
    started = AssignmentProgress.objects.filter(trajectory_skill__in=dropped).values_list(
        "trajectory_skill__skill__name", flat=True
    )
    if started:
        refuse(
            _("Work on %(skills)s has begun; it stays chosen.")
            % {"skills": ", ".join(sorted(set(started)))}
        )
    TrajectorySkill.objects.filter(pk__in=[row.pk for row in dropped]).delete()
    for skill, level in targets.items():
        row = chosen.get(skill.pk) or TrajectorySkill(trajectory=trajectory, skill=skill)
        if row.target_level != level:
            row.target_level = level
            save(row, by=by)
    return list(trajectory.skills.all())


# Phase 2: the assignment cycle


@transaction.atomic
def introduce_assignment(
    trajectory_skill: TrajectorySkill, assignment, *, on: datetime.date, by=None
) -> AssignmentProgress:
    """The trainer introduces an assignment: what you will learn, and how. The first one starts
    the learning/work period."""
    trajectory = locked(trajectory_skill.trajectory)
    _check_running(trajectory)
    _check_phase(trajectory, "introduce")
    _check_step_date(trajectory, on, "introduced_on")
    if assignment.skill_id != trajectory_skill.skill_id:
        refuse(_("This assignment belongs to another skill."), "assignment")
    progress = AssignmentProgress.objects.filter(trajectory_skill=trajectory_skill)
    current = progress.open().select_related("assignment").first()
    if current:
        refuse(
            _("%(title)s is still in progress for this skill; finish it first.")
            % {"title": current.assignment.title}
        )
    if progress.filter(assignment=assignment).exists():
        refuse(_("This assignment was already introduced."), "assignment")
    row = save(
        AssignmentProgress(
            trajectory_skill=trajectory_skill, assignment=assignment, introduced_on=on
        ),
        by=by,
    )
    if trajectory.phase == Phase.START:
        _move_to(trajectory, Phase.LEARNING, on=on, by=by)
    deadlines.refresh(trajectory)
    return row


def _locked_progress(progress: AssignmentProgress) -> AssignmentProgress:
    trajectory = locked(progress.trajectory_skill.trajectory)
    _check_running(trajectory)
    progress = AssignmentProgress.objects.select_related("trajectory_skill__trajectory").get(
        pk=progress.pk
    )
    if not progress.is_open:
        refuse(_("This assignment is no longer in progress."))
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
        refuse(_("This assignment is not being practised now."))
    if progress.get_started_on:
        refuse(_("The get-started task was already recorded."))
    not_in_future(get_started_on, "get_started_on")
    if get_started_on < progress.introduced_on:
        refuse(_("This is before the assignment was introduced."), "get_started_on")
    shortest, longest = LOOK_BACK_DAYS
    if not shortest <= (look_back_due_on - get_started_on).days <= longest:
        refuse(_("Plan the look-back 1 to 2 weeks after the get-started task."), "look_back_due_on")
    progress.get_started_on = get_started_on
    progress.look_back_due_on = look_back_due_on
    progress.status = ProgressStatus.WORKING
    save(progress, ["get_started_on", "look_back_due_on", "status"], by=by)
    deadlines.refresh(progress.trajectory)
    return progress


@transaction.atomic
def record_look_back(
    progress: AssignmentProgress, *, look_back_done_on: datetime.date, by=None
) -> AssignmentProgress:
    progress = _locked_progress(progress)
    if not progress.get_started_on:
        refuse(_("Record the get-started task first."))
    if progress.look_back_done_on:
        refuse(_("The look-back task was already recorded."))
    not_in_future(look_back_done_on, "look_back_done_on")
    if look_back_done_on < progress.look_back_from:
        refuse(
            _("The look-back comes 1 to 2 weeks after the get-started task: from %(day)s.")
            % {"day": formats.date_format(progress.look_back_from, "j F")},
            "look_back_done_on",
        )
    progress.look_back_done_on = look_back_done_on
    save(progress, ["look_back_done_on"], by=by)
    deadlines.refresh(progress.trajectory)
    return progress


# Phases 3 and 4, and the ways out


# A phase change and the ways out each have a `check_...`: the rules of the trajectory's state
# that the step itself checks first, and that a page asks before it offers the step
# (`wpo.services.why_not`). They refuse, like the step, or return nothing.


def check_start_assessment(trajectory: Trajectory):
    _check_running(trajectory)
    _check_phase(trajectory, "start_assessment")
    progress = AssignmentProgress.objects.filter(trajectory_skill__trajectory=trajectory)
    waiting = progress.filter(status=ProgressStatus.INDEPENDENT_WEEK).select_related("assignment")
    if waiting:
        refuse(
            _("%(title)s is in its independent week; hold the follow-up conversation first.")
            % {"title": waiting[0].assignment.title}
        )
    if not progress.filter(status=ProgressStatus.PASSED).exists():
        refuse(_("No assignment has been passed yet, so there is nothing to assess."))


@transaction.atomic
def start_assessment(trajectory: Trajectory, *, on: datetime.date, by=None) -> Trajectory:
    """The learning/work period ends. An assignment in its independent week waits for its
    follow-up conversation first; assignments still being practised stop here."""
    trajectory = locked(trajectory)
    check_start_assessment(trajectory)
    _check_step_date(trajectory, on, "on")
    _stop_assignments(trajectory, on=on, by=by)
    _move_to(trajectory, Phase.ASSESSMENT, on=on, by=by)
    return deadlines.refresh(trajectory)


def _stop_assignments(trajectory: Trajectory, *, on: datetime.date, by):
    """The assignments still in progress stop (one per skill at most, each kept in history),
    and let go of their planned conversations."""
    for progress in AssignmentProgress.objects.filter(
        trajectory_skill__trajectory=trajectory
    ).open():
        progress.status = ProgressStatus.STOPPED
        progress.stopped_on = max(on, progress.introduced_on)
        save(progress, ["status", "stopped_on"], by=by)
        let_go_of_plans(progress, by=by)


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
    trajectory = locked(trajectory_skill.trajectory)
    _check_running(trajectory)
    _check_phase(trajectory, "assess")
    not_in_future(assessed_on, "assessed_on")
    trajectory_skill = TrajectorySkill.objects.select_related(
        "skill", "assessed_by", "second_assessor"
    ).get(pk=trajectory_skill.pk)
    check_version(
        trajectory_skill,
        version,
        ["achieved_level", "assessed_on", "assessed_by", "second_assessor"],
    )
    highest = highest_passed_level(trajectory_skill)
    if not highest:
        refuse(_("No assignment of this skill was passed, so it cannot be assessed."))
    if level > highest:
        refuse(
            _("The highest level passed for this skill is %(level)s.") % {"level": highest},
            "level",
        )
    guides = Person.objects.in_role(
        Role.TRAINER, Role.COACH, departments=[trajectory.department_id]
    )
    if not guides.filter(pk=assessed_by.pk).exists():
        refuse(_("The assessor is a trainer or coach of this department."), "assessed_by")
    if second_assessor is not None and second_assessor == assessed_by:
        refuse(_("The second assessor is someone else than the assessor."), "second_assessor")
    if second_assessor is not None and not guides.filter(pk=second_assessor.pk).exists():
        refuse(_("The assessor is a trainer or coach of this department."), "second_assessor")
    trajectory_skill.achieved_level = level
    trajectory_skill.assessed_on = assessed_on
    trajectory_skill.assessed_by = assessed_by
    trajectory_skill.second_assessor = second_assessor
    return save(trajectory_skill, by=by)


def check_start_closing(trajectory: Trajectory):
    _check_running(trajectory)
    _check_phase(trajectory, "start_closing")
    skills = list(trajectory.skills.select_related("skill"))
    passed = set(
        AssignmentProgress.objects.filter(
            trajectory_skill__trajectory=trajectory, status=ProgressStatus.PASSED
        ).values_list("trajectory_skill_id", flat=True)
    )
    unassessed = [row.skill.name for row in skills if row.pk in passed and not row.achieved_level]
    if unassessed:
        refuse(_("Assess %(skills)s first.") % {"skills": ", ".join(unassessed)})
    if not any(row.achieved_level for row in skills):
        refuse(_("Assess at least one skill first."))


@transaction.atomic
def start_closing(trajectory: Trajectory, *, on: datetime.date, by=None) -> Trajectory:
    trajectory = locked(trajectory)
    check_start_closing(trajectory)
    _check_step_date(trajectory, on, "on")
    _move_to(trajectory, Phase.CLOSING, on=on, by=by)
    return trajectory


def check_close_trajectory(trajectory: Trajectory):
    _check_running(trajectory)
    _check_phase(trajectory, "close")


@transaction.atomic
def close_trajectory(trajectory: Trajectory, *, on: datetime.date, by=None) -> Trajectory:
    """The trajectory is finished; the conversations still planned are called off."""
    trajectory = locked(trajectory)
    check_close_trajectory(trajectory)
    _check_step_date(trajectory, on, "on")
    call_off(trajectory.conversations.planned(), reason=CallOff.TRAJECTORY_CLOSED, by=by)
    trajectory.closed_on = on
    return save(trajectory, ["closed_on"], by=by)


def check_stop_trajectory(trajectory: Trajectory):
    check_open(trajectory)


@transaction.atomic
def stop_trajectory(
    trajectory: Trajectory, *, on: datetime.date, reason: str, by=None
) -> Trajectory:
    """Stop early (the participant leaves, it does not work out). Assignments in progress stop
    with it, the conversations still planned are called off, and a pause ends."""
    trajectory = locked(trajectory)
    check_stop_trajectory(trajectory)
    _check_step_date(trajectory, on, "on")
    if not reason.strip():
        refuse(_("Give the reason the trajectory stopped."), "reason")
    call_off(trajectory.conversations.planned(), reason=CallOff.TRAJECTORY_STOPPED, by=by)
    pause = current_pause(trajectory)
    if pause:
        pause.resumed_on = max(on, pause.starts_on)
        save(pause, ["resumed_on"], by=by)
    _stop_assignments(trajectory, on=on, by=by)
    trajectory.stopped_on = on
    trajectory.stop_reason = reason.strip()
    save(trajectory, ["stopped_on", "stop_reason"], by=by)
    return deadlines.refresh(trajectory)


def check_pause_trajectory(trajectory: Trajectory):
    check_open(trajectory)
    if current_pause(trajectory):
        refuse(_("This trajectory is already paused."))


@transaction.atomic
def pause_trajectory(
    trajectory: Trajectory,
    *,
    starts_on: datetime.date,
    resume_on: datetime.date,
    reason: str,
    call_off_planned: bool = False,
    by=None,
) -> Pause:
    """The clocks stop from `starts_on`. The conversations planned from then until the expected
    return are called off when the trainer says so, or stay."""
    trajectory = locked(trajectory)
    check_pause_trajectory(trajectory)
    _check_step_date(trajectory, starts_on, "starts_on")
    last_pause = trajectory.pauses.order_by("-resumed_on").first()
    if last_pause:
        _not_before(starts_on, last_pause.resumed_on, "starts_on")
    if resume_on <= starts_on:
        refuse(_("The expected return must be after the start."), "resume_on")
    if not reason.strip():
        refuse(_("Give the reason for the pause."), "reason")
    if call_off_planned:
        inside = trajectory.conversations.planned().filter(
            planned_at__date__gte=starts_on, planned_at__date__lt=resume_on
        )
        call_off(inside, reason=CallOff.PAUSED, by=by)
    pause = save(
        Pause(
            trajectory=trajectory,
            starts_on=starts_on,
            resume_on=resume_on,
            reason=reason.strip(),
            by=by,
        ),
        by=by,
    )
    deadlines.refresh(trajectory)
    return pause


def check_resume_trajectory(trajectory: Trajectory):
    check_open(trajectory)
    if current_pause(trajectory) is None:
        refuse(_("This trajectory is not paused."))


@transaction.atomic
def resume_trajectory(trajectory: Trajectory, *, on: datetime.date, by=None) -> Pause:
    """The clocks run again: the agreed end, the due dates and the independent week move on by
    the days paused, and the assignments' weeks leave them out."""
    trajectory = locked(trajectory)
    check_resume_trajectory(trajectory)
    pause = current_pause(trajectory)
    not_in_future(on, "on")
    if on < pause.starts_on:
        refuse(_("This is before the pause began."), "on")
    pause.resumed_on = on
    save(pause, ["resumed_on"], by=by)
    trajectory.agreed_end += on - pause.starts_on
    save(trajectory, ["agreed_end"], by=by)
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
        save(progress, ["paused_days", "look_back_due_on", "independent_until"], by=by)
    deadlines.refresh(trajectory)
    return pause
