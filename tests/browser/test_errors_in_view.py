"""A save the server refuses shows its error summary on screen, with focus on it, on a 360 x 780
phone: with JavaScript (htmx swaps the form and app.js moves focus) and without (the plain post
answers with the page at the form, the summary focused by `autofocus`)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, _new_page, log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=[True, False], ids=["with JavaScript", "without JavaScript"])
def any_phone(request, browser, live_server, settings):
    context, page = _new_page(
        browser, live_server, settings, **PHONE, java_script_enabled=request.param
    )
    yield page
    context.close()


def open_participant(phone, world):
    log_in(phone, world.trainer.user.username, PASSWORD)
    phone.goto(f"/trajectories/{world.trajectory.pk}/")


def assert_summary_in_view_and_focused(phone):
    summary = phone.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    top = summary.bounding_box()["y"]
    assert top >= 0, top
    assert top + 40 <= 780, top  # its first line can be read, not only a pixel of it


def test_a_refused_note_shows_its_summary_in_view(any_phone, world):
    open_participant(any_phone, world)

    any_phone.locator("#note-form").get_by_role("button", name="Notitie opslaan").click()

    expect(any_phone.locator("#note-form .field-error")).to_be_visible()
    assert_summary_in_view_and_focused(any_phone)


def test_a_refused_conversation_shows_its_summary_in_view(any_phone, world):
    open_participant(any_phone, world)
    conversations = any_phone.locator("#conversations")
    conversations.get_by_text("Gesprek vastleggen").click()

    conversations.get_by_role("button", name="Gesprek opslaan").click()

    expect(any_phone.locator("#conversations .field-error").first).to_be_visible()
    assert_summary_in_view_and_focused(any_phone)
