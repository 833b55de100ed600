"""The organisation's figures of past days, kept: the project manager's report adds up a row
per department and month for the months that are over and for the month under way up to
yesterday, and counts only the rest of the period (today, a part month at either end) from the
trajectories and assignments themselves. Without them a year's report read every trajectory,
assignment and assessment of that year on every view, 5 times as long at 50,000 participants as
at 5,000; and without the month under way, its passed assignments alone (16,000 in a month at
50,000) took a third of the page.

A month is kept for every department at once, the first time a report needs it, in a few
grouped queries. It is let go again when a row with a date in it changes after all (an
assignment passed or a trajectory closed on an earlier day, a step taken back, a participant
erased, a correction in the admin), by the receivers below, and counted again when next needed.
Today is never kept: the day's work changes nothing kept and costs nothing here. The month under
way is counted again on the first view of each day, up to the day before.
The norms are kept with the figures that depend on them: other norms, other figures. What
slips past the receivers (a repair in the database, a bulk load, a row changed in the very
moment a report counts its month) `manage.py check_figures` finds, and `--fix` lets go.
"""

import datetime

from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import TruncMonth
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from trajects.models import (
    AssignmentProgress,
    MonthFigures,
    MonthSkillFigures,
    Pause,
    ProgressStatus,
    SummarizedMonth,
    Trajectory,
    TrajectorySkill,
)
from trajects.reports.durations import (
    assignment_days,
    closed_figures,
    passed_figures,
    trajectory_days,
)
from wpo.models import Department

Days = tuple[datetime.date, datetime.date]
# what a kept month holds per department (`MonthFigures`)
KEPT = [
    *("started", "stopped", "closed", "trajectory_days_sum", "shorter", "longer"),
    *("passed", "assignment_days_sum", "over_norm", "assessed"),
]


def first_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(first: datetime.date) -> datetime.date:
    return (first + datetime.timedelta(days=32)).replace(day=1)


def through(month: datetime.date, today: datetime.date) -> datetime.date:
    """The last day of `month` that is kept: its last, or yesterday in the month under way."""
    return min(next_month(month), today) - datetime.timedelta(days=1)


def split(start: datetime.date, end: datetime.date, today: datetime.date) -> tuple[list, list]:
    """The months from `start` to `end` (both included) that are kept by `today` (each whole,
    the month under way up to yesterday), and the days left to count from the rows: a part
    month at the start, and everything from the first day not kept to `end`."""
    months, first = [], first_of(start)
    if first < start:
        first = next_month(first)
    while first < today and through(first, today) <= end:
        months.append(first)
        first = next_month(first)
    if not months:
        return [], [(start, end)]
    rest = [(start, months[0] - datetime.timedelta(days=1))] if start < months[0] else []
    after = through(months[-1], today) + datetime.timedelta(days=1)
    if after <= end:
        rest.append((after, end))
    return months, rest


def kept(months: list[datetime.date], norms: dict, today: datetime.date) -> list[datetime.date]:
    """`months`, each kept under `norms` through the day it is kept by `today` (counted now
    where it was not: the month under way on the first view of the day)."""
    have = SummarizedMonth.objects.filter(month__in=months, **norms).values_list("month", "through")
    have = {month for month, last in have if last == through(month, today)}
    missing = [month for month in months if month not in have]
    if missing:
        _keep(missing, norms, today)
    return months


def _keep(months: list[datetime.date], norms: dict, today: datetime.date):
    """Count `months` for every department and keep them."""
    figures, skills = _count(months, norms, through(months[-1], today))
    with transaction.atomic():
        # a report counting the same months meanwhile: its rows are replaced by these
        SummarizedMonth.objects.filter(month__in=months).delete()
        MonthFigures.objects.filter(month__in=months).delete()
        MonthSkillFigures.objects.filter(month__in=months).delete()
        MonthFigures.objects.bulk_create(
            MonthFigures(month=month, department_id=department, **counted)
            for (month, department), counted in figures.items()
        )
        MonthSkillFigures.objects.bulk_create(
            MonthSkillFigures(
                month=month, business_unit_id=unit, skill_id=skill, level=level, **counted
            )
            for (month, unit, skill, level), counted in skills.items()
        )
        SummarizedMonth.objects.bulk_create(
            SummarizedMonth(month=month, through=through(month, today), **norms) for month in months
        )


def _count(months: list[datetime.date], norms: dict, until: datetime.date) -> tuple[dict, dict]:
    """The figures of `months` up to `until` by (month, department) and by (month, business
    unit, skill, level): one grouped query per kind of figure over the span the months lie in."""
    span = (months[0], until)
    wanted = set(months)
    figures: dict[tuple, dict] = {}
    for rows in _department_rows(span, norms):
        for row in rows:
            if row["month"] in wanted:
                key = (row.pop("month"), row.pop("where_pk"))
                figures.setdefault(key, {}).update(row)
    skills: dict[tuple, dict] = {}
    for rows, skill, level in _skill_rows(span):
        for row in rows:
            if row["month"] in wanted and row[level]:
                key = (row.pop("month"), row.pop("where_pk"), row.pop(skill), row.pop(level))
                skills.setdefault(key, {}).update(row)
    return figures, skills


def drift(norms: dict) -> list[datetime.date]:
    """The kept months whose figures are not what counting them again, through the same day,
    gives: a change made past the receivers below (a repair in the database, a bulk load)."""
    stored = dict(SummarizedMonth.objects.filter(**norms).values_list("month", "through"))
    latest = max(stored.values(), default=None)
    by_until: dict[datetime.date, list] = {}
    for month, last in sorted(stored.items()):
        # whole months in one count (each month's rows end with it); a part month up to the
        # day it was kept through
        whole = last == next_month(month) - datetime.timedelta(days=1)
        by_until.setdefault(latest if whole else last, []).append(month)
    return sorted(
        month for until, months in by_until.items() for month in _differing(months, norms, until)
    )


def _differing(months: list[datetime.date], norms: dict, until: datetime.date) -> set:
    figures, skills = _count(months, norms, until)
    stored_figures = {
        (row.pop("month"), row.pop("department")): row
        for row in MonthFigures.objects.filter(month__in=months).values(
            "month", "department", *KEPT
        )
    }
    stored_skills = {
        (row.pop("month"), row.pop("business_unit"), row.pop("skill"), row.pop("level")): row
        for row in MonthSkillFigures.objects.filter(month__in=months).values(
            "month", "business_unit", "skill", "level", "passed", "assessed"
        )
    }
    differ = {
        key[0]
        for counted, stored, names in (
            (figures, stored_figures, KEPT),
            (skills, stored_skills, ("passed", "assessed")),
        )
        for key in counted.keys() | stored.keys()
        if _filled(counted.get(key), names) != _filled(stored.get(key), names)
    }
    return differ


def _filled(row, names) -> dict:
    return {name: (row or {}).get(name) or 0 for name in names}


def _grouped(queryset, field: str, where: str, *by, **aggregates):
    """`aggregates` of `queryset` per month of `field` and department or business unit at
    `where` (and the fields `by`)."""
    return (
        queryset.order_by()
        .values(*by, month=TruncMonth(field), where_pk=F(where))
        .annotate(**aggregates)
    )


def _department_rows(span: Days, norms: dict):
    trajectories = Trajectory.objects.all()
    passed = AssignmentProgress.objects.filter(
        status=ProgressStatus.PASSED, passed_on__range=span
    ).annotate(days=assignment_days())
    closed = trajectories.filter(closed_on__range=span).annotate(days=trajectory_days())
    yield _grouped(
        trajectories.filter(agreed_start__range=span),
        "agreed_start",
        "department",
        started=Count("pk"),
    )
    yield _grouped(
        trajectories.filter(stopped_on__range=span), "stopped_on", "department", stopped=Count("pk")
    )
    yield _grouped(
        closed,
        "closed_on",
        "department",
        **closed_figures(norms),
    )
    yield _grouped(
        passed,
        "passed_on",
        "trajectory_skill__trajectory__department",
        **passed_figures(norms),
    )
    yield _grouped(
        TrajectorySkill.objects.filter(assessed_on__range=span),
        "assessed_on",
        "trajectory__department",
        assessed=Count("pk"),
    )


def _skill_rows(span: Days):
    """Per month, business unit, skill and level: (rows, the skill's key, the level's key)."""
    passed = AssignmentProgress.objects.filter(status=ProgressStatus.PASSED, passed_on__range=span)
    skill, level = "assignment__skill", "assignment__level"
    unit = "trajectory_skill__trajectory__department__business_unit"
    yield _grouped(passed, "passed_on", unit, skill, level, passed=Count("pk")), skill, level
    assessed = TrajectorySkill.objects.filter(assessed_on__range=span)
    by, unit = ("skill", "achieved_level"), "trajectory__department__business_unit"
    yield _grouped(assessed, "assessed_on", unit, *by, assessed=Count("pk")), *by


# ---- letting a month go ---------------------------------------------------------------------


def forget(days):
    """Let go of the kept months these days lie in: their rows changed. Today is not kept."""
    today = timezone.localdate()
    months = {first_of(day) for day in days if day and day < today}
    if months:
        SummarizedMonth.objects.filter(month__in=months).delete()


def forget_all():
    SummarizedMonth.objects.all().delete()


@receiver([post_save, post_delete], sender=Trajectory)
def trajectory_changed(sender, instance, signal, **kwargs):
    before = instance.as_read
    if before and before["department_id"] != instance.department_id:
        forget_all()  # moved: the months it counted in counted it for the other department
    forget(instance.changed_days(deleted=signal is post_delete))


@receiver([post_save, post_delete], sender=AssignmentProgress)
@receiver([post_save, post_delete], sender=TrajectorySkill)
def part_changed(sender, instance, signal, **kwargs):
    forget(instance.changed_days(deleted=signal is post_delete))


@receiver(post_save, sender=Department)
def department_changed(sender, instance, **kwargs):
    forget_all()  # it may have moved to another business unit: rare, and the admin's


@receiver([post_save, post_delete], sender=Pause)
def pause_changed(sender, instance, **kwargs):
    """A pause counts in the length of a closed trajectory, in the month it closed."""
    forget(
        Trajectory.objects.filter(pk=instance.trajectory_id, closed_on__isnull=False).values_list(
            "closed_on", flat=True
        )
    )
