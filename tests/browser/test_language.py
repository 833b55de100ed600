import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_switching_to_english_tells_the_browser_the_page_is_english(page, world):
    """A screen reader picks its voice by <html lang>: the switch loads the whole page anew."""
    log_in(page, world.trainer.user.username, PASSWORD)
    expect(page.get_by_role("heading", name="Mijn deelnemers")).to_be_visible()

    page.get_by_role("button", name="English").click()

    expect(page.get_by_role("heading", name="My participants")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "en"
