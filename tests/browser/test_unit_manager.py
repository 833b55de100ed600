"""The business-unit manager in a real browser: after logging in they land on their unit's
figures, open its departments, and download the workbook, which holds their unit only."""

import io
import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import PASSWORD, TrajectoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_manager_sees_their_units_figures_and_departments_and_downloads_them(page, world):
    TrajectoryFactory.create_batch(3, department=world.other_department)
    unit, other = world.department.business_unit, world.other_department.business_unit

    log_in(page, world.unit_manager.user.username, PASSWORD)

    expect(page).to_have_url(re.compile(r"/organisation/$"))
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    expect(menu.get_by_role("link", name="Organisatie")).to_be_visible()
    expect(menu.get_by_role("link", name="Overleggen")).to_have_count(0)
    expect(menu.get_by_role("link", name="Escalaties")).to_have_count(0)
    now = page.locator("#table-now")
    expect(now.get_by_role("link", name=unit.name)).to_be_visible()
    expect(page.locator("#report")).not_to_contain_text(other.name)
    expect(page.get_by_label("Met namen van deelnemers", exact=False)).to_have_count(0)

    now.get_by_role("link", name=unit.name).click()

    expect(page).to_have_url(re.compile(rf"/organisation/unit/{unit.pk}/"))
    expect(page.locator("#table-now")).to_contain_text(world.department.name)
    with page.expect_download() as download:
        page.get_by_role("link", name="Alle tabellen als spreadsheet (XLSX)").click()

    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    in_file = {str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row}
    assert world.department.name in in_file
    assert other.name not in in_file
    assert world.other_department.name not in in_file
