"""A realistic demo organisation, for trying the app, for scripted tours and for benchmarks.

Everything is made with bulk inserts, so `--participants 5000` takes a minute or two, not hours.
The generator is seeded: the same options give the same organisation.

This module sits at the project level (like the root URLconf): it fills every app's tables.
"""

import datetime
import json
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from assignments import catalogue
from assignments.models import Assignment, Level, Skill
from certificates.models import Certificate, level_meaning, new_verification_code
from certificates.services import period
from trajects import consistency, deadlines
from trajects.models import (
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
    SummarizedMonth,
    Trajectory,
    TrajectorySkill,
)
from trajects.services.conversations import INDEPENDENT_WEEK
from wpo.models import BusinessUnit, Department, Membership, Person, Role

HISTORY = [
    AssignmentProgress,
    Certificate,
    FloorNote,
    GuidanceConversation,
    Interest,
    Pause,
    Trajectory,
    TrajectorySkill,
]
DEFAULT_PASSWORD = "wpo-demo"
# One trajectory in its learning period for each of the coach's signals (trajects.norms) that
# chance might not bring in a small demo, and how many days ago each started.
SIGNAL_CASES = ["assignment", "look_back", "follow_up", "too_long", "short", "past_end"]
SHAPED_CASES = ("assignment", "look_back", "follow_up")
# the quickest an assignment is passed: get-started task (up to 4 days after the introduction),
# look-back a week later, then the goal reached and a week on their own
FASTEST_PASS = datetime.timedelta(days=4 + 7 + 7)
CASE_STARTED = {"assignment": 100, "look_back": 100, "follow_up": 100, "too_long": 380}
BATCH = 1000

# Names and texts in plain Dutch; a Dutch infix belongs to its surname ("de", "Vries").
WORDS = json.loads((Path(__file__).resolve().parent / "data" / "demo.json").read_text("utf-8"))
UNITS = WORDS["units"]
STAFF_UNIT, STAFF_DEPARTMENT = WORDS["staff_department"]
FIRST_NAMES = WORDS["first_names"]
LAST_NAMES = [tuple(name) for name in WORDS["last_names"]]
ACCOUNTS, OBSERVATIONS, FEEDBACK, AGREEMENTS = (
    WORDS["conversation"][part] for part in ("accounts", "observations", "feedback", "agreements")
)
NOTES = WORDS["floor_notes"]
STOP_REASONS = WORDS["stop_reasons"]
PAUSE_REASONS = WORDS["pause_reasons"]
ESCALATIONS = WORDS["escalations"]


@dataclass
class Login:
    username: str
    role: str
    person: Person | None = None
    departments: list[Department] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)


class DemoError(Exception):
    pass


def address(username: str) -> str:
    # example.nl is reserved (RFC 2606's Dutch sibling): mail to it reaches nobody
    return f"{username}@example.nl"


def already_loaded() -> bool:
    return BusinessUnit.objects.exists() or get_user_model().objects.filter(username="pm").exists()


DEMO_LOGIN = r"^(trainer\d+|coach\d+|manager\d+|pm|admin)$"


def reset():
    """Remove every organisation, trajectory and certificate, and the demo's own logins (other
    accounts stay). Meant for demo and development databases, never for real data."""
    with transaction.atomic():
        user_ids = list(
            get_user_model().objects.filter(username__regex=DEMO_LOGIN).values_list("pk", flat=True)
        )
        SummarizedMonth.objects.all().delete()
        Certificate.objects.all().delete()
        Escalation.objects.all().delete()
        Meeting.objects.all().delete()
        Trajectory.objects.all().delete()
        Interest.objects.all().delete()
        Membership.objects.all().delete()
        Person.objects.all().delete()
        Department.objects.all().delete()
        BusinessUnit.objects.all().delete()
        get_user_model().objects.filter(pk__in=user_ids).delete()
        # the demo's people are gone; so is the history the deletes just wrote about them
        for model in HISTORY:
            model.history.all().delete()


class Generator:
    def __init__(
        self, participants: int, password: str, seed: int = 2026, conversations: int | None = None
    ):
        """`conversations`: held conversations per participant on average, with history rows
        for the last weeks' (a benchmark's years of use); by default the few a demo needs."""
        self.size = participants
        self.conversations = conversations
        self.random = random.Random(seed)
        self.password_hash = make_password(password)
        self.password = password
        self.today = timezone.localdate()
        self.zone = timezone.get_current_timezone()
        self.used_names: set[tuple[str, str, str]] = set()
        self.logins: list[Login] = []

    # ---- helpers -------------------------------------------------------------------------

    def days_ago(self, days: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days)

    def at(self, day: datetime.date, hour: int) -> datetime.datetime:
        # what make_aware does for a zoneinfo zone, without looking the zone up for each of a
        # million conversations
        return datetime.datetime.combine(day, datetime.time(hour), tzinfo=self.zone)

    def past_workday(self, day: datetime.date) -> datetime.date:
        """What happened on a weekend day happened on the Friday before."""
        return day - datetime.timedelta(days=max(0, day.weekday() - 4))

    def workday(self, day: datetime.date) -> datetime.date:
        """Conversations and meetings happen on weekdays: a weekend day moves to Monday."""
        if day.weekday() >= 5:
            day += datetime.timedelta(days=7 - day.weekday())
        return day

    def person(self, department: Department, **extra) -> Person:
        rnd = self.random
        for attempt in range(1_000_000):
            first = rnd.choice(FIRST_NAMES)
            if attempt >= 10:  # the simple names run out in a big demo: Jan-Willem, Anne-Fleur
                first = f"{first}-{rnd.choice(FIRST_NAMES)}"
            name = (first, *rnd.choice(LAST_NAMES))
            if name not in self.used_names:
                break
        self.used_names.add(name)
        first, infix, last = name
        return Person(first_name=first, infix=infix, last_name=last, department=department, **extra)

    # ---- the organisation ----------------------------------------------------------------

    def organisation(self):
        units = BusinessUnit.objects.bulk_create([BusinessUnit(name=name) for name in UNITS])
        copies = max(1, math.ceil(self.size / (40 * sum(len(d) for d in UNITS.values()))))
        departments = []
        for unit in units:
            for base in UNITS[unit.name]:
                for copy in range(1, copies + 1):
                    name = base if copy == 1 else f"{base} {copy}"
                    departments.append(Department(business_unit=unit, name=name))
        self.departments = Department.objects.bulk_create(departments)
        staff_unit = next(unit for unit in units if unit.name == STAFF_UNIT)
        self.staff_department = Department.objects.create(
            business_unit=staff_unit, name=STAFF_DEPARTMENT
        )

    def staff(self):
        """Trainers (about one per five participants, at least one per department), coaches
        (one per four departments, at least two), the project manager and the administrator."""
        User = get_user_model()
        per_department = max(1, math.ceil(self.size / len(self.departments) / 5))
        trainer_seats = [d for d in self.departments for _ in range(per_department)]
        coach_count = max(2, math.ceil(len(self.departments) / 4))
        group_size = math.ceil(len(self.departments) / coach_count)
        coach_groups = [
            self.departments[i : i + group_size]
            for i in range(0, len(self.departments), group_size)
        ]

        plans = (
            [(f"trainer{i}", Role.TRAINER, [d]) for i, d in enumerate(trainer_seats, 1)]
            + [(f"coach{i}", Role.COACH, group) for i, group in enumerate(coach_groups, 1)]
            + [("pm", Role.PROJECT_MANAGER, [])]
        )
        users = User.objects.bulk_create(
            [
                User(username=username, email=address(username), password=self.password_hash)
                for username, _, _ in plans
            ]
            + [
                User(
                    username="admin",
                    email=address("admin"),
                    password=self.password_hash,
                    is_staff=True,
                    is_superuser=True,
                )
            ]
        )
        by_name = {user.username: user for user in users}
        people = Person.objects.bulk_create(
            [
                self.person(
                    departments[0] if role == Role.TRAINER else self.staff_department,
                    user=by_name[username],
                )
                for username, role, departments in plans
            ]
        )
        memberships = []
        for (username, role, departments), person in zip(plans, people, strict=True):
            login = Login(username, role, person, list(departments))
            self.logins.append(login)
            if role == Role.PROJECT_MANAGER:
                memberships.append(Membership(person=person, role=role))
            memberships += [Membership(person=person, role=role, department=d) for d in departments]
        Membership.objects.bulk_create(memberships)
        self.logins.append(Login("admin", "admin"))
        self.trainers_of, self.trainers_by_coach = {}, {}
        self.coach_of = {
            d.pk: login.person
            for login in self.logins
            if login.role == Role.COACH
            for d in login.departments
        }
        for login in self.logins:
            if login.role == Role.TRAINER:
                department = login.departments[0]
                self.trainers_of.setdefault(department.pk, []).append(login.person)
                coach = self.coach_of[department.pk]
                self.trainers_by_coach.setdefault(coach.pk, []).append((login.person, department))
        self.project_manager = next(
            login.person for login in self.logins if login.role == Role.PROJECT_MANAGER
        )

    def unit_managers(self):
        """A business-unit manager per unit (`manager1`...), who follows its figures. Made last,
        so the names drawn for everyone else stay what they were."""
        User = get_user_model()
        units = BusinessUnit.objects.filter(departments__in=self.departments).distinct()
        for number, unit in enumerate(units, 1):
            username = f"manager{number}"
            user = User.objects.create(
                username=username, email=address(username), password=self.password_hash
            )
            person = self.person(self.staff_department, user=user)
            person.save()
            Membership.objects.create(person=person, role=Role.UNIT_MANAGER, business_unit=unit)
            self.logins.append(
                Login(username, Role.UNIT_MANAGER, person, list(unit.departments.all()))
            )

    # ---- trajectories --------------------------------------------------------------------

    def phase_plan(self, index: int) -> str:
        """Spread participants over the phases, and over closed and stopped trajectories."""
        plan = ["start"] * 3 + ["learning"] * 9 + ["assessment"] * 3 + ["closing"] * 2
        plan += ["closed"] * 2 + ["stopped"]
        return plan[index % len(plan)]

    def trajectories(self):
        rnd = self.random
        participants = Person.objects.bulk_create(
            [self.person(self.departments[i % len(self.departments)]) for i in range(self.size)]
        )
        plans = [self.phase_plan(i) for i in range(self.size)]
        rnd.shuffle(plans)
        # the first few in their learning period each show one of the coach's signals, so even
        # the smallest demo shows every kind (others come by chance)
        cases = iter(SIGNAL_CASES)
        trajectories = []
        for participant, plan in zip(participants, plans, strict=True):
            department = participant.department
            case = next(cases, None) if plan == "learning" else None
            started = {
                "start": rnd.randint(0, 20),
                "learning": rnd.randint(30, 240),
                "assessment": rnd.randint(120, 300),
                "closing": rnd.randint(150, 330),
                "closed": rnd.randint(200, 360),
                "stopped": rnd.randint(60, 200),
            }[plan]
            if case in CASE_STARTED:
                started = CASE_STARTED[case]
            start = self.days_ago(started)
            months = rnd.choice([4, 6, 6, 6, 9, 12])
            end = start + datetime.timedelta(days=round(months * 30.4))
            if plan == "learning" and rnd.random() < 0.15:
                end = self.days_ago(rnd.randint(5, 40))  # past its agreed end: a signal
            if case in ("too_long", "past_end"):
                end = self.days_ago(10)
            trajectory = Trajectory(
                participant=participant,
                department=department,
                trainer=rnd.choice(self.trainers_of[department.pk]),
                coach=self.coach_of[department.pk],
                agreed_start=start,
                agreed_end=start + datetime.timedelta(days=84)
                if case == "short"
                else max(end, start + datetime.timedelta(days=90)),
                phase={
                    "start": Phase.START,
                    "learning": Phase.LEARNING,
                    "assessment": Phase.ASSESSMENT,
                }.get(plan, Phase.CLOSING),
            )
            if plan == "closed":
                trajectory.closed_on = min(self.days_ago(rnd.randint(3, 60)), trajectory.agreed_end)
            if plan == "stopped":
                trajectory.phase = Phase.LEARNING
                trajectory.stopped_on = self.days_ago(rnd.randint(5, 50))
                trajectory.stop_reason = rnd.choice(STOP_REASONS)
            trajectory.plan, trajectory.case = plan, case
            trajectories.append(trajectory)
        Trajectory.objects.bulk_create(trajectories, batch_size=BATCH)
        self.all_trajectories = trajectories

    def interests(self):
        """Employees who registered their interest and wait to start."""
        waiting = [
            self.person(self.departments[i % len(self.departments)])
            for i in range(max(4, self.size // 8))
        ]
        Person.objects.bulk_create(waiting, batch_size=BATCH)
        wishes = [
            "Beter leren plannen.",
            "Rustiger blijven als het druk is.",
            "Makkelijker om hulp vragen.",
            "Beter samenwerken met collega's.",
            "",
        ]
        interests = [
            Interest(
                person=person,
                department=person.department,
                supervisor=self.random.choice(self.trainers_of[person.department.pk]),
                registered_on=self.days_ago(self.random.randint(3, 90)),
                wish=self.random.choice(wishes),
            )
            for person in waiting
        ]
        Interest.objects.bulk_create(interests, batch_size=BATCH)

    def phases_and_pauses(self):
        """When each trajectory entered its phases (for the timeline), and a few participants
        at home sick: paused, so their clocks stand still."""
        changes, pauses = [], []
        for trajectory in self.all_trajectories:
            start = trajectory.agreed_start
            last_day = trajectory.closed_on or trajectory.stopped_on or self.today
            elapsed = max((last_day - start).days, 0)
            entered = {
                Phase.START: start,
                Phase.LEARNING: start + datetime.timedelta(days=min(7, elapsed // 4)),
                Phase.ASSESSMENT: start + datetime.timedelta(days=elapsed * 7 // 10),
                Phase.CLOSING: start + datetime.timedelta(days=elapsed * 17 // 20),
            }
            changes += [
                PhaseChange(trajectory=trajectory, phase=phase, changed_on=day)
                for phase, day in entered.items()
                if phase <= trajectory.phase
            ]
            # (not one showing a signal: a pause stops its clocks)
            if (
                trajectory.plan == "learning"
                and not trajectory.case
                and self.random.random() < 0.08
            ):
                began = self.past_workday(self.days_ago(self.random.randint(3, 12)))
                pauses.append(
                    Pause(
                        trajectory=trajectory,
                        starts_on=began,
                        resume_on=self.workday(began + datetime.timedelta(days=21)),
                        reason=self.random.choice(PAUSE_REASONS),
                    )
                )
        PhaseChange.objects.bulk_create(changes, batch_size=BATCH)
        Pause.objects.bulk_create(pauses, batch_size=BATCH)

    def skills_and_progress(self):
        rnd = self.random
        assignments = {}
        for assignment in Assignment.objects.order_by("number"):
            assignments.setdefault(assignment.skill_id, []).append(assignment)
        skills = list(Skill.objects.all())
        chosen, progress, self.progress_by_trajectory = [], [], {}
        for trajectory in self.all_trajectories:
            picks = rnd.sample(skills, k=rnd.choice([1, 1, 2]))
            for skill in picks:
                target = rnd.choice([Level.A, Level.B, Level.B, Level.C])
                ts = TrajectorySkill(
                    trajectory=trajectory,
                    skill=skill,
                    target_level=target,
                    chosen_on=trajectory.agreed_start,
                )
                ts.plan_assignments = [a for a in assignments[skill.pk] if a.level <= target]
                chosen.append(ts)
        TrajectorySkill.objects.bulk_create(chosen, batch_size=BATCH)

        shaped = set()
        for ts in chosen:
            trajectory = ts.trajectory
            if trajectory.plan == "start":
                continue
            if trajectory.case in SHAPED_CASES and trajectory.pk not in shaped:
                shaped.add(trajectory.pk)
                row = AssignmentProgress(trajectory_skill=ts, assignment=ts.plan_assignments[0])
                progress.append(self.shape(row, trajectory.case))
                continue
            finish = trajectory.closed_on or trajectory.stopped_on or self.today
            day = trajectory.agreed_start + datetime.timedelta(days=rnd.randint(7, 21))
            passed_levels = []
            for assignment in ts.plan_assignments:
                weeks = max(1, assignment.expected_weeks + rnd.randint(-1, 2))
                # the get-started task, the look-back 1-2 weeks later, a week on their own
                passed_on = day + max(datetime.timedelta(weeks=weeks), FASTEST_PASS)
                if passed_on > finish and trajectory.plan in ("assessment", "closing", "closed"):
                    break  # from the evaluation on, no assignment is left open
                row = self.progress_row(
                    ts, assignment, day, passed_on, finish, first=not passed_levels
                )
                progress.append(row)
                if row.status != ProgressStatus.PASSED:
                    break
                passed_levels.append(assignment.level)
                day = passed_on + datetime.timedelta(days=rnd.randint(2, 10))
            last = progress[-1] if progress and progress[-1].trajectory_skill is ts else None
            if trajectory.plan == "learning" and last and last.status == ProgressStatus.PASSED:
                self.reopen(last)  # in the learning period there is always something to work on
                passed_levels.pop()
            self.assess(ts, passed_levels, min(finish, day))
        TrajectorySkill.objects.bulk_update(
            [ts for ts in chosen if ts.assessed_on],
            ["achieved_level", "assessed_on", "assessed_by", "second_assessor"],
            batch_size=BATCH,
        )
        AssignmentProgress.objects.bulk_create(progress, batch_size=BATCH)
        for row in progress:
            self.progress_by_trajectory.setdefault(row.trajectory_skill.trajectory.pk, []).append(
                row
            )

    def assess(self, ts, passed_levels, on):
        # in evaluation about half are assessed already; in the closing, all are
        plan = ts.trajectory.plan
        assessed = plan in ("closing", "closed") or (
            plan == "assessment" and self.random.random() < 0.5
        )
        if assessed and passed_levels:
            ts.achieved_level = max(passed_levels)
            ts.assessed_on = on
            ts.assessed_by = ts.trajectory.trainer
            if self.random.random() < 0.5:
                ts.second_assessor = ts.trajectory.coach

    def progress_row(
        self, ts, assignment, introduced, passed_on, finish, *, first: bool
    ) -> AssignmentProgress:
        """One assignment, its steps in the order and at the distances the services allow:
        passed if it ended before `finish`, else in progress (sometimes in an overdue situation
        the coach should see) or stopped with its trajectory."""
        rnd = self.random
        row = AssignmentProgress(
            trajectory_skill=ts, assignment=assignment, introduced_on=introduced
        )
        if passed_on <= finish:
            row.get_started_on = introduced + datetime.timedelta(days=rnd.randint(1, 4))
            row.look_back_due_on = row.get_started_on + datetime.timedelta(days=rnd.choice([7, 14]))
            row.goal_reached_on = passed_on - INDEPENDENT_WEEK
            row.look_back_done_on = min(row.look_back_due_on, row.goal_reached_on)
            row.independent_until = row.passed_on = passed_on
            row.status = ProgressStatus.PASSED
            if rnd.random() < 0.25:
                row.second_assessor = ts.trajectory.coach
            return row
        start = ts.trajectory.agreed_start
        if introduced > finish:
            row.introduced_on = max(start, finish - datetime.timedelta(days=rnd.randint(0, 10)))
        if ts.trajectory.plan == "stopped":
            self.steps_until(row, finish)
            row.status, row.stopped_on = ProgressStatus.STOPPED, finish
            return row
        overdue_roll = rnd.random()
        if overdue_roll < 0.12 and first and start < self.days_ago(60):
            return self.shape(row, "assignment")
        if overdue_roll < 0.25 and row.introduced_on < self.days_ago(21):
            return self.shape(row, "independent_week")
        return self.steps_until(row, finish)

    def steps_until(self, row: AssignmentProgress, last_day: datetime.date):
        """Being practised: the get-started task done (unless it was introduced only just),
        and most look-backs that came due by `last_day`."""
        rnd = self.random
        get_started = row.introduced_on + datetime.timedelta(days=rnd.randint(1, 4))
        if get_started > last_day:
            row.status = ProgressStatus.INTRODUCED
            return row
        row.status = ProgressStatus.WORKING
        row.get_started_on = get_started
        row.look_back_due_on = get_started + datetime.timedelta(days=rnd.choice([7, 14]))
        if row.look_back_due_on <= last_day and rnd.random() < 0.7:
            row.look_back_done_on = row.look_back_due_on
        return row

    def shape(self, row: AssignmentProgress, case: str) -> AssignmentProgress:
        """An open assignment in a situation the coach should see: running over six weeks,
        its look-back late, or its independent week over without the follow-up conversation;
        or (by chance) in its independent week."""
        rnd = self.random
        earliest = row.trajectory_skill.trajectory.agreed_start + datetime.timedelta(days=7)
        introduced = {
            "assignment": rnd.randint(45, 70),
            "look_back": rnd.randint(24, 30),
            "follow_up": rnd.randint(30, 35),
        }.get(case, (self.today - row.introduced_on).days)
        row.introduced_on = max(earliest, self.days_ago(introduced))
        row.get_started_on = row.introduced_on + datetime.timedelta(days=2)
        row.look_back_due_on = row.get_started_on + datetime.timedelta(days=7)
        row.status = ProgressStatus.WORKING
        if case == "look_back":
            return row
        row.look_back_done_on = row.look_back_due_on
        if case == "assignment":
            return row
        row.status = ProgressStatus.INDEPENDENT_WEEK
        ended_ago = rnd.randint(2, 5) if case == "follow_up" else rnd.randint(-6, 5)
        row.goal_reached_on = max(
            row.look_back_done_on, self.days_ago(ended_ago) - INDEPENDENT_WEEK
        )
        row.independent_until = row.goal_reached_on + INDEPENDENT_WEEK
        return row

    def reopen(self, row: AssignmentProgress):
        row.status = ProgressStatus.WORKING
        row.introduced_on = max(row.introduced_on, self.days_ago(self.random.randint(3, 30)))
        row.get_started_on = row.introduced_on + datetime.timedelta(days=1)
        row.look_back_due_on = row.get_started_on + datetime.timedelta(days=14)
        row.look_back_done_on = None if row.look_back_due_on >= self.today else row.look_back_due_on
        row.goal_reached_on = row.independent_until = row.passed_on = None
        row.second_assessor = None

    def conversations_and_notes(self):
        rnd = self.random
        conversations, notes = [], []
        for trajectory in self.all_trajectories:
            rows = self.progress_by_trajectory.get(trajectory.pk, [])
            finish = trajectory.closed_on or trajectory.stopped_on or self.today
            for row in rows:
                day = row.introduced_on + datetime.timedelta(days=rnd.randint(8, 16))
                last_day = row.passed_on or finish
                while day < last_day:
                    outcome = Outcome.CONTINUE
                    if row.goal_reached_on and day >= row.goal_reached_on:
                        day = row.goal_reached_on
                        outcome = Outcome.GOAL_REACHED
                    conversations.append(self.held(trajectory, row, day, outcome))
                    if outcome == Outcome.GOAL_REACHED:
                        break
                    day += datetime.timedelta(days=rnd.randint(12, 24))
                if row.passed_on:
                    conversations.append(self.held(trajectory, row, row.passed_on, Outcome.PASSED))
                for _ in range(rnd.randint(0, 3)):
                    written = row.introduced_on + datetime.timedelta(
                        days=rnd.randint(1, max(1, (last_day - row.introduced_on).days))
                    )
                    notes.append(
                        FloorNote(
                            trajectory=trajectory,
                            progress=row,
                            text=rnd.choice(NOTES),
                            written_at=self.at(
                                max(row.introduced_on, self.past_workday(min(written, self.today))),
                                rnd.randint(7, 15),
                            ),
                            author=trajectory.trainer.user,
                        )
                    )
            if trajectory.is_open and rnd.random() < 0.8:
                planned = self.workday(self.today + datetime.timedelta(days=rnd.randint(1, 14)))
                conversations.append(
                    GuidanceConversation(
                        trajectory=trajectory,
                        progress=rows[-1] if rows else None,
                        planned_at=self.at(planned, rnd.choice([9, 10, 11, 13, 14])),
                        author=trajectory.trainer.user,
                    )
                )
        if self.conversations:
            conversations += self.more_conversations(len(conversations))
        GuidanceConversation.objects.bulk_create(conversations, batch_size=BATCH)
        FloorNote.objects.bulk_create(notes, batch_size=BATCH)
        if self.conversations:
            self.recent_history(conversations)

    def more_conversations(self, made: int) -> list[GuidanceConversation]:
        """Held conversations on the assignments worked on, up to `self.conversations` per
        participant on average: the volume of a few years' use."""
        rows = [row for rows in self.progress_by_trajectory.values() for row in rows]
        extra = []
        for _ in range(max(0, self.conversations * self.size - made)):
            row = self.random.choice(rows)
            trajectory = row.trajectory_skill.trajectory
            last_day = row.passed_on or trajectory.closed_on or trajectory.stopped_on or self.today
            days = max(0, (last_day - row.introduced_on).days)
            day = row.introduced_on + datetime.timedelta(days=self.random.randint(0, days))
            extra.append(self.held(trajectory, row, day, Outcome.CONTINUE))
        return extra

    def recent_history(self, conversations: list[GuidanceConversation]):
        """The history rows (who wrote what when) of the last four weeks' conversations, as the
        services leave them."""
        since = timezone.now() - datetime.timedelta(days=28)
        recent = [c for c in conversations if (c.held_at or c.planned_at) >= since]
        for conversation in recent:
            conversation._history_date = conversation.held_at or conversation.planned_at
            conversation._history_user = conversation.author
        GuidanceConversation.history.bulk_history_create(recent, batch_size=BATCH)

    def held(self, trajectory, row, day, outcome) -> GuidanceConversation:
        rnd = self.random
        coach_present = rnd.random() < 0.15
        held_at = self.at(
            self.past_workday(min(day, self.today)), rnd.choice([9, 10, 11, 13, 14, 15])
        )
        confirmed = rnd.random() < 0.6
        initials = "".join(
            part[0]
            for part in (trajectory.participant.first_name, trajectory.participant.last_name)
        )
        return GuidanceConversation(
            trajectory=trajectory,
            progress=row,
            planned_at=held_at,
            held_at=held_at,
            coach_present=coach_present,
            participant_account=rnd.choice(ACCOUNTS),
            trainer_observations=rnd.choice(OBSERVATIONS),
            positive_feedback=rnd.choice(FEEDBACK),
            agreements=rnd.choice(AGREEMENTS),
            outcome=outcome,
            second_assessor=trajectory.coach
            if outcome == Outcome.PASSED and coach_present
            else None,
            participant_confirmed_at=held_at + datetime.timedelta(minutes=30)
            if confirmed
            else None,
            participant_initials=initials if confirmed else "",
            author=trajectory.trainer.user,
        )

    # ---- meetings, escalations, certificates ---------------------------------------------

    @staticmethod
    def invitees(kind, trainer, department, trainers, coached, participants):
        """The departments a meeting is for and who is invited, as the handbook has it."""
        if kind == MeetingKind.ONE_TO_ONE:
            return [department], [trainer]
        for_departments = [department] if kind == MeetingKind.DEPARTMENT_VISIT else coached
        invited = [p for p, d in trainers if d in for_departments][:12]
        if kind in (MeetingKind.KICKOFF, MeetingKind.CLOSING):
            for d in for_departments:
                invited += participants.get(d.pk, [])[:6]
        return for_departments, invited

    def meetings_and_escalations(self):
        """Per coach each kind of meeting twice: one held and written down, one planned."""
        rnd = self.random
        coaches = [login.person for login in self.logins if login.role == Role.COACH]
        participants = {}
        for trajectory in self.all_trajectories:
            if trajectory.is_open:
                participants.setdefault(trajectory.department_id, []).append(trajectory.participant)
        kinds = [
            (MeetingKind.KICKOFF, (-200, 30), "Startbijeenkomst WPO", "Kantine"),
            (MeetingKind.PEER_REVIEW, (-40, 50), "Intervisie werkplekopleiders", "Spreekkamer 2"),
            (MeetingKind.DEPARTMENT_VISIT, (-13, -1, 8), "", "Op de afdeling"),
            (MeetingKind.ONE_TO_ONE, (-20, 3), "", "Spreekkamer 2"),
            (MeetingKind.CLOSING, (-90, 21), "Afsluiting met certificaten", "Kantine"),
        ]
        meetings, departments, invitees = [], [], []
        for coach in coaches:
            trainers = self.trainers_by_coach[coach.pk]
            coached = sorted({department for _, department in trainers}, key=lambda d: d.pk)
            for kind, offsets, title, location in kinds:
                for offset in offsets:
                    day = self.workday(self.today + datetime.timedelta(days=offset))
                    held = offset < -1  # yesterday's visit is still to be written down
                    trainer, department = rnd.choice(trainers)
                    if kind != MeetingKind.ONE_TO_ONE:
                        trainer = None
                    for_departments, invited = self.invitees(
                        kind, trainer, department, trainers, coached, participants
                    )
                    meetings.append(
                        Meeting(
                            kind=kind,
                            title=title,
                            organiser=coach,
                            trainer=trainer,
                            scheduled_at=self.at(day, 14),
                            location=location,
                            held_on=day if held else None,
                            notes="Goede opkomst, veel vragen over de opdrachten." if held else "",
                        )
                    )
                    departments.append(for_departments)
                    invitees.append((invited, held))
        Meeting.objects.bulk_create(meetings)
        links, attendances = [], []
        for meeting, for_departments, (invited, held) in zip(
            meetings, departments, invitees, strict=True
        ):
            links += [
                Meeting.departments.through(meeting_id=meeting.pk, department_id=d.pk)
                for d in for_departments
            ]
            attendances += [
                MeetingAttendance(
                    meeting=meeting, person=person, attended=rnd.random() < 0.85 if held else None
                )
                for person in dict.fromkeys(invited)
            ]
        Meeting.departments.through.objects.bulk_create(links, batch_size=BATCH)
        MeetingAttendance.objects.bulk_create(attendances, batch_size=BATCH)

        escalations = []
        for i, (subject, description) in enumerate(ESCALATIONS):
            coach = coaches[i % len(coaches)]
            department = next(d for d, c in self.coach_of.items() if c == coach)
            escalation = Escalation(
                raised_by=coach,
                department_id=department,
                subject=subject,
                description=description,
                raised_at=self.at(self.days_ago(20 - 6 * i), 10),
            )
            if i == 1:  # one about a participant
                escalation.trajectory = next(
                    t for t in self.all_trajectories if t.department_id == department and t.is_open
                )
            if i == 0:
                escalation.answer = (
                    "Besproken in het MT: elke werkplekopleider krijgt een uur per week voor WPO."
                )
                escalation.answered_by = self.project_manager
                escalation.answered_at = self.at(self.days_ago(15), 16)
            escalations.append(escalation)
        Escalation.objects.bulk_create(escalations)

    def certificates(self):
        levels = {}
        for ts in TrajectorySkill.objects.filter(assessed_on__isnull=False).select_related("skill"):
            levels.setdefault(ts.trajectory_id, []).append(
                {
                    "skill": ts.skill.name,
                    "level": ts.achieved_level,
                    "meaning": level_meaning(ts.achieved_level),
                }
            )
        certificates = []
        for trajectory in self.all_trajectories:
            # closed trajectories got theirs at the closing; some in their closing already have
            if trajectory.plan not in ("closed", "closing") or trajectory.pk not in levels:
                continue
            issued_on = trajectory.closed_on or self.days_ago(2)
            period_start, period_end = period(trajectory, issued_on)
            certificates.append(
                Certificate(
                    trajectory=trajectory,
                    code=new_verification_code(),
                    participant_name=trajectory.participant.full_name,
                    skills=levels[trajectory.pk],
                    period_start=period_start,
                    period_end=period_end,
                    organisation=settings.WPO_ORGANISATION_NAME,
                    place=settings.WPO_ORGANISATION_PLACE,
                    issued_on=issued_on,
                    trainer_name=trajectory.trainer.full_name,
                    coach_name=trajectory.coach.full_name,
                )
            )
        Certificate.objects.bulk_create(certificates, batch_size=BATCH)

    # ---- who is who ----------------------------------------------------------------------

    def summary(self) -> dict:
        # grouped once: a login each looking through every trajectory took 50,000 participants'
        # 10,000 logins minutes
        by_trainer, by_department = defaultdict(list), defaultdict(list)
        for trajectory in self.all_trajectories:
            if trajectory.is_open:
                name = trajectory.participant.full_name
                by_trainer[trajectory.trainer_id].append(name)
                by_department[trajectory.department_id].append(name)
        everyone = [t.participant.full_name for t in self.all_trajectories]
        result = {}
        for login in self.logins:
            if login.role == Role.TRAINER:
                participants = by_trainer[login.person.pk]
            elif login.role == Role.COACH:
                participants = [n for d in login.departments for n in by_department[d.pk]]
            elif login.role == Role.PROJECT_MANAGER:
                participants = everyone
            else:
                participants = []
            result[login.username] = {
                "role": str(login.role),
                "password": self.password,
                "name": login.person.full_name if login.person else "",
                "departments": [d.name for d in login.departments],
                "participants": sorted(participants),
            }
        return result

    @transaction.atomic
    def run(self) -> dict:
        if not Skill.objects.exists():
            catalogue.load_shipped()
        self.organisation()
        self.staff()
        self.trajectories()
        self.interests()
        self.skills_and_progress()
        self.phases_and_pauses()
        self.conversations_and_notes()
        self.meetings_and_escalations()
        self.certificates()
        self.unit_managers()
        # the rows went in in bulk, past the services that keep the clock dates and the rules
        deadlines.refresh_all(Trajectory.objects.all())
        self.check()
        return self.summary()

    def check(self):
        """Every trajectory against the method's rules as the services enforce them: no demo
        participant may contradict what the app would let anyone record."""
        found = consistency.contradictions()
        if found:
            pk, problems = next(iter(found.items()))
            raise DemoError(
                f"{len(found)} demo trajectories break the method's rules, "
                f"#{pk}: {'; '.join(problems)}"
            )
