"""The project manager's pages: the organisation in numbers over a period, its tables as CSV
or XLSX, and a PDF report to hand to a client. The figures come from `trajects.reports`; this
module chooses the period, lays the figures out as tables and charts, and answers."""

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from assignments.models import Level
from trajects import exports
from trajects.charts import Chart, bar_chart
from trajects.exports import Table
from trajects.forms import date_field
from trajects.models import Phase
from trajects.reports import LEVELS, Period, Report, add_quarter
from trajects.views import INVALID, wants_part
from wpo import access, audit
from wpo.models import AuditAction, BusinessUnit, Department, Role
from wpo.pdf import render_pdf

PAGE = "trajects/organisation.html"
CUSTOM = "custom"
LONGEST_PERIOD_DAYS = 10 * 366


def quarter_name(first: datetime.date) -> str:
    return _("Quarter %(number)s, %(year)s") % {
        "number": (first.month - 1) // 3 + 1,
        "year": first.year,
    }


def period_choices(today: datetime.date) -> list[tuple[str, str]]:
    """This year and last, their quarters up to now (newest first), or dates of one's own."""
    this_year, last_year = today.year, today.year - 1
    quarters = []
    first = datetime.date(last_year, 1, 1)
    while first <= today:
        quarters.insert(0, (f"{first.year}-Q{(first.month - 1) // 3 + 1}", quarter_name(first)))
        first = add_quarter(first)
    return [
        (str(this_year), _("This year (%(year)s)") % {"year": this_year}),
        (str(last_year), _("Last year (%(year)s)") % {"year": last_year}),
        *quarters,
        (CUSTOM, _("From and until (the dates)")),
    ]


def parse_period(value: str) -> Period:
    """A choice of `period_choices`: "2026" or "2026-Q1"."""
    year, _sep, quarter = value.partition("-Q")
    if not quarter:
        return Period(datetime.date(int(year), 1, 1), datetime.date(int(year), 12, 31), year)
    first = datetime.date(int(year), 3 * int(quarter) - 2, 1)
    return Period(first, add_quarter(first) - datetime.timedelta(days=1), quarter_name(first))


class ReportForm(forms.Form):
    """The period and business unit, kept in the URL's query string. Every field may stay empty:
    the page then shows this year for the whole organisation."""

    period = forms.ChoiceField(label=gettext_lazy("Period"), required=False)
    start = date_field(gettext_lazy("From"), required=False)
    end = date_field(gettext_lazy("Until"), required=False)
    unit = forms.ModelChoiceField(
        BusinessUnit.objects.none(),
        label=gettext_lazy("Business unit"),
        required=False,
        empty_label=gettext_lazy("All business units"),
    )

    def __init__(self, *args, user, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["period"].choices = period_choices(today)
        self.fields["unit"].queryset = BusinessUnit.objects.filter(
            departments__in=Department.objects.visible_to(user)
        ).distinct()

    def clean(self):
        data = super().clean()
        chosen = data.get("period") or str(self.today.year)
        if chosen != CUSTOM:
            data["report_period"] = parse_period(chosen)
            return data
        if "start" in self.errors or "end" in self.errors:
            return data
        end = data.get("end") or self.today
        start = data.get("start") or end.replace(month=1, day=1)
        if start > end:
            self.add_error("start", _("The from date must be on or before the until date."))
        elif (end - start).days > LONGEST_PERIOD_DAYS:
            self.add_error("start", _("Choose a period of at most ten years."))
        else:
            label = _("%(start)s to %(end)s") % {
                "start": formats.date_format(start),
                "end": formats.date_format(end),
            }
            data["report_period"] = Period(start, end, label)
        return data

    def query(self) -> list[tuple[str, str]]:
        """The filter as typed, for the download links and the PDF form."""
        return [(name, self.data[name]) for name in self.fields if self.data.get(name)]


class PdfForm(forms.Form):
    names = forms.BooleanField(
        label=gettext_lazy("Include participant names (for use within the organisation)"),
        required=False,
    )


@dataclass
class Section:
    """A part of the page and of the report: a heading, what it counts, charts and a table."""

    title: str
    note: str
    table: Table
    charts: list[Chart] = field(default_factory=list)


def _report(request):
    """The report the query string asks for, or the form with its messages."""
    form = ReportForm(request.GET, user=request.user, today=timezone.localdate())
    if not form.is_valid():
        return form, None
    period = form.cleaned_data["report_period"]
    return form, Report(request.user, period, form.cleaned_data["unit"])


def _page(request, form, report, status=200):
    context = {"form": form, "report": report, "query": urlencode(form.query())}
    if report:
        context.update(figures=key_figures(report), sections=sections(report))
        context["pdf_form"] = PdfForm()
    template = f"{PAGE}#report" if wants_part(request) else PAGE
    return render(request, template, context, status=status)


@require_GET
@access.role_required(Role.PROJECT_MANAGER)
@vary_on_headers("HX-Request")
def organisation(request):
    form, report = _report(request)
    return _page(request, form, report, status=200 if report else INVALID)


@never_cache
@require_GET
@access.role_required(Role.PROJECT_MANAGER)
def organisation_export(request):
    """The page's tables: XLSX a sheet each (the default), CSV the one named by `table`."""
    fmt = request.GET.get("format", exports.XLSX)
    if fmt not in exports.FORMATS:
        raise Http404
    form, report = _report(request)
    if report is None:
        return _page(request, form, report, status=INVALID)
    tables = [section.table for section in sections(report)]
    if fmt == exports.CSV:
        wanted = request.GET.get("table", tables[0].name)
        tables = [table for table in tables if table.name == wanted]
        if not tables:
            raise Http404
    audit.record(AuditAction.DOWNLOAD, user=request.user, obj=report.unit)
    name = _("wpo-figures") if fmt == exports.XLSX else f"{_('wpo-figures')}-{tables[0].name}"
    return exports.table_response(tables, fmt, _filename(name, report))


@never_cache
@require_GET
@access.role_required(Role.PROJECT_MANAGER)
def organisation_pdf(request):
    form, report = _report(request)
    if report is None:
        return _page(request, form, report, status=INVALID)
    pdf_form = PdfForm(request.GET)
    with_names = pdf_form.is_valid() and pdf_form.cleaned_data["names"]
    context = {
        "report": report,
        "figures": key_figures(report),
        "sections": sections(report),
        "participants": participants_table(report) if with_names else None,
    }
    try:
        pdf = render_pdf("trajects/report_pdf.html", context, request)
    except OSError:  # WeasyPrint without its system libraries
        messages.error(request, _("A PDF cannot be made on this server; print the page."))
        return redirect(f"{reverse('trajects:organisation')}?{urlencode(form.query())}")
    # with names, personal data leaves the app: an export, like the participant's own data
    action = AuditAction.EXPORT if with_names else AuditAction.DOWNLOAD
    audit.record(action, user=request.user, obj=report.unit)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = _filename(_("wpo-report"), report)
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response


def _filename(name: str, report: Report) -> str:
    parts = [name, report.period.label, report.unit.name if report.unit else ""]
    return "-".join(slugify(part) for part in parts if part)


# The figures laid out: the same for the page, the files and the PDF


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


def sections(report: Report) -> list[Section]:
    return [
        _now(report),
        _in_period(report),
        _throughput(report),
        _per_skill(report, "passed", _("Assignments passed per skill and level")),
        _per_skill(report, "assessed", _("Skills assessed, by level reached")),
        _durations(report),
    ]


def _department_table(report, name, title, columns, cells) -> Table:
    """A row per department: its business unit, its name and `cells(department)`; the totals
    row has the same cells of `report.totals`."""
    return Table(
        title=title,
        columns=[_("Business unit"), _("Department"), *columns],
        rows=[[row.business_unit.name, row.name, *cells(row)] for row in report.departments],
        footer=[_("Total"), "", *cells(SimpleNamespace(**report.totals))],
        name=name,
        header_column=1,
    )


def _counts(*figures):
    return lambda row: [getattr(row, figure) for figure in figures]


def _now(report) -> Section:
    phases = [f"phase_{value}" for value in Phase.values]
    table = _department_table(
        report,
        "now",
        _("Now, per business unit and department"),
        [*Phase.labels, _("Active"), _("Waiting to start"), _("Open escalations")],
        _counts(*phases, "active", "waiting", "open_escalations"),
    )
    chart = bar_chart(
        "chart-phases",
        _("Active trajectories by phase, per department"),
        [row.name for row in report.departments],
        [
            (label, [getattr(row, f"phase_{value}") for row in report.departments])
            for value, label in Phase.choices
        ],
    )
    note = _("Open trajectories today, whatever the period.")
    return Section(table.title, note, table, [chart])


def _in_period(report) -> Section:
    table = _department_table(
        report,
        "period",
        _("In the period, per business unit and department"),
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


def _durations(report) -> Section:
    shortest, longest = report.norms["trajectory_min_days"], report.norms["trajectory_max_days"]
    weeks = report.norms["assignment_weeks"]
    table = _department_table(
        report,
        "durations",
        _("Duration against the norm"),
        [
            _("Trajectories closed"),
            _("Average days"),
            _("Shorter than %(days)s days") % {"days": shortest},
            _("Longer than %(days)s days") % {"days": longest},
            _("Assignments passed"),
            _("Average weeks"),
            _("Longer than %(weeks)s weeks") % {"weeks": weeks},
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
    departments = report.departments
    names = [row.name for row in departments]
    charts = [
        bar_chart(
            "chart-trajectory-days",
            _("Average length of a closed trajectory in days, per department"),
            names,
            [(_("Average days"), [_days(row.trajectory_days) for row in departments])],
            marks=[
                (_("at least %(days)s") % {"days": shortest}, shortest),
                (_("at most %(days)s") % {"days": longest}, longest),
            ],
        ),
        bar_chart(
            "chart-assignment-weeks",
            _("Average length of a passed assignment in weeks, per department"),
            names,
            [(_("Average weeks"), [_weeks(row.assignment_days) for row in departments])],
            marks=[(_("at most %(weeks)s") % {"weeks": weeks}, weeks)],
        ),
    ]
    note = _(
        "Trajectories closed and assignments passed in the period, from start to end; days "
        "paused do not count. The method: a trajectory takes %(shortest)s to %(longest)s days, "
        "an assignment at most %(weeks)s weeks."
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
