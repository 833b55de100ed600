"""The project manager in a real browser: choosing another period swaps the figures in place
and keeps it in the URL; a business unit opens its departments in place; the spreadsheet
downloaded holds the numbers the page shows; a large PDF report shows its progress and then
the file."""

import datetime
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.utils.text import slugify
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import PASSWORD, TrajectoryFactory
from trajects.models import Phase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def cells(page, table_id) -> list[list[str]]:
    rows = page.locator(f"#{table_id} tbody tr, #{table_id} tfoot tr")
    return [row.locator("th, td").all_inner_texts() for row in rows.all()]


def test_the_project_manager_picks_last_year_and_downloads_the_same_numbers(page, world):
    last_year = datetime.date.today().year - 1
    TrajectoryFactory(
        department=world.department,
        agreed_start=datetime.date(last_year, 2, 1),
        agreed_end=datetime.date(last_year, 10, 1),
        phase=Phase.CLOSING,
        closed_on=datetime.date(last_year, 9, 15),
    )
    log_in(page, world.project_manager.user.username, PASSWORD)
    page.goto("/organisation/")
    page.evaluate("window.notReloaded = true")

    page.get_by_label("Periode:", exact=True).select_option(str(last_year))

    expect(page).to_have_url(re.compile(rf"period={last_year}"))
    expect(page.locator(".report-scope")).to_contain_text(f"Periode: {last_year}")
    unit = world.department.business_unit
    page.locator("#table-period").get_by_role("link", name=unit.name).click()

    expect(page).to_have_url(re.compile(rf"/organisation/unit/{unit.pk}/\?period={last_year}"))
    expect(page.locator(".report-scope")).to_contain_text(unit.name)
    assert page.evaluate("window.notReloaded") is True
    shown = cells(page, "table-period")
    inpak = next(row for row in shown if row[1] == world.department.name)
    assert inpak[2:5] == ["1", "1", "1"]  # ran, started and closed last year

    with page.expect_download() as download:
        page.get_by_role("link", name="Alle tabellen als spreadsheet (XLSX)").click()

    assert download.value.suggested_filename == f"wpo-cijfers-{last_year}-{slugify(unit.name)}.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    sheet = book.worksheets[1]  # the second table: in the period
    in_file = [
        ["" if value is None else str(value) for value in row]
        for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert in_file == shown


def test_a_large_pdf_report_shows_its_progress_and_then_the_file(page, world, settings):
    settings.WPO_REPORT_PDF_ROWS_IN_REQUEST = 1  # every report counts as large
    log_in(page, world.project_manager.user.username, PASSWORD)
    page.goto("/organisation/")

    page.get_by_role("button", name="Rapportage voor de opdrachtgever (pdf)").click()

    expect(page).to_have_url(re.compile(r"/organisation/report/\d+/$"))
    expect(page.get_by_role("status")).to_contain_text("Stap 1 van 3: Wacht op zijn beurt")
    expect(page.locator("progress")).to_have_attribute("value", "1")

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    # the page asks again every two seconds and shows the download without a reload
    expect(page.get_by_role("status")).to_contain_text("De PDF is klaar.", timeout=10_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Rapportage downloaden (pdf)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
