"""The project manager's pages, and a business-unit manager's for their unit (read only, without
names): the organisation in numbers over a period, its tables as CSV
or XLSX, and a PDF report to hand to a client. The figures come from `trajects.reports`; this
module takes the period chosen and answers.

The page shows a row per business unit; a unit's departments open on its own page
(`organisation/unit/<id>/`, a page of departments at a time), the same period kept. However
large the organisation, the page draws a bounded number of rows."""

from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from trajects import tasks
from trajects.forms import PdfForm, ReportForm
from trajects.forms.organisation import visible_units
from trajects.models import Escalation, ReportPdf
from trajects.reports import exports, pdf
from trajects.reports.figures import Per, Period, Report
from trajects.reports.sections import key_figures, sections
from trajects.services import reports
from wpo import access, audit
from wpo.http import INVALID, pdf_response, wants_part
from wpo.models import AuditAction, Department, Role

PAGE = "trajects/organisation.html"


def _report(request, unit=None, per=Per.DEPARTMENT):
    """The report the query string asks for (of `unit`, when the address names one), or the
    form with its messages."""
    data = request.GET.copy()
    if unit:
        data["unit"] = unit.pk
    form = ReportForm(data, user=request.user, today=timezone.localdate())
    if not form.is_valid():
        return form, None
    period = form.cleaned_data["report_period"]
    return form, Report(request.user, period, form.cleaned_data["unit"], per=per)


def _shown(request, form, report):
    """What the page shows of `report`: the business units, or a page of the unit's
    departments (with the unit's totals)."""
    if report.unit is None:
        return Report(report.user, report.period, per=Per.UNIT), None
    departments = Department.objects.visible_to(request.user).filter(business_unit=report.unit)
    page = Paginator(departments, settings.WPO_REPORT_DEPARTMENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    shown = Report(report.user, report.period, report.unit, departments=list(page.object_list))
    return shown, page


def _page(request, form, report, status=200):
    context = {"form": form, "report": report, "query": urlencode(form.query())}
    context["escalations_waiting"] = (
        Escalation.objects.visible_to(request.user).waiting_for_manager().count()
    )
    if report:
        report, page = _shown(request, form, report)
        period = urlencode(form.query(without=("unit", "page")))

        def unit_url(unit):
            return f"{reverse('trajects:organisation_unit', args=[unit.pk])}?{period}"

        context.update(
            report=report,
            page=page,
            all_units=f"{reverse('trajects:organisation')}?{period}",
            figures=key_figures(report),
            sections=sections(report, link=unit_url),
            pdf_form=PdfForm(user=request.user),
        )
    template = f"{PAGE}#report" if wants_part(request) else PAGE
    return render(request, template, context, status=status)


@require_GET
@access.role_required(Role.PROJECT_MANAGER, Role.UNIT_MANAGER)
@vary_on_headers("HX-Request")
def organisation(request):
    form, report = _report(request)
    return _page(request, form, report, status=200 if report else INVALID)


@require_GET
@access.role_required(Role.PROJECT_MANAGER, Role.UNIT_MANAGER)
@vary_on_headers("HX-Request")
def organisation_unit(request, pk):
    """A business unit's departments, a page at a time: the overview's row opened."""
    unit = get_object_or_404(visible_units(request.user), pk=pk)
    form, report = _report(request, unit)
    return _page(request, form, report, status=200 if report else INVALID)


@never_cache
@require_GET
@access.role_required(Role.PROJECT_MANAGER, Role.UNIT_MANAGER)
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
    # a CSV is named after its table's title: the table's `name` is the URL's word for it
    name = _("wpo-figures") if fmt == exports.XLSX else f"{_('wpo-figures')}-{tables[0].title}"
    return exports.table_response(tables, fmt, _filename(name, report))


@never_cache
@require_http_methods(["GET", "POST"])
@access.role_required(Role.PROJECT_MANAGER, Role.UNIT_MANAGER)
def organisation_pdf(request):
    """The report as the page shows it, made now when small. A large one is made by the worker
    when asked for with the page's button (a POST: a link or a crawler starts no work), and
    its progress page offers the file."""
    form, report = _report(request)
    if report is None:
        return _page(request, form, report, status=INVALID)
    pdf_form = PdfForm(request.POST if request.method == "POST" else request.GET, user=request.user)
    with_names = pdf_form.is_valid() and pdf_form.cleaned_data.get("names", False)
    figures = pdf.report_for(request.user, report.period, report.unit)
    back = f"{reverse('trajects:organisation')}?{urlencode(form.query())}"
    if pdf.is_large(figures, with_names):
        if request.method != "POST":
            messages.info(
                request,
                _(
                    "This report is large: press the button “Report for the client (PDF)” "
                    "to have it made in the background."
                ),
            )
            return redirect(back)
        job = reports.request_report_pdf(
            period=report.period, unit=report.unit, names=with_names, by=request.user
        )
        return redirect("trajects:organisation_report", pk=job.pk)
    # with names, personal data leaves the app: an export, like the participant's own data
    return pdf_response(
        request,
        lambda: pdf.make(figures, with_names, request),
        f"{_filename(_('wpo-report'), report)}.pdf",
        fallback=back,
        about=report.unit,
        action=AuditAction.EXPORT if with_names else AuditAction.DOWNLOAD,
    )


@never_cache
@require_GET
@access.role_required(Role.PROJECT_MANAGER, Role.UNIT_MANAGER)
def organisation_report(request, pk):
    """Waits for the worker: the status part asks again every two seconds until ready."""
    job = access.get_visible_or_404(ReportPdf.objects.defer("pdf"), request.user, pk=pk)
    context = {"job": job, "failed": tasks.has_failed(job), "steps": len(ReportPdf.Step) - 1}
    template = "trajects/organisation_report.html"
    if wants_part(request):
        template += "#status"
    return render(request, template, context)


@never_cache
@require_GET
@access.role_required(Role.PROJECT_MANAGER, Role.UNIT_MANAGER)
def organisation_report_pdf(request, pk):
    job = access.get_visible_or_404(ReportPdf.objects.ready(), request.user, pk=pk)
    period = Period(job.period_start, job.period_end, job.period_label)
    return pdf_response(
        request,
        lambda: bytes(job.pdf),  # made by the worker already
        f"{_filename(_('wpo-report'), SimpleNamespace(period=period, unit=job.unit))}.pdf",
        fallback=reverse("trajects:organisation_report", args=[job.pk]),
        about=job.unit,
        action=AuditAction.EXPORT if job.names else AuditAction.DOWNLOAD,
    )


def _filename(name: str, report) -> str:
    parts = [name, report.period.label, report.unit.name if report.unit else ""]
    return "-".join(slugify(part) for part in parts if part)
