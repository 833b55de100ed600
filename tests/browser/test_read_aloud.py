"""Reading aloud: a "Lees voor" button before every block marked data-read-aloud speaks it in
Dutch with a voice on the device, marking the word being read. Headless Chromium has no voices,
so each test gives it a speech synthesis of its own that records what it is asked to say."""

import pytest

from assignments import catalogue
from tests.browser.conftest import log_in
from tests.browser.speech import DUTCH, ENGLISH, FLEMISH, ONLINE_DUTCH, give_voices
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HIGHLIGHTED = """() => {
  const marked = CSS.highlights.get("read-aloud");
  return marked ? [...marked].map(range => range.toString()) : [];
}"""

NO_VOICE = "Voorlezen kan niet: dit apparaat heeft geen Nederlandse stem"


def open_catalogue(page, world, voices):
    catalogue.load_shipped()
    give_voices(page, voices)
    log_in(page, world.trainer.user.username, PASSWORD)
    page.goto("/catalogue/")
    return page.locator("#skill-1 button.read-aloud").first


def test_lees_voor_reads_the_block_in_dutch_with_a_dutch_voice_on_the_device(phone, world):
    button = open_catalogue(phone, world, [ONLINE_DUTCH, ENGLISH, FLEMISH, DUTCH])
    description = phone.locator("#skill-1 > p[data-read-aloud]").inner_text()

    button.click()

    spoken = phone.evaluate("window.spoken")
    assert spoken == [{"text": description, "lang": "nl-NL", "voice": "Nederlands"}]
    assert button.inner_text() == "Stop met voorlezen"


def test_the_word_being_read_is_highlighted_and_pressing_again_stops(phone, world):
    button = open_catalogue(phone, world, [DUTCH])
    phone.locator("#skill-1 details").first.evaluate("details => { details.open = true; }")
    questions = phone.locator("#skill-1 section.part").nth(1)
    questions.locator("button.read-aloud").click()

    word = phone.evaluate("window.sayWord(4)")

    assert phone.evaluate(HIGHLIGHTED) == [word]
    assert "Vragen" in phone.evaluate("window.spoken[0].text")
    questions.locator("button.read-aloud").click()
    assert phone.evaluate(HIGHLIGHTED) == []
    assert phone.evaluate("window.cancelled") >= 1
    assert questions.locator("button.read-aloud").inner_text() == "Lees voor"
    assert button.inner_text() == "Lees voor"


def test_the_button_is_large_enough_for_a_thumb(phone, world):
    box = open_catalogue(phone, world, [DUTCH]).bounding_box()

    assert box["height"] >= 44
    assert box["width"] >= 44


@pytest.mark.parametrize("voices", [[ENGLISH, ONLINE_DUTCH], []], ids=["English only", "none"])
def test_without_a_dutch_voice_the_button_says_so_and_reads_nothing(phone, world, voices):
    button = open_catalogue(phone, world, voices)

    button.click()

    assert button.inner_text() == NO_VOICE
    assert phone.evaluate("window.spoken") == []


def test_the_catalogue_with_its_pictograms_and_buttons_has_no_serious_accessibility_problem(
    phone, world
):
    from tests.browser.test_accessibility import serious

    open_catalogue(phone, world, [DUTCH])
    phone.locator("details").evaluate_all("all => all.forEach(d => { d.open = true; })")
    phone.locator("#skill-2 button.read-aloud").first.click()

    assert serious(phone) == []


def test_a_page_reached_through_a_boosted_link_gets_its_buttons_too(page, world):
    catalogue.load_shipped()
    give_voices(page, [DUTCH])
    log_in(page, world.trainer.user.username, PASSWORD)
    page.goto("/trainer/")

    page.get_by_role("link", name="Opdrachten").click()

    page.locator("#skill-1 button.read-aloud").first.click()
    assert page.evaluate("window.spoken.length") == 1
