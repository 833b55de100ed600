"""PDFs are made without the network: fonts and styles come from the project's static files,
and a template that points elsewhere makes no request."""

import io
import os

import pytest
from pypdf import PdfReader

from wpo.pdf import BASE_URL, house_style, html_to_pdf, static_file

pytestmark = pytest.mark.usefixtures("weasyprint")


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_template_pointing_at_another_host_makes_no_request(no_network):
    html = """<html><head>
      <link rel="stylesheet" href="https://cdn.example.com/style.css">
      <link rel="stylesheet" href="/static/css/pdf.css">
    </head><body>
      <img src="http://tracker.example.com/pixel.png">
      <p style="background: url(https://example.com/x.png)">Alleen van hier.</p>
    </body></html>"""

    pdf = html_to_pdf(html)

    assert "Alleen van hier." in text_of(pdf)
    assert no_network == []


def test_the_project_font_is_embedded_without_linking_the_style():
    pdf = html_to_pdf("<p>Werkplekopleiden</p>")

    fonts = {
        font["/BaseFont"]
        for page in PdfReader(io.BytesIO(pdf)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Atkinson" in str(name) for name in fonts)


def test_a_second_document_reuses_the_fonts_and_styles_of_the_first(monkeypatch):
    from fontTools.ttLib import woff2

    html_to_pdf("<p>Eerste</p>")
    decompressed = []
    original = woff2.decompress
    monkeypatch.setattr(
        woff2, "decompress", lambda *args: decompressed.append(args) or original(*args)
    )

    pdf = html_to_pdf("<p>Tweede</p>")

    assert "Tweede" in text_of(pdf)
    assert decompressed == []


def test_a_changed_style_sheet_is_read_again(settings, tmp_path):
    (tmp_path / "css").mkdir()
    sheet = tmp_path / "css" / "pdf.css"
    sheet.write_text("p { color: red; }")
    settings.STATICFILES_DIRS = [tmp_path]
    first = house_style()
    sheet.write_text("p { color: blue; }")
    os.utime(sheet, ns=(sheet.stat().st_mtime_ns + 1_000_000,) * 2)

    assert house_style() is not first


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/static/css/pdf.css",
        "http://wpo.invalid/static/css/pdf.css",
        f"{BASE_URL}static/../../etc/passwd",
        "file:///etc/passwd",
    ],
)
def test_only_the_projects_own_static_files_are_served(url):
    assert static_file(url) is None


def test_collected_static_files_with_hashed_names_are_served(settings, tmp_path):
    """In production {% static %} names pdf.<hash>.css in STATIC_ROOT."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--no-input", verbosity=0)
    hashed = staticfiles_storage.url("css/pdf.css")

    assert ".css" in hashed
    assert hashed != "/static/css/pdf.css"
    assert static_file(f"{BASE_URL.rstrip('/')}{hashed}").startswith(str(tmp_path))
