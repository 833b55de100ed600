"""The project manager's PDF report: the page's figures (a row per business unit, or per
department of the unit chosen) and, on request, the participants by name.

A small report is made during the request; one with more rows than
`WPO_REPORT_PDF_ROWS_IN_REQUEST` by the background worker (`trajects.tasks`): laying out a
unit of 48 departments took 15 s on a busy 2-core machine, and no request may take 10."""

from django.conf import settings

from trajects.reports.figures import Per, Period, Report
from trajects.reports.sections import key_figures, participants_table, sections
from wpo.pdf import render_pdf

TEMPLATE = "trajects/report_pdf.html"


def report_for(user, period: Period, unit=None) -> Report:
    """The rows the page shows: business units, or every department of the unit chosen."""
    return Report(user, period, unit, per=Per.UNIT if unit is None else Per.DEPARTMENT)


def is_large(report: Report, names: bool) -> bool:
    """More rows than a request may lay out: the report's own, and the participants named."""
    rows = len(report.rows) + (report.during().count() if names else 0)
    return rows > settings.WPO_REPORT_PDF_ROWS_IN_REQUEST


def make(report: Report, names: bool, request=None) -> bytes:
    context = {
        "report": report,
        "figures": key_figures(report),
        "sections": sections(report),
        "participants": participants_table(report) if names else None,
        # what the context processors give a page; the worker has no request
        "organisation_name": settings.WPO_ORGANISATION_NAME,
    }
    return render_pdf(TEMPLATE, context, request)
