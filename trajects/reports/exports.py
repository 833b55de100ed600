"""Tables as files: one `Table` (a title, column headings, rows) becomes a CSV or an XLSX
download, the same numbers the page shows.

    table_response(table, "csv", "cijfers-2026")       # one table
    table_response([t1, t2], "xlsx", "cijfers-2026")   # one sheet per table

The view records the download in the audit log (`wpo.audit.record`)."""

import codecs
import csv
import datetime
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from numbers import Number

from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CSV, XLSX = "csv", "xlsx"
FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_LIMIT = 31  # Excel's limit
# what Excel in Dutch shows and reads as a date
XLSX_DATE_FORMAT = "dd-mm-yyyy"
CSV_DATE_FORMAT = "%d-%m-%Y"
WIDEST_COLUMN = 50
BOLD = Font(bold=True)


@dataclass
class Table:
    """Rows of cells: text, whole or decimal numbers, dates, or None for "nothing to count"."""

    title: str
    columns: list[str]
    rows: list[list]
    footer: list | None = None  # a totals row, set apart on the page and in bold in XLSX
    name: str = ""  # for choosing one table, e.g. in a CSV download
    header_column: int = 0  # the cell that names the row (a <th> on the page)
    # on the page, where the cell that names a row leads (a business unit to its departments)
    links: list[str] | None = None
    numeric: list[bool] = field(init=False)

    def __post_init__(self):
        self.columns = [str(heading) for heading in self.columns]  # lazy translations too
        self.numeric = [
            any(isinstance(row[index], Number) for row in self.all_rows)
            for index in range(len(self.columns))
        ]

    @property
    def all_rows(self) -> list[list]:
        return [*self.rows, self.footer] if self.footer else list(self.rows)

    # for the page: each row's HTML made once here, not a template call per cell (a report
    # of a thousand departments has tens of thousands of cells)

    @property
    def head(self) -> list[tuple[str, bool]]:
        return list(zip(self.columns, self.numeric, strict=True))

    @property
    def body(self) -> list[SafeString]:
        links = self.links or [None] * len(self.rows)
        return [
            self._row(row, self.header_column, link)
            for row, link in zip(self.rows, links, strict=True)
        ]

    @property
    def foot(self) -> SafeString | None:
        return self._row(self.footer, 0) if self.footer else None

    def _row(self, row, header_column, link=None) -> SafeString:
        """A number aligned right, the cell that names the row a <th> (a link where it leads
        somewhere: htmx swaps the report, see organisation.html), nothing counted a dash."""
        cells = []
        for index, (value, numeric) in enumerate(zip(row, self.numeric, strict=True)):
            if index == header_column and link:
                cells.append(
                    format_html(
                        '<th scope="row"><a href="{}" data-hx-get="{}">{}</a></th>',
                        link,
                        link,
                        localize(value),
                    )
                )
            elif index == header_column:
                cells.append(format_html('<th scope="row">{}</th>', localize(value)))
            else:
                shown = "—" if value is None else localize(value)
                cells.append(format_html("<td{}>{}</td>", _NUM if numeric else "", shown))
        return mark_safe("".join(cells))  # each cell escaped by format_html


_NUM = mark_safe(' class="num"')


def table_response(tables: Table | Sequence[Table], fmt: str, filename: str) -> HttpResponseBase:
    """`tables` as an attachment `filename.csv` (one table) or `filename.xlsx` (a sheet each).
    A CSV streams, row by row."""
    tables = [tables] if isinstance(tables, Table) else list(tables)
    if fmt == CSV:
        if len(tables) != 1:
            raise ValueError("a CSV file holds one table")
        response = StreamingHttpResponse(csv_lines(tables[0]), content_type=CONTENT_TYPES[fmt])
    elif fmt == XLSX:
        response = HttpResponse(to_xlsx(tables), content_type=CONTENT_TYPES[fmt])
    else:
        raise ValueError(f"unknown format: {fmt}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


class _Line:
    """What csv.writer writes to: each row comes back as its line."""

    def write(self, line: str) -> str:
        return line


def csv_lines(table: Table) -> Iterator[bytes]:
    """Semicolons, decimal commas and a byte-order mark: what Excel in Dutch opens as columns
    with numbers, accents intact."""
    writer = csv.writer(_Line(), delimiter=";", lineterminator="\r\n")
    yield codecs.BOM_UTF8
    for row in [table.columns, *table.all_rows]:
        yield writer.writerow([_csv_cell(cell) for cell in row]).encode()


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return str(value).replace(".", ",")
    if isinstance(value, datetime.date):
        return value.strftime(CSV_DATE_FORMAT)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value  # shown as typed, never run
    return value


def to_xlsx(tables: Sequence[Table]) -> bytes:
    """openpyxl's write-only mode: each row goes to the file as it is added, not kept as cells."""
    workbook = Workbook(write_only=True)
    titles = set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.title, titles))
        sheet.freeze_panes = "A2"
        for index, values in enumerate(zip(table.columns, *table.all_rows, strict=True), 1):
            longest = max(len(str(value or "")) for value in values)
            sheet.column_dimensions[get_column_letter(index)].width = min(
                longest + 2, WIDEST_COLUMN
            )
        sheet.append(_cells(sheet, table.columns, bold=True))
        for row in table.rows:
            sheet.append(_cells(sheet, row))
        if table.footer:
            sheet.append(_cells(sheet, table.footer, bold=True))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cells(sheet, values, bold=False) -> list[WriteOnlyCell]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # text stays text: openpyxl would store "=..." as a formula
        elif isinstance(value, datetime.date):
            cell.number_format = XLSX_DATE_FORMAT
        if bold:
            cell.font = BOLD
        cells.append(cell)
    return cells


def _sheet_title(title: str, taken: set) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, and unique in the workbook."""
    words = re.sub(r"[\[\]:*?/\\]", " ", title).split()
    base = _cut_at_word(" ".join(words), SHEET_TITLE_LIMIT) or "Blad"
    candidate, number = base, 1
    while candidate.lower() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = _cut_at_word(base, SHEET_TITLE_LIMIT - len(suffix)) + suffix
    taken.add(candidate.lower())
    return candidate


def _cut_at_word(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, cut after a whole word; a first word longer than
    that is cut where the limit falls."""
    if len(text) <= limit:
        return text
    head = text[: limit + 1]  # a space right after the limit still ends a word
    return head.rsplit(" ", 1)[0].rstrip(" ,") if " " in head else text[:limit]
