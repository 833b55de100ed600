from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist

from trajects.models import ReportPdf
from trajects.services import reports


@task()
def render_report(report_id: int):
    reports.make_report_pdf(ReportPdf.objects.get(pk=report_id))


def has_failed(report: ReportPdf) -> bool:
    """The worker gave up on the report (or its task is gone): it will not become ready."""
    if report.is_ready:
        return False
    try:
        return render_report.get_result(report.task_id).status == TaskResultStatus.FAILED
    except TaskResultDoesNotExist:
        return True
