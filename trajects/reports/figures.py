"""The project manager's figures: the organisation per business unit and department over a
period. Everything is counted and summed in the database, in a fixed number of queries however
many participants there are; the project manager's add up the months kept per department (those
that are over, and the month under way up to yesterday: `trajects.reports.months`), and count
the rest of the period from the rows. The
page, the exports and the PDF report read the same `Report`.

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
from django.db import models
from django.db.models import (
    Count,
    Prefetch,
    Q,
    Sum,
)
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assignments.models import Level, Skill
from trajects.models import (
    AssignmentProgress,
    Escalation,
    Interest,
    MonthFigures,
    MonthSkillFigures,
    Phase,
    ProgressStatus,
    Trajectory,
    TrajectorySkill,
)
from trajects.reports import months
from trajects.reports.dashboards import FIGURES
from trajects.reports.durations import (
    assignment_days,
    closed_figures,
    passed_figures,
    trajectory_days,
)
from wpo import access
from wpo.models import BusinessUnit, Department

LEVELS = [level.value for level in Level]
# the department figures that add up to a total
COUNTS = [
    *FIGURES,
    *("open_escalations", "during", "started", "closed", "stopped", "certificates"),
    *("passed", "assessed", "shorter", "longer", "over_norm"),
]
AVERAGES = (("trajectory_days", "closed"), ("assignment_days", "passed"))
# a department with no rows of a kind: nothing counted, no average
NOTHING_COUNTED = {
    **{name: 0 for name in COUNTS},
    "trajectory_days": None,
    "assignment_days": None,
    "trajectory_days_sum": None,
    "assignment_days_sum": None,
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


def per_department(queryset, path: str, **aggregates) -> dict[int, dict]:
    """`aggregates` of `queryset` for each department (or business unit) at `path`, in one
    grouped query."""
    rows = queryset.order_by().values(path).annotate(**aggregates)
    return {row.pop(path): row for row in rows}


def norm_settings() -> dict:
    return {
        "trajectory_min_days": settings.WPO_NORM_TRAJECTORY_MIN_DAYS,
        "trajectory_max_days": settings.WPO_NORM_TRAJECTORY_MAX_DAYS,
        "assignment_weeks": settings.WPO_NORM_ASSIGNMENT_WEEKS,
    }


class Per(models.TextChoices):
    """What a row of the report is: a business unit (the overview) or a department (a unit's
    detail, the files and the PDF report)."""

    UNIT = "unit", gettext_lazy("business unit")
    DEPARTMENT = "department", gettext_lazy("department")


class Report:
    """The figures for `user` (the project manager sees the whole organisation, a business-unit
    manager their unit's, counted without being shown: `access.counted_q`) over `period`,
    for one business unit or all, a row `per` business unit or department. `departments` limits
    the rows to those departments (a page of a unit's); the totals stay the whole scope's. Each
    property runs its queries once, and their number never depends on the number of rows."""

    def __init__(self, user, period: Period, unit=None, *, per=Per.DEPARTMENT, departments=None):
        self.user, self.period, self.unit, self.per = user, period, unit, per
        self.only = None if departments is None else [department.pk for department in departments]
        self.norms = norm_settings()
        # The project manager's figures add up the months kept (`months`) and count only the
        # rest of the period from the rows. A business-unit manager's are counted from the
        # rows: what they count is not whole departments (`access.counted_q`), and is smaller.
        self.today = timezone.localdate()
        if access.scope_of(user).is_project_manager:
            self._months, self.rest = months.split(*period.days, self.today)
        else:
            self._months, self.rest = [], [period.days]
        in_unit, in_rest = self.in_unit, self.in_rest
        self._departments = Department.objects.visible_to(user).filter(in_unit(""))
        self._trajectories = Trajectory.objects.counted_for(user).filter(in_unit("department__"))
        self._closed = self._trajectories.filter(in_rest("closed_on")).annotate(
            days=trajectory_days()
        )
        self._passed = (
            AssignmentProgress.objects.counted_for(user)
            .filter(
                in_unit("trajectory_skill__trajectory__department__"),
                in_rest("passed_on"),
                status=ProgressStatus.PASSED,
            )
            .annotate(days=assignment_days())
        )
        self._assessed = TrajectorySkill.objects.counted_for(user).filter(
            in_unit("trajectory__department__"), in_rest("assessed_on")
        )
        self._escalations = (
            Escalation.objects.counted_for(user).open().filter(in_unit("department__"))
        )

    def in_unit(self, path: str) -> Q:
        """Rows whose department (at `path`) belongs to the chosen business unit."""
        return Q(**{f"{path}business_unit": self.unit}) if self.unit else Q()

    def in_rest(self, field: str) -> Q:
        """Rows whose date at `field` lies in the part of the period not kept."""
        found = Q(pk__in=[])
        for days in self.rest:
            found |= Q(**{f"{field}__range": days})
        return found

    @cached_property
    def months(self) -> list[datetime.date]:
        """The period's months whose figures are kept (counted now where they were not)."""
        return months.kept(self._months, self.norms, self.today) if self._months else []

    def kept(self, model, unit="department__business_unit"):
        """The kept figures (`model`) of the period's months, in the chosen unit (at `unit`)."""
        kept = model.objects.filter(month__in=self.months)
        return kept.filter(**{unit: self.unit}) if self.unit else kept

    def per_row(self, queryset, path: str, **aggregates) -> dict[int, dict]:
        """`aggregates` of `queryset` per row of the report, the department found at `path`:
        one grouped query, not a subquery per row (with a thousand departments, the database
        would run each of those a thousand times)."""
        if self.only is not None:
            queryset = queryset.filter(**{f"{path}__in": self.only})
        if self.per == Per.UNIT:
            path = f"{path}__business_unit"
        return per_department(queryset, path, **aggregates)

    def ran(self) -> Q:
        """Trajectories that ran on at least one day of the period."""
        start, end = self.period.days
        return Q(agreed_start__lte=end) & ~(Q(closed_on__lt=start) | Q(stopped_on__lt=start))

    def during(self):
        return self._trajectories.filter(self.ran())

    def _rows(self):
        if self.per == Per.UNIT:
            return BusinessUnit.objects.filter(departments__in=self._departments).distinct()
        departments = self._departments.select_related("business_unit")
        return departments if self.only is None else departments.filter(pk__in=self.only)

    @cached_property
    def rows(self) -> list:
        """Every business unit or department with its figures now, in the period and of
        durations: one grouped query per kind of row, the kept months' added to the rest's, and
        the averages worked out from the sums (never an average of averages)."""
        trajectories, per_row = self._trajectories, self.per_row
        found = [
            per_row(
                Interest.objects.waiting().filter(department__in=self._departments),
                "department",
                waiting=Count("pk"),
            ),
            per_row(self._escalations, "department", open_escalations=Count("pk")),
        ]
        found += [figures for _receiver, figures in counting.send(sender=Report, report=self)]
        in_rest, open_ = self.in_rest, Q(closed_on__isnull=True, stopped_on__isnull=True)
        added = [
            per_row(
                self.kept(MonthFigures), "department", **{name: Sum(name) for name in months.KEPT}
            ),
            # what is counted of the trajectories themselves, in one pass over them
            per_row(
                trajectories,
                "department",
                active=Count("pk", filter=open_),
                **{
                    f"phase_{phase.value}": Count("pk", filter=open_ & Q(phase=phase))
                    for phase in Phase
                },
                during=Count("pk", filter=self.ran()),
                started=Count("pk", filter=in_rest("agreed_start")),
                stopped=Count("pk", filter=in_rest("stopped_on")),
            ),
            per_row(
                self._closed,
                "department",
                **closed_figures(self.norms),
            ),
            per_row(
                self._passed,
                "trajectory_skill__trajectory__department",
                **passed_figures(self.norms),
            ),
            per_row(self._assessed, "trajectory__department", assessed=Count("pk")),
        ]
        rows = list(self._rows())
        for row in rows:
            vars(row).update(NOTHING_COUNTED)
            for figures in found:
                vars(row).update(figures.get(row.pk, {}))
            for figures in added:
                for name, value in figures.get(row.pk, {}).items():
                    vars(row)[name] = (vars(row)[name] or 0) + (value or 0)
            for average, count in AVERAGES:
                total, counted = vars(row)[f"{average}_sum"], vars(row)[count]
                vars(row)[average] = total / counted if counted else None
        return rows

    @property
    def departments(self) -> list[Department]:
        """The rows, when they are departments."""
        return self.rows

    @cached_property
    def totals(self) -> dict:
        """The rows' counts added up, and the averages over all of the scope's trajectories and
        assignments (never an average of averages). For a page of departments, the whole
        unit's."""
        if self.only is not None:
            return Report(self.user, self.period, self.unit, per=Per.UNIT).totals
        totals = {name: sum(getattr(row, name) for row in self.rows) for name in COUNTS}
        for average, count in AVERAGES:
            days = sum(getattr(row, f"{average}_sum") or 0 for row in self.rows)
            totals[average] = days / totals[count] if totals[count] else None
        return totals

    @cached_property
    def quarters(self) -> list[dict]:
        """Started, closed and stopped per quarter of the period: a trajectory started in one
        quarter and closed in another counts in both. The kept months added up per quarter,
        and one query of counts with a range each for the rest, not a date function called
        on every row."""
        kinds = (("started", "agreed_start"), ("closed", "closed_on"), ("stopped", "stopped_on"))
        quarters = self.period.quarters()
        in_rest = self.in_rest
        counts = self._trajectories.filter(
            in_rest("agreed_start") | in_rest("closed_on") | in_rest("stopped_on")
        ).aggregate(
            **{
                f"{name}_{index}": Count(
                    "pk",
                    filter=Q(**{f"{field}__range": self._quarter_days(first)}) & in_rest(field),
                )
                for index, first in enumerate(quarters)
                for name, field in kinds
            }
        )
        kept = (
            self.kept(MonthFigures)
            .order_by()
            .values("month")
            .annotate(**{name: Sum(name) for name, _field in kinds})
        )
        for month in kept:
            index = quarters.index(quarter_of(month["month"]))
            for name, _field in kinds:
                counts[f"{name}_{index}"] += month[name]
        return [
            {"quarter": first, **{name: counts[f"{name}_{index}"] for name, _field in kinds}}
            for index, first in enumerate(quarters)
        ]

    def _quarter_days(self, first: datetime.date) -> tuple[datetime.date, datetime.date]:
        """The days of the quarter beginning on `first` that lie in the period."""
        last = add_quarter(first) - datetime.timedelta(days=1)
        return (max(first, self.period.start), min(last, self.period.end))

    @cached_property
    def skills(self) -> list[Skill]:
        """Per skill: assignments passed at each level (`passed_A`...), and skills assessed at
        each level reached (`assessed_A`...); a grouped query each, and one of the kept
        months."""
        found = [
            per_department(
                self._passed,
                "assignment__skill",
                **{
                    f"passed_{level}": Count("pk", filter=Q(assignment__level=level))
                    for level in LEVELS
                },
            ),
            per_department(
                self._assessed,
                "skill",
                **{
                    f"assessed_{level}": Count("pk", filter=Q(achieved_level=level))
                    for level in LEVELS
                },
            ),
        ]
        kept = {
            (row["skill"], row["level"]): row
            for row in self.kept(MonthSkillFigures, unit="business_unit")
            .order_by()
            .values("skill", "level")
            .annotate(passed=Sum("passed"), assessed=Sum("assessed"))
        }
        skills = list(Skill.objects.all())
        for skill in skills:
            for prefix in ("passed", "assessed"):
                vars(skill).update({f"{prefix}_{level}": 0 for level in LEVELS})
            for figures in found:
                vars(skill).update(figures.get(skill.pk, {}))
            for level in LEVELS:
                for prefix in ("passed", "assessed"):
                    vars(skill)[f"{prefix}_{level}"] += kept.get((skill.pk, level), {}).get(
                        prefix, 0
                    )
        return skills

    def participants(self):
        """Who took part in the period, with phase and skills: only on request, for the
        organisation's own use. Only those the user sees: a business-unit manager counts
        participants, and names none."""
        return (
            self.during()
            .visible_to(self.user)
            .select_related("participant", "department")
            .prefetch_related(
                Prefetch("skills", queryset=TrajectorySkill.objects.select_related("skill"))
            )
            .order_by("department__name", "participant__last_name", "participant__first_name")
        )
