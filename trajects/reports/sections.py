"""The project manager's figures laid out as sections: a heading, what it counts, a table and
charts; the same for the page, the files and the PDF report."""

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assignments.models import Level
from trajects.models import Phase
from trajects.reports.charts import Chart, bar_chart
from trajects.reports.exports import Table
from trajects.reports.figures import LEVELS, Per, Report, quarter_name


@dataclass
class Section:
    """A part of the page and of the report: a heading, what it counts, charts and a table."""

    title: str
    note: str
    table: Table
    charts: list[Chart] = field(default_factory=list)


def key_figures(report: Report) -> list[tuple[str, object]]:
    totals = report.totals
    return [
        (_("Active now"), totals["active"]),
        (_("Ran in the period"), totals["during"]),
        (_("Started in the period"), totals["started"]),
        (_("Closed in the period"), totals["closed"]),
        (_("Certificates issued"), totals["certificates"]),
        (_("Open escalations"), totals["open_escalations"]),
        (_("Average trajectory (days)"), _days(totals["trajectory_days"])),
        (_("Average assignment (weeks)"), _weeks(totals["assignment_days"])),
    ]


def _days(average: float | None) -> int | None:
    return None if average is None else round(average)


def _weeks(average_days: float | None) -> float | None:
    return None if average_days is None else round(average_days / 7, 1)


def sections(report: Report, link=None) -> list[Section]:
    """The report's parts; `link(unit)`, where given, is the address of a business unit's
    departments, for the overview's rows."""
    return [
        _now(report, link),
        _in_period(report, link),
        _throughput(report),
        _per_skill(report, "passed", _("Assignments passed per skill and level")),
        _per_skill(report, "assessed", _("Skills assessed, by level reached")),
        _durations(report, link),
    ]


def _rows_table(report, link, name, title, columns, cells) -> Table:
    """A row per business unit, or per department with its business unit, and
    `cells(row)`; the totals row has the same cells of `report.totals`."""
    totals = cells(SimpleNamespace(**report.totals))
    if report.per == Per.UNIT:
        return Table(
            title=title,
            columns=[_("Business unit"), *columns],
            rows=[[row.name, *cells(row)] for row in report.rows],
            footer=[_("Total"), *totals],
            name=name,
            links=[link(row) for row in report.rows] if link else None,
        )
    return Table(
        title=title,
        columns=[_("Business unit"), _("Department"), *columns],
        rows=[[row.business_unit.name, row.name, *cells(row)] for row in report.rows],
        footer=[_("Total"), "", *totals],
        name=name,
        header_column=1,
    )


def _per_row(report) -> str:
    return _("per business unit") if report.per == Per.UNIT else _("per department")


def _counts(*figures):
    return lambda row: [getattr(row, figure) for figure in figures]


def _now(report, link) -> Section:
    phases = [f"phase_{value}" for value in Phase.values]
    table = _rows_table(
        report,
        link,
        "now",
        _("Now, per business unit")
        if report.per == Per.UNIT
        else _("Now, per business unit and department"),
        [*Phase.labels, _("Active"), _("Waiting to start"), _("Open escalations")],
        _counts(*phases, "active", "waiting", "open_escalations"),
    )
    chart = bar_chart(
        "chart-phases",
        _("Active trajectories by phase, %(per)s") % {"per": _per_row(report)},
        [row.name for row in report.rows],
        [
            (label, [getattr(row, f"phase_{value}") for row in report.rows])
            for value, label in Phase.choices
        ],
    )
    note = _("Open trajectories today, whatever the period.")
    return Section(table.title, note, table, [chart])


def _in_period(report, link) -> Section:
    table = _rows_table(
        report,
        link,
        "period",
        _("In the period, per business unit")
        if report.per == Per.UNIT
        else _("In the period, per business unit and department"),
        [
            _("Ran in the period"),
            _("Started"),
            _("Closed"),
            _("Stopped early"),
            _("Certificates issued"),
            _("Assignments passed"),
            _("Skills assessed"),
        ],
        _counts("during", "started", "closed", "stopped", "certificates", "passed", "assessed"),
    )
    note = _("Started counts the agreed start; certificates count while valid.")
    return Section(table.title, note, table)


def _throughput(report) -> Section:
    quarters = report.quarters
    kinds = [("started", _("Started")), ("closed", _("Closed")), ("stopped", _("Stopped early"))]
    table = Table(
        title=_("Throughput per quarter"),
        columns=[_("Quarter"), *(label for _kind, label in kinds)],
        rows=[
            [quarter_name(row["quarter"]), *(row[kind] for kind, _label in kinds)]
            for row in quarters
        ],
        footer=[_("Total"), *(sum(row[kind] for row in quarters) for kind, _label in kinds)],
        name="throughput",
    )
    chart = bar_chart(
        "chart-throughput",
        table.title,
        [quarter_name(row["quarter"]) for row in quarters],
        [(label, [row[kind] for row in quarters]) for kind, label in kinds],
        stacked=False,
    )
    note = _("A trajectory started in one quarter and closed in another counts in both.")
    return Section(table.title, note, table, [chart])


def _per_skill(report, prefix: str, title: str) -> Section:
    levels = [f"{prefix}_{level}" for level in LEVELS]
    rows = [[skill.name, *(getattr(skill, name) for name in levels)] for skill in report.skills]
    for row in rows:
        row.append(sum(row[1:]))
    table = Table(
        title=title,
        columns=[_("Skill"), *Level.labels, _("Total")],
        rows=rows,
        footer=[_("Total"), *(sum(row[index] for row in rows) for index in range(1, 5))],
        name=prefix,
    )
    chart = bar_chart(
        f"chart-{prefix}",
        title,
        [skill.name for skill in report.skills],
        [
            (label, [getattr(skill, f"{prefix}_{level}") for skill in report.skills])
            for level, label in Level.choices
        ],
    )
    return Section(title, _("Counted on their day in the period."), table, [chart])


def _durations(report, link) -> Section:
    shortest, longest = report.norms["trajectory_min_days"], report.norms["trajectory_max_days"]
    weeks = report.norms["assignment_weeks"]
    table = _rows_table(
        report,
        link,
        "durations",
        _("Duration against the norm"),
        [
            _("Trajectories closed"),
            _("Average days"),
            _("Shorter than %(days)s days") % {"days": shortest},
            _("Longer than %(days)s days") % {"days": longest},
            _("Assignments passed"),
            _("Average weeks"),
            ngettext("Longer than %(weeks)s week", "Longer than %(weeks)s weeks", weeks)
            % {"weeks": weeks},
        ],
        lambda row: [
            row.closed,
            _days(row.trajectory_days),
            row.shorter,
            row.longer,
            row.passed,
            _weeks(row.assignment_days),
            row.over_norm,
        ],
    )
    rows, per = report.rows, _per_row(report)
    names = [row.name for row in rows]
    charts = [
        bar_chart(
            "chart-trajectory-days",
            _("Average length of a closed trajectory in days, %(per)s") % {"per": per},
            names,
            [(_("Average days"), [_days(row.trajectory_days) for row in rows])],
            marks=[
                (_("at least %(days)s") % {"days": shortest}, shortest),
                (_("at most %(days)s") % {"days": longest}, longest),
            ],
        ),
        bar_chart(
            "chart-assignment-weeks",
            _("Average length of a passed assignment in weeks, %(per)s") % {"per": per},
            names,
            [(_("Average weeks"), [_weeks(row.assignment_days) for row in rows])],
            marks=[(_("at most %(weeks)s") % {"weeks": weeks}, weeks)],
        ),
    ]
    note = ngettext(
        "Trajectories closed and assignments passed in the period, from start to end; days "
        "paused do not count. The method: a trajectory takes %(shortest)s to %(longest)s days, "
        "an assignment at most %(weeks)s week.",
        "Trajectories closed and assignments passed in the period, from start to end; days "
        "paused do not count. The method: a trajectory takes %(shortest)s to %(longest)s days, "
        "an assignment at most %(weeks)s weeks.",
        weeks,
    ) % {"shortest": shortest, "longest": longest, "weeks": weeks}
    return Section(table.title, note, table, charts)


def participants_table(report: Report) -> Table:
    rows = [
        [
            trajectory.participant.full_name,
            trajectory.department.name,
            trajectory.get_phase_display(),
            ", ".join(
                f"{chosen.skill.name} ({chosen.achieved_level or '—'})"
                for chosen in trajectory.skills.all()
            ),
        ]
        for trajectory in report.participants()
    ]
    return Table(
        title=_("Participants in the period"),
        columns=[_("Participant"), _("Department"), _("Phase"), _("Skills (level reached)")],
        rows=rows,
        name="participants",
    )
