"""The project manager's large PDF report, made by the background worker: asked for here,
made by `make_report_pdf` in the worker (`trajects.tasks.render_report`)."""

import datetime

from django.db import transaction
from django.utils import timezone, translation

from trajects.models import ReportPdf
from trajects.reports import pdf
from trajects.reports.figures import Period

# a report can name participants: kept only until its reader is likely done with it
KEPT_FOR = datetime.timedelta(days=1)
# a second press of the button within this time gets the report already under way
REPEAT_WITHIN = datetime.timedelta(minutes=1)


@transaction.atomic
def request_report_pdf(*, period: Period, unit, names: bool, by) -> ReportPdf:
    """The report, queued for the worker in the same transaction (the worker never sees a
    half-made request). The same request again, while the first waits, is the first."""
    now = timezone.now()
    ReportPdf.objects.filter(requested_at__lt=now - KEPT_FOR).delete()
    same = ReportPdf.objects.filter(
        requested_by=by,
        period_start=period.start,
        period_end=period.end,
        unit=unit,
        names=names,
        finished_at__isnull=True,
        requested_at__gte=now - REPEAT_WITHIN,
    ).first()
    if same:
        return same
    report = ReportPdf.objects.create(
        requested_by=by,
        period_start=period.start,
        period_end=period.end,
        period_label=period.label,
        unit=unit,
        names=names,
        language=translation.get_language() or "nl",
    )
    from trajects.tasks import render_report

    report.task_id = str(render_report.enqueue(report.pk).id)
    report.save(update_fields=["task_id"])
    return report


def make_report_pdf(report: ReportPdf) -> ReportPdf:
    """The worker's part. Each step is written as it begins, outside a transaction, so the
    progress page sees it."""
    _step(report, ReportPdf.Step.COUNTING)
    period = Period(report.period_start, report.period_end, report.period_label)
    with translation.override(report.language):
        figures = pdf.report_for(report.requested_by, period, report.unit)
        figures.rows, figures.totals, figures.quarters, figures.skills  # noqa: B018 counted now
        _step(report, ReportPdf.Step.DRAWING)
        report.pdf = pdf.make(figures, report.names)
    report.step = ReportPdf.Step.READY
    report.finished_at = timezone.now()
    report.save(update_fields=["pdf", "step", "finished_at"])
    return report


def _step(report: ReportPdf, step: str):
    report.step = step
    ReportPdf.objects.filter(pk=report.pk).update(step=step)
