"""The project manager in a real browser: choosing another period swaps the figures in place
and keeps it in the URL; the spreadsheet downloaded holds the numbers the page shows."""

import datetime
import io
import re
from pathlib import Path

import openpyxl
import pytest
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
    assert page.evaluate("window.notReloaded") is True
    shown = cells(page, "table-period")
    inpak = next(row for row in shown if row[1] == world.department.name)
    assert inpak[2:5] == ["1", "1", "1"]  # ran, started and closed last year

    with page.expect_download() as download:
        page.get_by_role("link", name="Alle tabellen als spreadsheet (XLSX)").click()

    assert download.value.suggested_filename == f"wpo-cijfers-{last_year}.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    sheet = book.worksheets[1]  # the second table: in the period
    in_file = [
        ["" if value is None else str(value) for value in row]
        for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert in_file == shown
