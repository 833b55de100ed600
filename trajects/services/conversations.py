"""Guidance conversations and floor notes: planned, held (carrying out what the conversation
decided for its assignment), corrected, confirmed by the participant (DOMAIN.md, "One
assignment, step by step")."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from trajects import deadlines
from trajects.models import (
    OPEN_STATUSES,
    AssignmentProgress,
    CallOff,
    FloorNote,
    GuidanceConversation,
    Outcome,
    ProgressStatus,
    Trajectory,
)
from trajects.services.steps import call_off, check_open, current_pause, let_go_of_plans, locked
from wpo.models import Person, Role
from wpo.services import check_version, refuse, save, write

INDEPENDENT_WEEK = datetime.timedelta(days=7)


def _check_own_progress(trajectory: Trajectory, progress: AssignmentProgress | None):
    if progress is None:
        return None
    progress = AssignmentProgress.objects.select_related("trajectory_skill").get(pk=progress.pk)
    if progress.trajectory_skill.trajectory_id != trajectory.pk:
        refuse(_("This assignment belongs to another participant's trajectory."), "progress")
    return progress


@transaction.atomic
def plan_conversation(
    trajectory: Trajectory,
    *,
    planned_at: datetime.datetime,
    progress: AssignmentProgress | None = None,
    by=None,
) -> GuidanceConversation:
    trajectory = locked(trajectory)
    check_open(trajectory)
    if planned_at <= timezone.now():
        refuse(_("Plan the conversation at a moment still to come."), "planned_at")
    progress = _check_own_progress(trajectory, progress)
    # One conversation per moment: a next date given while recording a conversation names one
    # that may have been planned on its own form before. Not a guard against a double post
    # (the form's token is): the two saves come from two forms, which no token ties together.
    existing = trajectory.conversations.planned().filter(planned_at=planned_at).first()
    if existing:
        return existing
    return save(
        GuidanceConversation(
            trajectory=trajectory, progress=progress, planned_at=planned_at, author=by
        ),
        by=by,
    )


def _locked_planned(conversation: GuidanceConversation) -> GuidanceConversation:
    check_open(locked(conversation.trajectory))
    conversation = (
        GuidanceConversation.objects.select_for_update(of=("self",))
        .select_related("trajectory")
        .get(pk=conversation.pk)
    )
    if not conversation.can_be_moved:  # the trajectory runs: so it was held
        refuse(_("This conversation was already recorded."))
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
    check_version(conversation, version, ["planned_at"])
    if planned_at <= timezone.now():
        refuse(_("Plan the conversation at a moment still to come."), "planned_at")
    conversation.planned_at = planned_at
    return save(conversation, ["planned_at", "updated_at"], by=by)


@transaction.atomic
def cancel_conversation(
    conversation: GuidanceConversation, *, version: int | None = None, by=None
) -> GuidanceConversation:
    """A planned conversation that will not take place goes; its history keeps that it was
    planned, and who took it off. Not when someone moved it since the page was opened."""
    conversation = _locked_planned(conversation)
    check_version(conversation, version, ["planned_at"])
    call_off([conversation], reason=CallOff.WILL_NOT_TAKE_PLACE, by=by)
    return conversation


def _apply_outcome(progress, outcome, *, held_on, paused, second_assessor, by):
    """What the conversation decided for its assignment (DOMAIN.md, "Passing an assignment")."""
    if outcome in (Outcome.GOAL_REACHED, Outcome.PASSED) and paused:
        refuse(_("This trajectory is paused. Resume it first."), "outcome")
    if held_on < progress.introduced_on:
        refuse(_("This is before the assignment was introduced."), "held_at")
    status = progress.status
    if outcome == Outcome.CONTINUE:
        if status == ProgressStatus.INTRODUCED:
            progress.status = ProgressStatus.WORKING
    elif outcome == Outcome.GOAL_REACHED:
        if status == ProgressStatus.INDEPENDENT_WEEK:
            refuse(_("The independent week has already begun."), "outcome")
        if not progress.look_back_done_on or held_on < progress.look_back_done_on:
            refuse(
                _("Do the look-back task first; then decide whether the goal is reached."),
                "outcome",
            )
        progress.status = ProgressStatus.INDEPENDENT_WEEK
        progress.goal_reached_on = held_on
        progress.independent_until = held_on + INDEPENDENT_WEEK
    elif outcome in (Outcome.PASSED, Outcome.NOT_YET):
        if status != ProgressStatus.INDEPENDENT_WEEK:
            refuse(
                _("This outcome belongs to the conversation after the independent week."),
                "outcome",
            )
        if outcome == Outcome.NOT_YET:
            progress.status = ProgressStatus.WORKING
            progress.goal_reached_on = progress.independent_until = None
        elif held_on < progress.independent_until:
            refuse(
                _("The independent week runs until %(day)s; look back on it after that.")
                % {"day": formats.date_format(progress.independent_until, "j F")},
                "outcome",
            )
        else:
            progress.status = ProgressStatus.PASSED
            progress.passed_on = held_on
            progress.second_assessor = second_assessor
    save(progress, by=by)


def _check_second_assessor(trajectory, outcome, second_assessor):
    if second_assessor is None:
        return
    if outcome != Outcome.PASSED:
        refuse(
            _("A second assessor joins the conversation in which the assignment is passed."),
            "second_assessor",
        )
    coaches = Person.objects.in_role(Role.COACH, departments=[trajectory.department_id])
    if not coaches.filter(pk=second_assessor.pk).exists():
        refuse(_("The second assessor is a coach of this department."), "second_assessor")


def _check_moments(trajectory, held_at, next_planned_at):
    if held_at > timezone.now():
        refuse(_("A conversation that took place cannot be dated in the future."), "held_at")
    if timezone.localdate(held_at) < trajectory.agreed_start:
        refuse(_("This is before the trajectory started."), "held_at")
    if next_planned_at and next_planned_at <= max(held_at, timezone.now()):
        refuse(_("Plan the next conversation at a moment still to come."), "next_planned_at")


def _check_outcome(trajectory, progress, outcome) -> AssignmentProgress | None:
    """An outcome belongs to an assignment still in progress, and such an assignment needs
    one."""
    progress = _check_own_progress(trajectory, progress)
    if progress is None and outcome:
        refuse(_("Choose the assignment this outcome is about."), "progress")
    if progress is not None:
        if progress.status not in OPEN_STATUSES:
            refuse(_("This assignment is no longer in progress."), "progress")
        if not outcome:
            refuse(_("Choose what the conversation decided."), "outcome")
    return progress


def _unrecorded(planned, trajectory, planned_for) -> GuidanceConversation | None:
    """The planned conversation being recorded, locked; refused when it already was. None when
    it was called off, or moved away from `planned_for`, since the form was opened: what was
    held is recorded on its own, and a plan moved on purpose stays."""
    if planned is None:
        return None
    planned = GuidanceConversation.objects.select_for_update().filter(pk=planned.pk).first()
    if planned is None:
        return None
    if planned.trajectory_id != trajectory.pk or planned.held_at:
        refuse(_("This conversation was already recorded."))
    if planned_for and planned.planned_at != planned_for:
        return None
    return planned


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
    planned_for: datetime.datetime | None = None,
    by=None,
) -> GuidanceConversation:
    """Record a guidance conversation that took place (the planned one, when given and still
    planned for `planned_for`) and carry out what it decided for the assignment. A next date
    plans the next conversation."""
    trajectory = locked(trajectory)
    check_open(trajectory)
    _check_moments(trajectory, held_at, next_planned_at)
    progress = _check_outcome(trajectory, progress, outcome)
    _check_second_assessor(trajectory, outcome, second_assessor)
    conversation = _unrecorded(planned, trajectory, planned_for) or GuidanceConversation(
        trajectory=trajectory
    )
    write(
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
            paused=current_pause(trajectory) is not None,
            second_assessor=second_assessor,
            by=by,
        )
    save(conversation, by=by)
    if progress is not None and not progress.is_open:
        let_go_of_plans(progress, by=by)
    if next_planned_at:
        still_open = progress if progress and progress.status in OPEN_STATUSES else None
        plan_conversation(trajectory, planned_at=next_planned_at, progress=still_open, by=by)
    deadlines.refresh(trajectory)
    return conversation


def check_edit_conversation(conversation: GuidanceConversation):
    check_open(conversation.trajectory)
    if not conversation.can_be_edited:  # the trajectory runs: so it is too late
        refuse(
            _("A conversation can be corrected up to %(days)s days after it was recorded.")
            % {"days": settings.WPO_CONVERSATION_EDIT_DAYS}
        )


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
    locked(conversation.trajectory)
    conversation = (
        GuidanceConversation.objects.select_for_update(of=("self",))
        .select_related("trajectory")
        .get(pk=conversation.pk)
    )
    check_edit_conversation(conversation)
    texts = {
        "participant_account": participant_account,
        "trainer_observations": trainer_observations,
        "positive_feedback": positive_feedback,
        "agreements": agreements,
        "coach_present": coach_present,
    }
    check_version(conversation, version, texts)
    write(conversation, **texts)
    return save(conversation, [*texts, "updated_at"], by=by)


@transaction.atomic
def confirm_conversation(
    conversation: GuidanceConversation, *, initials: str, version: int | None = None, by=None
):
    """The participant, who has no login, confirms on the trainer's phone that the
    conversation was held with them: a tap and their initials. Only what they read: a
    correction saved since the page was opened is shown to them first."""
    conversation = (
        GuidanceConversation.objects.select_for_update(of=("self",))
        .select_related("trajectory__participant")
        .get(pk=conversation.pk)
    )
    if conversation.held_at is None:
        refuse(_("Only a conversation that took place can be confirmed."))
    if conversation.participant_confirmed_at:
        refuse(_("The participant has already confirmed this conversation."))
    check_version(conversation, version)
    initials = initials.strip()
    participant = conversation.trajectory.participant
    if not participant.has_initials(initials):
        refuse(
            _(
                "These are not the initials of %(name)s. Write the first letter of your first "
                "name and of your surname, for example A.B."
            )
            % {"name": participant.full_name},
            "initials",
        )
    conversation.participant_initials = initials
    conversation.participant_confirmed_at = timezone.now()
    return save(conversation, ["participant_initials", "participant_confirmed_at"], by=by)


@transaction.atomic
def add_note(
    trajectory: Trajectory, *, text: str, progress: AssignmentProgress | None = None, by=None
) -> FloorNote:
    trajectory = locked(trajectory)
    check_open(trajectory)
    if not text.strip():
        refuse(_("Write the note first."), "text")
    progress = _check_own_progress(trajectory, progress)
    note = FloorNote(trajectory=trajectory, progress=progress, text=text.strip(), author=by)
    return save(note, by=by)
