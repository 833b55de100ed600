"""The project manager's pages: the organisation in numbers over a period, its tables as CSV
or XLSX, and a PDF report to hand to a client. The figures come from `trajects.reports`; this
module takes the period chosen and answers."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from trajects.forms import PdfForm, ReportForm
from trajects.models import Escalation
from trajects.reports import exports
from trajects.reports.figures import Report
from trajects.reports.sections import key_figures, participants_table, sections
from wpo import access, audit
from wpo.http import INVALID, pdf_response, wants_part
from wpo.models import AuditAction, Role
from wpo.pdf import render_pdf

PAGE = "trajects/organisation.html"


def _report(request):
    """The report the query string asks for, or the form with its messages."""
    form = ReportForm(request.GET, user=request.user, today=timezone.localdate())
    if not form.is_valid():
        return form, None
    period = form.cleaned_data["report_period"]
    return form, Report(request.user, period, form.cleaned_data["unit"])


def _page(request, form, report, status=200):
    context = {"form": form, "report": report, "query": urlencode(form.query())}
    context["escalations_waiting"] = (
        Escalation.objects.visible_to(request.user).waiting_for_manager().count()
    )
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
    # a CSV is named after its table's title: the table's `name` is the URL's word for it
    name = _("wpo-figures") if fmt == exports.XLSX else f"{_('wpo-figures')}-{tables[0].title}"
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
    # with names, personal data leaves the app: an export, like the participant's own data
    return pdf_response(
        request,
        lambda: render_pdf("trajects/report_pdf.html", context, request),
        f"{_filename(_('wpo-report'), report)}.pdf",
        fallback=f"{reverse('trajects:organisation')}?{urlencode(form.query())}",
        about=report.unit,
        action=AuditAction.EXPORT if with_names else AuditAction.DOWNLOAD,
    )


def _filename(name: str, report: Report) -> str:
    parts = [name, report.period.label, report.unit.name if report.unit else ""]
    return "-".join(slugify(part) for part in parts if part)
