"""Tables as files: the XLSX holds the page's numbers, the CSV opens in Dutch Excel, a cell
that looks like a formula stays text, and every download is in the audit log."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import TrajectoryFactory
from trajects.models import Phase
from trajects.reports.exports import Table, table_response
from wpo.models import AuditAction, AuditEvent

SEP_25 = datetime.date(2026, 9, 25)
TABLE = Table(
    title="Per afdeling",
    columns=["Afdeling", "Lopend", "Gemiddeld"],
    rows=[['=HYPERLINK("http://x")', 3, 2.5], ["Inpak", 0, None]],
    footer=["Totaal", 3, 2.5],
    name="afdelingen",
)


def workbook(response):
    return openpyxl.load_workbook(io.BytesIO(response.content))


def csv_rows(response) -> list[list[str]]:
    """The rows of a CSV download (it streams: read once)."""
    text = response.getvalue().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_a_csv_opens_in_dutch_excel_semicolons_decimal_commas_and_a_byte_order_mark():
    response = table_response(TABLE, "csv", "cijfers")

    content = response.getvalue()
    assert content.startswith("\ufeff".encode())
    assert response["Content-Disposition"] == 'attachment; filename="cijfers.csv"'
    assert content.decode("utf-8-sig").splitlines()[-1] == "Totaal;3;2,5"


@pytest.mark.parametrize("typed", ["=1+1", "+31 6 1234", "-2", "@SUM(A1)"])
def test_a_csv_cell_that_looks_like_a_formula_is_kept_as_text(typed):
    table = Table(title="t", columns=["Naam"], rows=[[typed]])

    assert csv_rows(table_response(table, "csv", "t"))[1] == ["'" + typed]


def test_a_negative_number_stays_a_number_in_a_csv():
    table = Table(title="t", columns=["Verschil"], rows=[[-2]])

    assert csv_rows(table_response(table, "csv", "t"))[1] == ["-2"]


def test_an_xlsx_keeps_numbers_as_numbers_and_formulas_as_text():
    sheet = workbook(table_response([TABLE], "xlsx", "cijfers"))["Per afdeling"]

    assert [cell.value for cell in sheet[1]] == ["Afdeling", "Lopend", "Gemiddeld"]
    assert sheet["A2"].value == '=HYPERLINK("http://x")'
    assert sheet["A2"].data_type == "s"
    assert (sheet["B2"].value, sheet["C2"].value, sheet["C3"].value) == (3, 2.5, None)
    assert sheet["A1"].font.bold
    assert sheet["A4"].font.bold  # the totals row
    assert sheet.column_dimensions["A"].width > 10


def test_an_xlsx_has_a_sheet_per_table_with_excels_title_rules():
    long = Table(title="Opdrachten: gehaald per skill/niveau en meer tekst", columns=["a"], rows=[])
    tables = [long, long, TABLE]

    names = workbook(table_response(tables, "xlsx", "x")).sheetnames

    assert names == [
        "Opdrachten gehaald per skill",
        "Opdrachten gehaald per (2)",
        "Per afdeling",
    ]


def test_a_sheet_name_of_one_long_word_is_cut_at_excels_limit():
    table = Table(title="Arbeidsongeschiktheidsverzekeringen", columns=["a"], rows=[])

    assert workbook(table_response([table], "xlsx", "x")).sheetnames == [
        "Arbeidsongeschiktheidsverzekeri"
    ]


DATED = Table(title="Gesprekken", columns=["Naam", "Laatste gesprek"], rows=[["An", SEP_25]])


def test_an_xlsx_stores_dates_as_dates():
    cell = workbook(table_response([DATED], "xlsx", "x"))["Gesprekken"]["B2"]

    assert cell.is_date
    assert cell.number_format == "dd-mm-yyyy"
    assert cell.value.date() == SEP_25


def test_a_csv_writes_dates_as_dutch_excel_reads_them():
    assert csv_rows(table_response(DATED, "csv", "x"))[1] == ["An", "25-09-2026"]


def test_one_csv_holds_one_table():
    with pytest.raises(ValueError):
        table_response([TABLE, TABLE], "csv", "x")


# The organisation's figures as files


def export(client, world, **query):
    client.force_login(world.project_manager.user)
    return client.get(reverse("trajects:organisation_export"), query)


def test_the_xlsx_holds_the_same_numbers_as_the_business_units_page(client, world):
    TrajectoryFactory(
        department=world.department,
        agreed_start=timezone.localdate().replace(month=1, day=1),
        agreed_end=timezone.localdate() + datetime.timedelta(days=30),
        phase=Phase.CLOSING,
        closed_on=timezone.localdate(),
    )
    unit = world.department.business_unit
    client.force_login(world.project_manager.user)
    page = client.get(reverse("trajects:organisation_unit", args=[unit.pk]))
    sections = page.context["sections"]

    book = workbook(export(client, world, format="xlsx", unit=unit.pk))

    assert len(book.sheetnames) == len(sections)
    for sheet, section in zip(book.worksheets, sections, strict=True):
        table = section.table
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        expected = [table.columns, *table.all_rows]
        assert rows == [[None if cell == "" else cell for cell in row] for row in expected]


def test_a_csv_holds_the_table_asked_for(client, world):
    response = export(client, world, format="csv", table="now")

    rows = csv_rows(response)
    assert rows[0][:3] == ["Bedrijfsonderdeel", "Afdeling", "Start"]
    assert {world.department.name, world.other_department.name} <= {row[1] for row in rows[1:-1]}
    assert rows[-1][0] == "Totaal"
    year = timezone.localdate().year
    filename = f"wpo-cijfers-nu-per-bedrijfsonderdeel-en-afdeling-{year}.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'


@pytest.mark.parametrize("query", [{"format": "pdf"}, {"format": "csv", "table": "geen"}])
def test_an_unknown_format_or_table_is_not_found(client, world, query):
    assert export(client, world, **query).status_code == 404


def test_a_bad_period_on_an_export_shows_the_page_with_its_message(client, world):
    response = export(client, world, period="custom", start="2025-06-01", end="2025-01-01")

    assert response.status_code == 422
    assert "De van-datum moet op of vóór de tot-datum liggen." in response.content.decode()


def test_every_download_is_in_the_audit_log(client, world):
    export(client, world, format="xlsx")
    export(client, world, format="csv", table="throughput", unit=world.department.business_unit_id)

    events = AuditEvent.objects.filter(action=AuditAction.DOWNLOAD, user=world.project_manager.user)
    assert events.count() == 2
    assert events.filter(object_id=str(world.department.business_unit_id)).count() == 1
