"""A page read offline, as the service worker gives it from its cache with the mark
"Offline: laatst bijgewerkt om …", is valid HTML by the W3C Nu checker: both the page as the
worker answers it and the page as the phone shows it once the scripts have marked it (and a
save waits in the outbox)."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_outbox import (
    QUEUED,
    cached_for_reading_offline,
    open_participant,
    write_note,
)
from tests.wpo.test_valid_html import Pages, vnu_errors, vnu_jar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add(pages, html, label):
    path = pages.folder / f"{len(pages.source):04}.html"
    path.write_text(html, encoding="utf-8")
    pages.source[path.name] = label


def test_a_page_read_from_the_offline_cache_is_valid_html(phone, world, tmp_path):
    jar = vnu_jar()
    open_participant(phone, world)
    cached_for_reading_offline(phone)
    phone.context.set_offline(True)

    answer = phone.reload()
    expect(phone.locator("#offline-note")).to_contain_text("Offline: laatst bijgewerkt om")
    write_note(phone, "Offline geschreven.")
    expect(phone.locator("#note-form")).to_contain_text(QUEUED)
    pages = Pages(tmp_path)
    add(pages, answer.text(), "the participant page as the service worker answers it")
    shown = phone.evaluate("'<!doctype html>\\n' + document.documentElement.outerHTML")
    add(pages, shown, "the participant page as the phone shows it offline")

    assert answer.from_service_worker
    assert "<html data-from-cache" in answer.text()
    assert vnu_errors(jar, pages) == []
