"""The method's rules, as the services enforce them step by step, checked on rows that came in
some other way: the demo's bulk inserts, an import, a repair in the database. Each finding names
the trajectory and the rule it breaks; none means the rows tell a story the app could have
recorded.

Queries: three per 2,000 trajectories (they are read in chunks, prefetched)."""

import datetime

from django.db.models import Prefetch
from django.utils import timezone

from trajects.models import (
    AssignmentProgress,
    Phase,
    ProgressStatus,
    Trajectory,
    TrajectorySkill,
)
from trajects.services.conversations import INDEPENDENT_WEEK
from trajects.services.steps import LOOK_BACK_DAYS

OPEN = {ProgressStatus.INTRODUCED, ProgressStatus.WORKING, ProgressStatus.INDEPENDENT_WEEK}


def progress_findings(row: AssignmentProgress, today: datetime.date) -> list[str]:
    """One assignment against the steps of record_get_started, record_look_back and the
    conversation's outcome (goal reached, independent week, passed)."""
    found = []
    dates = [
        row.introduced_on,
        row.get_started_on,
        row.look_back_done_on,
        row.goal_reached_on,
        row.passed_on,
        row.stopped_on,
    ]
    if any(day and day > today for day in dates):
        found.append("a step dated in the future")
    if row.get_started_on:
        if row.get_started_on < row.introduced_on:
            found.append("get-started task before the introduction")
        shortest, longest = LOOK_BACK_DAYS
        if not shortest <= (row.look_back_due_on - row.get_started_on).days <= longest:
            found.append("look-back not planned 1 to 2 weeks after the get-started task")
    if row.look_back_done_on and (
        not row.get_started_on or row.look_back_done_on < row.look_back_from
    ):
        found.append("look-back done without, or within a week of, the get-started task")
    if row.goal_reached_on:
        if not row.look_back_done_on or row.goal_reached_on < row.look_back_done_on:
            found.append("learning goal reached before the look-back task")
        if row.independent_until != row.goal_reached_on + INDEPENDENT_WEEK:
            found.append("an independent week that is not one week")
    return found + status_findings(row)


def status_findings(row: AssignmentProgress) -> list[str]:
    """The status against the steps it needs behind it, and none ahead of it."""
    found = []
    status = row.status
    if status == ProgressStatus.PASSED and not (
        row.goal_reached_on and row.passed_on and row.passed_on >= row.independent_until
    ):
        found.append("passed without a completed independent week")
    if status == ProgressStatus.INDEPENDENT_WEEK and (not row.goal_reached_on or row.passed_on):
        found.append("in the independent week without its goal reached, or passed already")
    if status in (ProgressStatus.INTRODUCED, ProgressStatus.WORKING) and (
        row.goal_reached_on or row.passed_on
    ):
        found.append("being practised with a goal reached or passed")
    if status == ProgressStatus.STOPPED and not row.stopped_on:
        found.append("stopped without a date")
    return found


def skill_findings(chosen: TrajectorySkill, rows: list[AssignmentProgress]) -> list[str]:
    found = []
    if sum(row.status in OPEN for row in rows) > 1:
        found.append(f"{chosen.skill_id}: two assignments of one skill in progress")
    passed = [row.assignment.level for row in rows if row.status == ProgressStatus.PASSED]
    if chosen.achieved_level and (not passed or chosen.achieved_level > max(passed)):
        found.append(f"{chosen.skill_id}: assessed above the highest level passed")
    return found


def trajectory_findings(trajectory: Trajectory, today: datetime.date) -> list[str]:
    """A trajectory against the phase changes (introduce, start_assessment, start_closing,
    close, stop). Certificates are checked where they are known: trajectories know nothing of
    them."""
    skills = list(trajectory.skills.all())
    rows = [row for chosen in skills for row in chosen.progress_rows]
    is_open = trajectory.closed_on is None and trajectory.stopped_on is None
    found = []
    for row in rows:
        problems = progress_findings(row, today)
        if row.introduced_on < trajectory.agreed_start:
            problems.append("introduced before the start")
        if row.status in OPEN and not is_open:
            problems.append("in progress in an ended trajectory")
        found += [f"assignment {row.assignment_id}: {what}" for what in problems]
    for chosen in skills:
        found += skill_findings(chosen, chosen.progress_rows)
    return found + phase_findings(trajectory, skills, rows)


def phase_findings(trajectory: Trajectory, skills, rows) -> list[str]:
    found = []
    passed = any(row.status == ProgressStatus.PASSED for row in rows)
    if trajectory.phase == Phase.START and rows:
        found.append("in the start phase with an assignment introduced")
    if trajectory.phase >= Phase.ASSESSMENT:
        if any(row.status in OPEN for row in rows):
            found.append(f"in phase {trajectory.phase} with an assignment in progress")
        if not passed:
            found.append(f"in phase {trajectory.phase} without a passed assignment")
    if trajectory.phase == Phase.CLOSING:
        passed_skills = {row.trajectory_skill_id for row in rows if row.status == "passed"}
        if any(s.pk in passed_skills and not s.achieved_level for s in skills):
            found.append("in the closing with a passed skill not assessed")
    if any(s.achieved_level for s in skills) and trajectory.phase < Phase.ASSESSMENT:
        found.append("a skill assessed before the evaluation phase")
    if trajectory.closed_on and trajectory.phase != Phase.CLOSING:
        found.append("closed outside the closing phase")
    changes = [change.phase for change in trajectory.phase_changes.all()]
    if changes != list(range(Phase.START, trajectory.phase + 1)):
        found.append("phase changes that do not lead to its phase")
    return found


def contradictions(trajectories=None) -> dict[int, list[str]]:
    """Per trajectory (by id) what contradicts the method's rules; only those with findings."""
    progress = AssignmentProgress.objects.select_related("assignment").order_by("introduced_on")
    queryset = (
        trajectories if trajectories is not None else Trajectory.objects.all()
    ).prefetch_related(
        Prefetch(
            "skills",
            queryset=TrajectorySkill.objects.prefetch_related(
                Prefetch("progress", queryset=progress, to_attr="progress_rows")
            ),
        ),
        "phase_changes",
    )
    today = timezone.localdate()
    findings = {}
    for trajectory in queryset.iterator(chunk_size=2000):
        if found := trajectory_findings(trajectory, today):
            findings[trajectory.pk] = found
    return findings
