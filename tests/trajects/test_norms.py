"""The signals for the coach, rule by rule, one day before, on and after each mark (the
handbook's norms; the red marks are settings). A pause never counts."""

import datetime

import pytest
from django.utils import timezone, translation

from tests.factories import (
    AssignmentProgressFactory,
    DepartmentFactory,
    GuidanceConversationFactory,
    InterestFactory,
    PauseFactory,
    PersonFactory,
    PhaseChangeFactory,
    TrajectoryFactory,
    TrajectorySkillFactory,
)
from trajects import norms
from trajects.models import AssignmentProgress, Interest, Phase, ProgressStatus, Trajectory
from trajects.norms import Severity, duration
from trajects.reports.dashboards import department_figures
from wpo.models import Department, Person

TODAY = datetime.date(2026, 6, 15)
NONE, ORANGE, RED = None, Severity.ORANGE, Severity.RED

pytestmark = pytest.mark.django_db


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def trajectory(**fields):
    """A trajectory in its first phase (no conversations due yet) unless told otherwise."""
    fields.setdefault("phase", Phase.START)
    fields.setdefault("agreed_start", days_ago(60))
    fields.setdefault("agreed_end", fields["agreed_start"] + datetime.timedelta(days=200))
    return TrajectoryFactory(**fields)


def progress(on=None, **fields):
    chosen = TrajectorySkillFactory(trajectory=on or trajectory())
    return AssignmentProgressFactory(trajectory_skill=chosen, **fields)


PROGRESS_DEADLINES = {
    "assignment": AssignmentProgress.running_deadline,
    "look_back": AssignmentProgress.look_back_deadline,
    "follow_up": AssignmentProgress.follow_up_deadline,
}
TRAJECTORY_DEADLINES = {
    "past_end": Trajectory.end_deadline,
    "too_long": Trajectory.year_deadline,
    "conversation": Trajectory.conversation_deadline,
}


def days_late_in_python(rule: str, trajectory) -> int | None:
    """The rule's deadline as the models define it (what the trainer's list, the reminders
    and the pages read), in days late on TODAY; of the latest assignment, as in SQL."""
    if rule in TRAJECTORY_DEADLINES:
        return TRAJECTORY_DEADLINES[rule](trajectory, TODAY).days_late
    late = [PROGRESS_DEADLINES[rule](row, TODAY).days_late for row in trajectory.current_progress]
    return max((days for days in late if days is not None), default=None)


def severity_of(rule: str, trajectory) -> Severity | None:
    """The severity the coach reads, after checking the database filters on the same one and
    counts the same days late as the model's definition of the rule."""
    annotated = Trajectory.objects.with_detail().with_signals(TODAY).filter(pk=trajectory.pk)
    row = annotated.get()
    severity = next((signal.severity for signal in row.signals if signal.rule == rule), None)
    assert annotated.filter(**{f"norm_{rule}_level": severity or Severity.GREEN}).exists()
    if rule != "short":  # a property of the agreed period, not a deadline
        assert getattr(row, f"norm_{rule}") == days_late_in_python(rule, row)
    return severity


def trajectory_of(row):
    return row.trajectory_skill.trajectory


# An assignment runs 1 to 6 weeks; orange after 6 weeks, red after 8.
@pytest.mark.parametrize(
    ("days", "expected"),
    [(41, NONE), (42, NONE), (43, ORANGE), (55, ORANGE), (56, ORANGE), (57, RED)],
)
def test_assignment_running_longer_than_six_weeks(days, expected):
    row = progress(introduced_on=days_ago(days), status=ProgressStatus.WORKING)

    assert severity_of("assignment", trajectory_of(row)) == expected


def test_a_passed_assignment_does_not_run_on():
    row = progress(introduced_on=days_ago(90), status=ProgressStatus.PASSED, passed_on=days_ago(50))

    assert severity_of("assignment", trajectory_of(row)) is None


def test_finished_pauses_do_not_count_towards_the_assignments_weeks():
    row = progress(introduced_on=days_ago(52), paused_days=10, status=ProgressStatus.WORKING)

    assert severity_of("assignment", trajectory_of(row)) is None


def test_the_assignments_clock_stands_still_during_a_pause():
    row = progress(introduced_on=days_ago(60), status=ProgressStatus.WORKING)
    PauseFactory(trajectory=trajectory_of(row), starts_on=days_ago(20), resume_on=TODAY)

    assert severity_of("assignment", trajectory_of(row)) is None


# The look-back is planned 1 to 2 weeks after the get-started task; late from the day after.
@pytest.mark.parametrize(
    ("days", "expected"),
    [(-1, NONE), (0, NONE), (1, ORANGE), (6, ORANGE), (7, ORANGE), (8, RED)],
)
def test_look_back_task_late(days, expected):
    row = progress(
        introduced_on=days_ago(days + 20),
        get_started_on=days_ago(days + 10),
        look_back_due_on=days_ago(days),
        status=ProgressStatus.WORKING,
    )

    assert severity_of("look_back", trajectory_of(row)) == expected


def test_a_look_back_done_is_not_late():
    row = progress(
        get_started_on=days_ago(30),
        look_back_due_on=days_ago(20),
        look_back_done_on=days_ago(19),
        status=ProgressStatus.WORKING,
    )

    assert severity_of("look_back", trajectory_of(row)) is None


# The independent week ends; the follow-up conversation is due on its last day.
@pytest.mark.parametrize(
    ("days", "expected"),
    [(-1, NONE), (0, NONE), (1, ORANGE), (6, ORANGE), (7, ORANGE), (8, RED)],
)
def test_independent_week_ended_without_follow_up(days, expected):
    row = progress(
        introduced_on=days_ago(days + 20),
        goal_reached_on=days_ago(days + 7),
        independent_until=days_ago(days),
        status=ProgressStatus.INDEPENDENT_WEEK,
    )

    assert severity_of("follow_up", trajectory_of(row)) == expected


@pytest.mark.parametrize(
    ("days", "expected"),
    [(-1, NONE), (0, NONE), (1, ORANGE), (27, ORANGE), (28, ORANGE), (29, RED)],
)
def test_trajectory_past_its_agreed_end(days, expected):
    row = trajectory(agreed_start=days_ago(200), agreed_end=days_ago(days))

    assert severity_of("past_end", row) == expected


def test_a_closed_trajectory_has_no_signals():
    row = trajectory(
        agreed_start=days_ago(500), agreed_end=days_ago(100), phase=Phase.CLOSING, closed_on=TODAY
    )

    assert Trajectory.objects.with_signals(TODAY).get(pk=row.pk).signals == []


def test_the_agreed_end_waits_while_paused():
    row = trajectory(agreed_start=days_ago(200), agreed_end=days_ago(5))
    PauseFactory(trajectory=row, starts_on=days_ago(10), resume_on=TODAY)

    assert severity_of("past_end", row) is None


# Longer than a year is red at once.
@pytest.mark.parametrize(("days", "expected"), [(364, NONE), (365, NONE), (366, RED)])
def test_trajectory_longer_than_a_year(days, expected):
    row = trajectory(
        agreed_start=days_ago(days), agreed_end=days_ago(days) + datetime.timedelta(400)
    )

    assert severity_of("too_long", row) == expected


def test_pauses_do_not_count_towards_the_year():
    row = trajectory(agreed_start=days_ago(380), agreed_end=TODAY + datetime.timedelta(30))
    PauseFactory(
        trajectory=row, starts_on=days_ago(200), resume_on=days_ago(170), resumed_on=days_ago(170)
    )

    assert severity_of("too_long", row) is None


# Shorter than 3 months is unusual: orange, never red.
@pytest.mark.parametrize(
    ("length", "expected"), [(92, NONE), (91, NONE), (90, ORANGE), (30, ORANGE)]
)
def test_agreed_period_shorter_than_three_months(length, expected):
    row = trajectory(
        agreed_start=days_ago(10), agreed_end=days_ago(10) + datetime.timedelta(length)
    )

    assert severity_of("short", row) == expected


# No guidance conversation for 3 weeks is orange, for 6 weeks red (learning and assessment).
@pytest.mark.parametrize(
    ("days", "expected"),
    [(20, NONE), (21, NONE), (22, ORANGE), (41, ORANGE), (42, ORANGE), (43, RED)],
)
def test_no_guidance_conversation_since(days, expected):
    row = trajectory(agreed_start=days_ago(100), phase=Phase.LEARNING)
    GuidanceConversationFactory(trajectory=row, planned_at=None, held_at=at(days_ago(days)))

    assert severity_of("conversation", row) == expected


def test_a_planned_conversation_does_not_reset_the_clock():
    row = trajectory(agreed_start=days_ago(100), phase=Phase.LEARNING)
    GuidanceConversationFactory(trajectory=row, planned_at=at(days_ago(3)))
    GuidanceConversationFactory(trajectory=row, planned_at=None, held_at=at(days_ago(30)))

    assert severity_of("conversation", row) == ORANGE


def test_without_any_conversation_the_clock_runs_from_the_learning_phase():
    row = trajectory(agreed_start=days_ago(100), phase=Phase.LEARNING)
    PhaseChangeFactory(trajectory=row, phase=Phase.LEARNING, changed_on=days_ago(10))

    assert severity_of("conversation", row) is None


def test_the_start_phase_needs_no_guidance_conversations_yet():
    row = trajectory(agreed_start=days_ago(100))

    assert severity_of("conversation", row) is None


def test_a_pause_after_the_last_conversation_does_not_count():
    row = trajectory(agreed_start=days_ago(100), phase=Phase.LEARNING)
    GuidanceConversationFactory(trajectory=row, planned_at=None, held_at=at(days_ago(30)))
    PauseFactory(
        trajectory=row, starts_on=days_ago(25), resume_on=days_ago(15), resumed_on=days_ago(15)
    )

    assert severity_of("conversation", row) is None


def test_signal_level_is_the_worst_signal_and_signals_come_worst_first():
    row = trajectory(agreed_start=days_ago(200), agreed_end=days_ago(40), phase=Phase.LEARNING)
    GuidanceConversationFactory(trajectory=row, planned_at=None, held_at=at(days_ago(25)))

    annotated = Trajectory.objects.with_signals(TODAY).get(pk=row.pk)

    assert annotated.signal_level == RED
    assert [signal.rule for signal in annotated.signals] == ["past_end", "conversation"]


def test_the_database_filters_on_signals():
    quiet = trajectory()
    late = trajectory(agreed_start=days_ago(200), agreed_end=days_ago(60))

    red = Trajectory.objects.with_signals(TODAY).filter(signal_level=RED)

    assert list(red) == [late]
    assert quiet not in red


def test_the_reason_says_how_long_in_plain_words():
    row = progress(introduced_on=days_ago(49), status=ProgressStatus.WORKING)
    annotated = Trajectory.objects.with_signals(TODAY).get(pk=trajectory_of(row).pk)

    with translation.override("nl"):
        reason = annotated.signals[0].reason

    assert reason == f"opdracht “{row.assignment.title}” loopt al 7 weken"


def test_the_mark_for_red_is_a_setting(settings):
    settings.WPO_RED_PAST_END_DAYS = 3
    row = trajectory(agreed_start=days_ago(200), agreed_end=days_ago(4))

    assert severity_of("past_end", row) == RED


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (1, "1 dag"),
        (6, "6 dagen"),
        (7, "1 week"),
        (15, "2 weken en 1 dag"),
        (30, "4 weken en 2 dagen"),
    ],
)
def test_duration_in_words(days, words):
    with translation.override("nl"):
        assert duration(days) == words


def test_a_closed_trajectory_with_an_assignment_left_open_has_no_signals():
    row = progress(introduced_on=days_ago(90), status=ProgressStatus.WORKING)
    closed = trajectory_of(row)
    Trajectory.objects.filter(pk=closed.pk).update(phase=Phase.CLOSING, closed_on=TODAY)

    assert Trajectory.objects.with_signals(TODAY).get(pk=closed.pk).signals == []


@pytest.mark.parametrize(
    ("rule", "fields"),
    [
        ("look_back", {"get_started_on": days_ago(40), "look_back_due_on": days_ago(30)}),
        (
            "follow_up",
            {"status": ProgressStatus.INDEPENDENT_WEEK, "independent_until": days_ago(30)},
        ),
    ],
)
def test_due_dates_wait_while_paused(rule, fields):
    fields.setdefault("status", ProgressStatus.WORKING)
    row = progress(introduced_on=days_ago(60), **fields)
    PauseFactory(trajectory=trajectory_of(row), starts_on=days_ago(31), resume_on=TODAY)

    assert severity_of(rule, trajectory_of(row)) is None


def test_the_year_waits_while_paused():
    row = trajectory(agreed_start=days_ago(380), agreed_end=TODAY + datetime.timedelta(30))
    PauseFactory(trajectory=row, starts_on=days_ago(20), resume_on=TODAY)

    assert severity_of("too_long", row) is None


def test_no_conversation_clock_waits_while_paused():
    row = trajectory(agreed_start=days_ago(100), phase=Phase.LEARNING)
    GuidanceConversationFactory(trajectory=row, planned_at=None, held_at=at(days_ago(40)))
    PauseFactory(trajectory=row, starts_on=days_ago(25), resume_on=TODAY)

    assert severity_of("conversation", row) is None


# Load and waiting: more participants at once than the norm, registrations waiting too long.
def trainer_with(count):
    trainer = PersonFactory()
    for _ in range(count):
        trajectory(trainer=trainer)
    return trainer


@pytest.mark.parametrize(("count", "expected"), [(3, NONE), (4, NONE), (5, ORANGE)])
def test_trainer_with_more_participants_than_the_norm(count, expected):
    trainer = trainer_with(count)
    people = Person.objects.filter(pk=trainer.pk)

    [row] = norms.trainer_load(people, Department.objects.all())

    assert (row.signal.severity if row.signal else None) == expected


@pytest.mark.parametrize(("count", "expected"), [(7, NONE), (8, NONE), (9, ORANGE)])
def test_department_with_more_participants_than_the_norm(count, expected):
    department = DepartmentFactory()
    for _ in range(count):
        trajectory(department=department)

    [row] = norms.department_load(department_figures(Department.objects.filter(pk=department.pk)))

    assert (row.signal.severity if row.signal else None) == expected


@pytest.mark.parametrize(
    ("days", "expected"),
    [(27, NONE), (28, NONE), (29, ORANGE), (55, ORANGE), (56, ORANGE), (57, RED)],
)
def test_registration_waiting_longer_than_the_norm(days, expected):
    InterestFactory(registered_on=days_ago(days))

    [row] = norms.waiting(Interest.objects.waiting(), 10, TODAY)

    assert (row.signal.severity if row.signal else None) == expected
