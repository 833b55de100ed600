"""PDFs from Django templates with WeasyPrint, rendered without the network: the URL fetcher
serves the project's own static files (fonts, styles, images) and data: URIs, and refuses
everything else, so a document can never call out to another host while it is made.

WeasyPrint is imported when a PDF is made, not when the site starts: it is heavy, and a
machine without its system libraries still serves every other page.

The house style (pdf.css) and its fonts are parsed once per process and thread, then reused
by every document: decompressing the WOFF2 fonts and parsing the sheet took most of a
certificate's time."""

import atexit
import mimetypes
import os
import threading
from functools import cache
from urllib.parse import urljoin, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.templatetags.static import static

BASE_URL = "https://wpo.invalid/"  # relative URLs in templates resolve under it
STYLESHEET = "css/pdf.css"


class RefusedURL(ValueError):
    pass


def static_file(url: str) -> str | None:
    """The file on disk behind a URL of this project's static files, or None."""
    parsed = urlparse(url)
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    if parsed.scheme not in ("", "https") or parsed.netloc not in ("", urlparse(BASE_URL).netloc):
        return None
    if not parsed.path.startswith(prefix):
        return None
    name = parsed.path.removeprefix(prefix)
    try:
        # in development the source folders; in production the collected files, whose
        # names carry a hash (pdf.3f2a….css) that only the storage knows
        found = finders.find(name)
        if found is None and staticfiles_storage.exists(name):
            found = staticfiles_storage.path(name)
    except (SuspiciousFileOperation, NotImplementedError):  # ../ out of the folders
        return None
    return found


@cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = static_file(url)
            if path is None:
                raise RefusedURL(f"not fetched while rendering a PDF: {url}")
            with open(path, "rb") as file:
                body = file.read()
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return StaticOnly


def _fetcher():
    return _fetcher_class()(allowed_protocols=["data", "https"])


# One per thread: WeasyPrint's font configuration is not meant to be shared by two renders at
# once (gunicorn's sync workers and the task worker render one document at a time anyway).
_reused = threading.local()
# let go of it before the interpreter tears down the modules its clean-up needs
atexit.register(lambda: vars(_reused).clear())


def house_style():
    """The font configuration and the parsed pdf.css, made again only when the file changes."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    url = urljoin(BASE_URL, static(STYLESHEET))
    path = static_file(url)
    key = (url, path, os.stat(path).st_mtime_ns)
    if getattr(_reused, "key", None) != key:
        font_config = FontConfiguration()
        _reused.style = font_config, CSS(url=url, url_fetcher=_fetcher(), font_config=font_config)
        _reused.key = key
    return _reused.style


def html_to_pdf(html: str, **options) -> bytes:
    """The document in the house style (pdf.css, which templates need not link).
    `options` go to WeasyPrint's `write_pdf` (`pdf_variant="pdf/a-3b"` for archives)."""
    from weasyprint import HTML

    font_config, stylesheet = house_style()
    # given as a user sheet, so a template's own <style> still wins over it, as it did linked
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher())
    return document.write_pdf(stylesheets=[stylesheet], font_config=font_config, **options)


def render_pdf(template: str, context: dict, request=None, **options) -> bytes:
    return html_to_pdf(render_to_string(template, context, request), **options)
