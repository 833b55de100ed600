"""The project manager's figures: the organisation per business unit and department over a
period. Everything is counted and averaged in the database, in a fixed number of queries
however many participants there are; the page, the exports and the PDF report read the same
`Report`.

What counts where:
- "now": open trajectories by phase, registrations waiting, escalations not yet answered;
- "in the period": trajectories that ran during it, started (agreed start), closed, stopped;
  assignments passed, skills assessed, certificates issued (valid ones) on a day in it;
- durations: trajectories closed in the period, from agreed start to closing, and assignments
  passed in it, from introduction to passed; days paused never count (DOMAIN.md, norms).
"""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.db.models import (
    Avg,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncQuarter
from django.dispatch import Signal
from django.utils.translation import gettext as _

from assignments.models import Level, Skill
from trajects.models import (
    AssignmentProgress,
    Escalation,
    Pause,
    ProgressStatus,
    Trajectory,
    TrajectorySkill,
)
from trajects.norms import DaysBetween
from trajects.reports.dashboards import FIGURES, count_per, department_figures
from wpo.models import Department

LEVELS = [level.value for level in Level]
# the department figures that add up to a total
COUNTS = [
    *FIGURES,
    *("open_escalations", "during", "started", "closed", "stopped", "certificates"),
    *("passed", "assessed", "shorter", "longer", "over_norm"),
]
# a department with no rows of a kind: nothing counted, no average
NOTHING_COUNTED = {
    **{name: 0 for name in COUNTS if name not in FIGURES},
    "trajectory_days": None,
    "assignment_days": None,
}
# Apps that build on trajectories count their own rows per department: a receiver gets the
# `report` and answers `per_department(...)` of its rows (certificates: those issued in the
# period). Trajectories import nothing of them (DESIGN.md: imports flow one way).
counting = Signal()


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # the last day in it
    label: str = ""  # in words: "2026", "kwartaal 1, 2026"

    @property
    def days(self) -> tuple[datetime.date, datetime.date]:
        """For a `__range` lookup: both ends included."""
        return (self.start, self.end)

    def quarters(self) -> list[datetime.date]:
        """The first day of every quarter the period touches."""
        first, quarters = quarter_of(self.start), []
        while first <= self.end:
            quarters.append(first)
            first = add_quarter(first)
        return quarters


def quarter_of(day: datetime.date) -> datetime.date:
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def add_quarter(first: datetime.date) -> datetime.date:
    months = first.year * 12 + first.month - 1 + 3
    return datetime.date(months // 12, months % 12 + 1, 1)


def quarter_name(first: datetime.date) -> str:
    return _("Quarter %(number)s, %(year)s") % {
        "number": (first.month - 1) // 3 + 1,
        "year": first.year,
    }


def trajectory_days():
    """A closed trajectory's length in days, from the agreed start to the closing, its pauses
    left out."""
    paused = (
        Pause.objects.filter(trajectory=OuterRef("pk"))
        .order_by()
        .values("trajectory")
        .annotate(
            days=Sum(DaysBetween(Coalesce("resumed_on", "trajectory__closed_on"), "starts_on"))
        )
        .values("days")
    )
    return DaysBetween("closed_on", "agreed_start") - Coalesce(
        Subquery(paused, output_field=IntegerField()), 0
    )


def assignment_days():
    """A passed assignment's length in days, from introduction to passed, pauses left out."""
    return DaysBetween("passed_on", "introduced_on") - F("paused_days")


def per_department(queryset, path: str, **aggregates) -> dict[int, dict]:
    """`aggregates` of `queryset` for each department (found at `path`), in one query."""
    rows = queryset.order_by().values(path).annotate(**aggregates)
    return {row.pop(path): row for row in rows}


def norm_settings() -> dict:
    return {
        "trajectory_min_days": settings.WPO_NORM_TRAJECTORY_MIN_DAYS,
        "trajectory_max_days": settings.WPO_NORM_TRAJECTORY_MAX_DAYS,
        "assignment_weeks": settings.WPO_NORM_ASSIGNMENT_WEEKS,
    }


class Report:
    """The figures for `user` (the project manager sees the whole organisation) over `period`,
    for one business unit or all. Each property runs its queries once."""

    def __init__(self, user, period: Period, unit=None):
        self.user, self.period, self.unit = user, period, unit
        self.norms = norm_settings()
        in_unit = self.in_unit
        self._departments = Department.objects.visible_to(user).filter(in_unit(""))
        self._trajectories = Trajectory.objects.visible_to(user).filter(in_unit("department__"))
        self._closed = self._trajectories.filter(closed_on__range=period.days).annotate(
            days=trajectory_days()
        )
        self._passed = (
            AssignmentProgress.objects.visible_to(user)
            .filter(
                in_unit("trajectory_skill__trajectory__department__"),
                status=ProgressStatus.PASSED,
                passed_on__range=period.days,
            )
            .annotate(days=assignment_days())
        )
        self._assessed = TrajectorySkill.objects.visible_to(user).filter(
            in_unit("trajectory__department__"), assessed_on__range=period.days
        )
        self._escalations = (
            Escalation.objects.visible_to(user).open().filter(in_unit("department__"))
        )

    def in_unit(self, path: str) -> Q:
        """Rows whose department (at `path`) belongs to the chosen business unit."""
        return Q(**{f"{path}business_unit": self.unit}) if self.unit else Q()

    def during(self):
        """Trajectories that ran on at least one day of the period."""
        start, end = self.period.days
        return self._trajectories.filter(agreed_start__lte=end).exclude(
            Q(closed_on__lt=start) | Q(stopped_on__lt=start)
        )

    @cached_property
    def departments(self) -> list[Department]:
        """Every department with its figures now, in the period and of durations. One grouped
        query per kind of row, not a subquery per department: with a hundred departments,
        PostgreSQL would run each of those a hundred times."""
        days, period = self.norms, self.period.days
        closed, passed = self._closed, self._passed
        trajectories = self._trajectories
        found = [
            per_department(self._escalations, "department", open_escalations=Count("pk")),
            per_department(self.during(), "department", during=Count("pk")),
            per_department(
                trajectories.filter(agreed_start__range=period), "department", started=Count("pk")
            ),
            per_department(
                trajectories.filter(stopped_on__range=period), "department", stopped=Count("pk")
            ),
            per_department(
                closed,
                "department",
                closed=Count("pk"),
                trajectory_days=Avg("days"),
                shorter=Count("pk", filter=Q(days__lt=days["trajectory_min_days"])),
                longer=Count("pk", filter=Q(days__gt=days["trajectory_max_days"])),
            ),
            per_department(
                passed,
                "trajectory_skill__trajectory__department",
                passed=Count("pk"),
                assignment_days=Avg("days"),
                over_norm=Count("pk", filter=Q(days__gt=days["assignment_weeks"] * 7)),
            ),
            per_department(self._assessed, "trajectory__department", assessed=Count("pk")),
        ]
        found += [figures for _receiver, figures in counting.send(sender=Report, report=self)]
        departments = list(department_figures(self._departments))
        for department in departments:
            vars(department).update(NOTHING_COUNTED)
            for figures in found:
                vars(department).update(figures.get(department.pk, {}))
        return departments

    @cached_property
    def totals(self) -> dict:
        """The departments' counts added up, and the averages over all rows (never an average
        of averages)."""
        totals = {name: sum(getattr(row, name) for row in self.departments) for name in COUNTS}
        totals["trajectory_days"] = self._closed.aggregate(average=Avg("days"))["average"]
        totals["assignment_days"] = self._passed.aggregate(average=Avg("days"))["average"]
        return totals

    @cached_property
    def quarters(self) -> list[dict]:
        """Started, closed and stopped per quarter of the period: a trajectory started in one
        quarter and closed in another counts in both."""
        counts = {
            quarter: dict.fromkeys(("started", "closed", "stopped"), 0)
            for quarter in self.period.quarters()
        }
        for name, field in (
            ("started", "agreed_start"),
            ("closed", "closed_on"),
            ("stopped", "stopped_on"),
        ):
            rows = (
                self._trajectories.filter(**{f"{field}__range": self.period.days})
                .annotate(quarter=TruncQuarter(field))
                .order_by()
                .values("quarter")
                .annotate(n=Count("pk"))
            )
            for row in rows:
                counts[row["quarter"]][name] = row["n"]
        return [{"quarter": quarter, **figures} for quarter, figures in counts.items()]

    @cached_property
    def skills(self) -> list[Skill]:
        """Per skill: assignments passed at each level (`passed_A`...), and skills assessed at
        each level reached (`assessed_A`...)."""
        passed = {
            f"passed_{level}": count_per(
                self._passed.filter(assignment__level=level), "assignment__skill"
            )
            for level in LEVELS
        }
        assessed = {
            f"assessed_{level}": count_per(self._assessed.filter(achieved_level=level), "skill")
            for level in LEVELS
        }
        return list(Skill.objects.annotate(**passed, **assessed))

    def participants(self):
        """Who took part in the period, with phase and skills: only on request, for the
        organisation's own use."""
        return (
            self.during()
            .select_related("participant", "department")
            .prefetch_related(
                Prefetch("skills", queryset=TrajectorySkill.objects.select_related("skill"))
            )
            .order_by("department__name", "participant__last_name", "participant__first_name")
        )
