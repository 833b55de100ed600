"""Pages fit a 360 px phone whatever people type, stand still while the font arrives, and name
each landmark once."""

import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import PASSWORD, FloorNoteFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 360
WIDTH = "document.documentElement.scrollWidth"
# the layout shifts of the page so far, summed as the Cumulative Layout Shift is
LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const shift of list.getEntries()) if (!shift.hadRecentInput) total += shift.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 500);
})"""


def test_the_coach_home_fits_a_phone(phone, world):
    """The signal filter has long choices; the select narrows, the page does not widen."""
    log_in(phone, world.coach.user.username, PASSWORD)

    expect(phone.get_by_label("Signaal", exact=True)).to_be_visible()
    assert phone.evaluate(WIDTH) <= PHONE_WIDTH


def test_the_coach_home_stands_still_while_the_font_arrives(page, world):
    log_in(page, world.coach.user.username, PASSWORD)
    expect(page.get_by_role("heading", name="Mijn afdelingen")).to_be_visible()

    def slow_font(route):
        time.sleep(0.3)  # a font over a slow line: it comes after the first paint
        route.continue_()

    page.route("**/*.woff2", slow_font)
    page.goto("/coach/")
    page.wait_for_load_state("load")

    assert page.evaluate(LAYOUT_SHIFT) < 0.05


@pytest.mark.parametrize(
    "text",
    [
        "Ongeveer" + "heel" * 60 + "lang",
        "Zie https://intranet.example.nl/werkinstructies/inpakken/machine-7/"
        + "stap-voor-stap-handleiding-voor-de-nieuwe-medewerker-" * 3,
    ],
    ids=["word", "url"],
)
def test_a_floor_note_with_one_long_word_fits_a_phone(phone, world, text):
    FloorNoteFactory(trajectory=world.trajectory, text=text)
    log_in(phone, world.trainer.user.username, PASSWORD)

    phone.goto(f"/trajectories/{world.trajectory.pk}/")

    expect(phone.get_by_text(text[:20])).to_be_visible()
    assert phone.evaluate(WIDTH) <= PHONE_WIDTH


def test_each_landmark_of_the_organisation_page_has_its_own_name(page, world):
    log_in(page, world.project_manager.user.username, PASSWORD)
    page.goto("/organisation/")

    results = Axe().run(page, options={"runOnly": ["landmark-unique", "region"]})

    assert [violation["id"] for violation in results.response["violations"]] == []
