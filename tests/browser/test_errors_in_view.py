"""A save the server refuses shows its error summary on screen, with focus on it, on a 360 x 780
phone: with JavaScript (htmx swaps the form and app.js moves focus) and without (the plain post
answers with the page at the form, the summary focused by `autofocus`)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _new_page, log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=[True, False], ids=["with JavaScript", "without JavaScript"])
def phone_780(request, browser, live_server, settings):
    context, page = _new_page(
        browser,
        live_server,
        settings,
        viewport={"width": 360, "height": 780},
        is_mobile=True,
        has_touch=True,
        java_script_enabled=request.param,
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


def test_a_refused_note_shows_its_summary_in_view(phone_780, world):
    open_participant(phone_780, world)

    phone_780.locator("#note-form").get_by_role("button", name="Notitie opslaan").click()

    expect(phone_780.locator("#note-form .field-error")).to_be_visible()
    assert_summary_in_view_and_focused(phone_780)


def test_a_refused_conversation_shows_its_summary_in_view(phone_780, world):
    open_participant(phone_780, world)
    conversations = phone_780.locator("#conversations")
    conversations.get_by_text("Gesprek vastleggen").click()

    conversations.get_by_role("button", name="Gesprek opslaan").click()

    expect(phone_780.locator("#conversations .field-error").first).to_be_visible()
    assert_summary_in_view_and_focused(phone_780)
