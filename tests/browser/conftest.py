"""Real-browser tests: Playwright's Python client driving Debian's Chromium against live_server.

Playwright's own browser download does not work here, so we launch /usr/bin/chromium. Without it
the tests are skipped with a message, except under CI, where a missing browser fails the run."""

import os

import pytest
from playwright.sync_api import expect

from wpo.chromium import CHROMIUM, CHROMIUM_ARGS

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around
# it are ordinary blocking calls and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium to run the browser tests"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_page(browser, live_server, settings, **options):
    # live_server speaks plain http; production cookies are https-only.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", **options)
    # no click, wait or page load waits longer than this, on any page of the context
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.fixture
def page(browser, live_server, settings):
    context, page = _new_page(browser, live_server, settings)
    yield page
    context.close()


# A phone 360 by 780 px, as a trainer on the shop floor holds it.
PHONE = {"viewport": {"width": 360, "height": 780}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def phone(browser, live_server, settings):
    context, page = _new_page(browser, live_server, settings, **PHONE)
    yield page
    context.close()


def log_in(page, username, password):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    # the form is boosted by htmx: wait for the answer, so the login cookie is set before the
    # test goes on
    with page.expect_response(lambda response: response.request.method == "POST"):
        page.click("button[type=submit]")


def log_out(page):
    """Log out and wait for the login page: the logout first checks the outbox, so a test that
    navigates at once would cut it off."""
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.locator("input[name=username]")).to_be_visible()
