"""The method's norms as signals for the coach (DOMAIN.md, "Norms a tracking system can check").

Each rule measures, in the database, by how many days a trajectory is past its norm; the
severity follows from that number and the red mark in settings, so the coach's page can filter
and sort on signals in SQL however many participants there are. Python only words the reason.

The deadlines themselves are defined once, on the models (`deadline_rules`: the date on the
trajectory each clock runs from, kept by the services, and the days it allows), which the
trainer's to-do list, the reminders and the pages read too; `norm_<key>` here is the same
rule's `days_late`, and tests/trajects/test_norms.py holds the two to the same number around
every mark. So each measure is a subtraction of two dates, and the SQL stays small.

The method's clock stands still during a pause: while paused, every rule measures up to the
first day of the pause; the days of earlier pauses have moved the stored dates on
(`trajects.deadlines`)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    Func,
    IntegerField,
    Max,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class Severity(models.IntegerChoices):
    GREEN = 0, _("on track")
    ORANGE = 1, _("needs attention")
    RED = 2, _("act now")

    @property
    def icon(self) -> str:
        return {0: "✓", 1: "⚠", 2: "✖"}[self.value]


class DaysBetween(Func):
    """Whole days from `start` to `end` (negative when `end` is earlier)."""

    arity = 2
    output_field = IntegerField()

    def __init__(self, end, start):
        super().__init__(end, start)

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="((%(expressions)s)::date)",
            arg_joiner=")::date - (",
            **extra,
        )

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


def duration(days: int) -> str:
    """'3 days', '2 weeks', '6 weeks and 1 day', '5 months': how long, as a person says it."""
    if days >= 16 * 7:
        months = days * 12 // 365
        return ngettext("%(n)d month", "%(n)d months", months) % {"n": months}
    weeks, rest = divmod(days, 7)
    if not weeks:
        return ngettext("%(n)d day", "%(n)d days", rest) % {"n": rest}
    text = ngettext("%(n)d week", "%(n)d weeks", weeks) % {"n": weeks}
    if rest:
        text = _("%(weeks)s and %(days)s") % {
            "weeks": text,
            "days": ngettext("%(n)d day", "%(n)d days", rest) % {"n": rest},
        }
    return text


@dataclass(frozen=True)
class Signal:
    rule: str
    severity: Severity
    reason: str


@dataclass(frozen=True)
class Rule:
    """One norm: `over` is the annotation with the days past the norm (None: not applicable);
    orange from one day over, red from more than `red_after` days over."""

    key: str
    label: str
    norm: int
    red_after: int
    wording: callable

    @property
    def over(self) -> str:
        return f"norm_{self.key}"

    @property
    def level(self) -> str:
        return f"norm_{self.key}_level"

    def severity_expression(self):
        return _level(self.over, 0, self.red_after)

    def signal(self, trajectory) -> Signal | None:
        over = getattr(trajectory, self.over)
        if over is None or over <= 0:
            return None
        # the marks of `severity_expression`, applied to the number the database worked out
        severity = Severity.RED if over > self.red_after else Severity.ORANGE
        return Signal(self.key, severity, self.wording(self.norm + over, trajectory))


def rules() -> list[Rule]:
    """Read at call time, so a test (or an organisation) can move a mark in settings."""
    from trajects.models import deadline_rules

    norm = {key: days for key, (_field, days, _phases) in deadline_rules().items()}
    norm_assignment, norm_conversation = norm["assignment"], norm["conversation"]
    return [
        Rule(
            "assignment",
            _("Assignment running too long"),
            norm_assignment,
            settings.WPO_RED_ASSIGNMENT_WEEKS * 7 - norm_assignment,
            lambda days, t: (
                _("assignment “%(title)s” running for %(time)s")
                % {"title": t.longest_running.assignment.title, "time": duration(days)}
            ),
        ),
        Rule(
            "look_back",
            _("Look-back task late"),
            0,
            settings.WPO_RED_LOOK_BACK_DAYS,
            lambda days, t: _("look-back task %(time)s late") % {"time": duration(days)},
        ),
        Rule(
            "follow_up",
            _("No follow-up after the independent week"),
            0,
            settings.WPO_RED_FOLLOW_UP_DAYS,
            lambda days, t: (
                _("independent week ended %(time)s ago, no follow-up conversation")
                % {"time": duration(days)}
            ),
        ),
        Rule(
            "past_end",
            _("Past the agreed end"),
            0,
            settings.WPO_RED_PAST_END_DAYS,
            lambda days, t: (
                _("trajectory %(time)s past the agreed end date") % {"time": duration(days)}
            ),
        ),
        Rule(
            "too_long",
            _("Longer than a year"),
            norm["too_long"],
            0,
            lambda days, t: (
                _("trajectory running for %(time)s, longer than the norm of a year")
                % {"time": duration(days)}
            ),
        ),
        # unusual, not wrong: orange only (it cannot be more days short than it has)
        Rule(
            "short",
            _("Agreed period unusually short"),
            0,
            settings.WPO_NORM_TRAJECTORY_MIN_DAYS,
            lambda days, t: (
                _("agreed period of %(time)s: shorter than 3 months is unusual")
                % {"time": duration(settings.WPO_NORM_TRAJECTORY_MIN_DAYS - days)}
            ),
        ),
        Rule(
            "conversation",
            _("No guidance conversation for a while"),
            norm_conversation,
            settings.WPO_RED_CONVERSATION_WEEKS * 7 - norm_conversation,
            lambda days, t: _("no guidance conversation for %(time)s") % {"time": duration(days)},
        ),
    ]


def rule_choices() -> list[tuple[str, str]]:
    return [(rule.key, rule.label) for rule in rules()]


def _when_open(expression, *also):
    return Case(
        When(Q(*also, closed_on__isnull=True, stopped_on__isnull=True), then=expression),
        output_field=IntegerField(),
    )


def _days_late(clock, field: str, days: int, phases):
    """Days from the deadline (`field` plus `days`) to the clock; None outside `phases`."""
    late = DaysBetween(clock, F(field)) - Value(days)
    if phases is None:
        return late
    return Case(When(phase__in=phases, then=late), output_field=IntegerField())


def annotate(queryset, today: datetime.date | None = None):
    """`queryset` of trajectories with, per rule, the days past its norm (`norm_<key>`; its
    severity `norm_<key>_level` can be filtered on), and the worst severity as `signal_level`.

    Each deadline rule compares the date its clock runs from, kept on the trajectory
    (`trajects.deadlines`), with the method's clock: today, or the first day of the current
    pause."""
    from trajects.models import deadline_rules

    # the clock of an open trajectory only: an ended one has no deadlines
    clock = Case(
        When(
            closed_on__isnull=True,
            stopped_on__isnull=True,
            then=Coalesce(F("paused_since"), Value(today or timezone.localdate())),
        ),
        output_field=DateField(),
    )
    measures = {f"norm_{key}": _days_late(clock, *rule) for key, rule in deadline_rules().items()}
    # a property of the agreed period, not a deadline
    measures["norm_short"] = _when_open(
        Value(settings.WPO_NORM_TRAJECTORY_MIN_DAYS)
        - DaysBetween(F("agreed_end"), F("agreed_start"))
    )
    levels = {rule.level: rule.severity_expression() for rule in rules()}
    return (
        queryset.annotate(**measures)
        .alias(**levels)
        .annotate(signal_level=Greatest(*(F(name) for name in levels), output_field=IntegerField()))
    )


def signals_of(trajectory) -> list[Signal]:
    """The signals of a trajectory from `annotate()`, worst first."""
    found = [signal for rule in rules() if (signal := rule.signal(trajectory))]
    return sorted(found, key=lambda signal: -signal.severity)


def _level(value, orange: int, red: int | None = None):
    """Red above `red` (when given), orange above `orange`, else green; in SQL."""
    whens = [When(**{f"{value}__gt": red}, then=Value(Severity.RED))] if red is not None else []
    return Case(
        *whens,
        When(**{f"{value}__gt": orange}, then=Value(Severity.ORANGE)),
        default=Value(Severity.GREEN),
        output_field=IntegerField(),
    )


def _attach(rows, wording):
    """Each row gets `signal` (or None) from its `level`, worded by `wording(row)`."""
    rows = list(rows)
    for row in rows:
        row.signal = Signal("", Severity(row.level), wording(row)) if row.level else None
    return rows


def trainer_load(trainers, departments):
    """Per trainer, their open trajectories in `departments`, the last held conversation with
    any of those participants, and a signal when they guide more than the norm at once."""
    in_departments = Q(trajectories_as_trainer__department__in=departments)
    is_open = Q(
        trajectories_as_trainer__closed_on__isnull=True,
        trajectories_as_trainer__stopped_on__isnull=True,
    )
    rows = trainers.annotate(
        active=Count("trajectories_as_trainer", filter=in_departments & is_open, distinct=True),
        last_contact=Max(
            "trajectories_as_trainer__conversations__held_at", filter=in_departments & is_open
        ),
    ).annotate(level=_level("active", settings.WPO_NORM_TRAINER_PARTICIPANTS))
    return _attach(
        rows,
        lambda row: (
            _("guides %(n)s participants at once (norm: %(norm)s)")
            % {"n": row.active, "norm": settings.WPO_NORM_TRAINER_PARTICIPANTS}
        ),
    )


def department_load(departments):
    """`departments` with an `active` count (see `dashboards.department_figures`), and a
    signal when more participants than the norm are busy at once."""
    rows = departments.annotate(level=_level("active", settings.WPO_NORM_DEPARTMENT_PARTICIPANTS))
    return _attach(
        rows,
        lambda row: (
            _("%(n)s participants at once (norm: %(norm)s)")
            % {"n": row.active, "norm": settings.WPO_NORM_DEPARTMENT_PARTICIPANTS}
        ),
    )


def waiting(interests, limit: int, today: datetime.date | None = None):
    """The `limit` registrations waiting longest to start, each with the days it waits and a
    signal once that is longer than the norm."""
    today = Value(today or timezone.localdate(), output_field=DateField())
    rows = (
        interests.annotate(waiting_days=DaysBetween(today, F("registered_on")))
        .annotate(
            level=_level(
                "waiting_days",
                settings.WPO_NORM_INTEREST_WAIT_WEEKS * 7,
                settings.WPO_RED_INTEREST_WAIT_WEEKS * 7,
            )
        )
        .order_by("-waiting_days", "pk")[:limit]
    )
    return _attach(
        rows, lambda row: _("waiting %(time)s to start") % {"time": duration(row.waiting_days)}
    )


def count_by_severity(trajectories) -> dict[str, int]:
    """How many of `trajectories` (`with_signals()`) are red, orange and green, by name."""
    counts = dict(trajectories.order_by().values_list("signal_level").annotate(n=Count("pk")))
    return {severity.name.lower(): counts.get(severity.value, 0) for severity in Severity}
