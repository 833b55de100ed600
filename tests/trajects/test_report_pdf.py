"""The project manager's PDF report: a small one made during the request, a large one (more
rows than WPO_REPORT_PDF_ROWS_IN_REQUEST) by the background worker, with a page that shows how
far it is and offers the file when ready."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.factories import ReportPdfFactory
from trajects.models import ReportPdf
from trajects.reports import pdf
from trajects.reports.figures import Period
from trajects.services import reports
from wpo.models import AuditAction, AuditEvent

THIS_YEAR = timezone.localdate().year
YEAR = Period(datetime.date(THIS_YEAR, 1, 1), datetime.date(THIS_YEAR, 12, 31), str(THIS_YEAR))

PDF = reverse("trajects:organisation_pdf")


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


# The worker closes its database connection after a task, as it should: these tests commit.
with_worker = pytest.mark.django_db(transaction=True)


@pytest.fixture
def large(settings):
    """Every report counts as large: the overview has a row per business unit, at least two."""
    settings.WPO_REPORT_PDF_ROWS_IN_REQUEST = 1


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def status(client, job):
    url = reverse("trajects:organisation_report", args=[job.pk])
    return client.get(url, headers={"HX-Request": "true"}).content.decode()


@pytest.mark.usefixtures("weasyprint")
def test_a_small_report_is_made_during_the_request(client, world):
    client.force_login(world.project_manager.user)

    response = client.post(PDF, {"period": "2025"})

    assert response["Content-Type"] == "application/pdf"
    assert not ReportPdf.objects.exists()


@pytest.mark.usefixtures("large")
def test_a_large_report_is_queued_for_the_worker_and_its_page_shows_the_first_step(client, world):
    client.force_login(world.project_manager.user)

    response = client.post(f"{PDF}?period=2025")

    job = ReportPdf.objects.get()
    assert response["Location"] == reverse("trajects:organisation_report", args=[job.pk])
    assert (job.period_label, job.unit, job.names, job.step) == ("2025", None, False, "waiting")
    assert job.task_id
    waiting = status(client, job)
    assert "Stap 1 van 3: Wacht op zijn beurt" in waiting
    assert "every 2s" in waiting


@pytest.mark.usefixtures("large")
def test_pressing_twice_asks_for_the_report_once(client, world):
    client.force_login(world.project_manager.user)

    first = client.post(f"{PDF}?period=2025")
    second = client.post(f"{PDF}?period=2025")

    assert first["Location"] == second["Location"]
    assert ReportPdf.objects.count() == 1


@pytest.mark.usefixtures("large")
def test_a_link_to_a_large_report_starts_no_work_and_says_to_press_the_button(client, world):
    client.force_login(world.project_manager.user)

    response = client.get(PDF, {"period": "2025"}, follow=True)

    assert not ReportPdf.objects.exists()
    assert "Deze rapportage is groot" in response.content.decode()


def test_participants_named_count_towards_the_size(world, settings):
    report = pdf.report_for(world.project_manager.user, YEAR)
    settings.WPO_REPORT_PDF_ROWS_IN_REQUEST = len(report.rows)

    assert not pdf.is_large(report, names=False)
    assert pdf.is_large(report, names=True)


@pytest.mark.usefixtures("weasyprint", "large")
@with_worker
def test_the_worker_makes_the_report_and_its_page_offers_the_file(client, world):
    client.force_login(world.project_manager.user)
    client.post(f"{PDF}?period={YEAR.label}", {"names": "on"})
    job = ReportPdf.objects.get()

    run_worker()

    ready = status(client, job)
    download = reverse("trajects:organisation_report_pdf", args=[job.pk])
    assert "every 2s" not in ready
    assert download in ready
    response = client.get(download)
    text = pdf_text(response.content)
    assert world.department.business_unit.name in text
    assert world.trajectory.participant.full_name in text
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 1


@pytest.mark.usefixtures("large")
@with_worker
def test_a_report_the_worker_could_not_make_says_so(client, world, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("no Pango")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    client.force_login(world.project_manager.user)
    client.post(f"{PDF}?period=2025")

    run_worker()

    assert "niet gelukt" in status(client, ReportPdf.objects.get())


def test_the_file_is_not_offered_before_it_is_ready(client, world):
    job = ReportPdfFactory(requested_by=world.project_manager.user)
    client.force_login(world.project_manager.user)

    response = client.get(reverse("trajects:organisation_report_pdf", args=[job.pk]))

    assert response.status_code == 404


def test_another_project_managers_report_is_not_found(client, world):
    job = ReportPdfFactory()
    client.force_login(world.project_manager.user)

    response = client.get(reverse("trajects:organisation_report", args=[job.pk]))

    assert response.status_code == 404


def test_a_new_request_clears_reports_older_than_a_day(world):
    old = ReportPdfFactory(requested_by=world.project_manager.user)
    ReportPdf.objects.filter(pk=old.pk).update(
        requested_at=timezone.now() - datetime.timedelta(days=2)
    )

    reports.request_report_pdf(period=YEAR, unit=None, names=True, by=world.project_manager.user)

    assert not ReportPdf.objects.filter(pk=old.pk).exists()
    assert ReportPdf.objects.count() == 1
