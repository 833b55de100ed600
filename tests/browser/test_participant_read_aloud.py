"""Every block of text on the participant's own pages can be read aloud: it is inside a block
marked data-read-aloud, and that block got its "Lees voor" button. Only the controls speak for
themselves (a button, a link, a form field and its label carry their own words and pictures).
Checked in Chromium, on what the page shows, in each state a page can be in: with everything
on it, before a skill is chosen, with a message after a save, with a refused answer and with
the text another screen saved."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from assignments.models import Level
from tests.factories import (
    AssignmentProgressFactory,
    CertificateFactory,
    GuidanceConversationFactory,
    ParticipantWordsFactory,
    TrajectorySkillFactory,
)
from trajects.models import ProgressStatus
from trajects.services.participant import make_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the page shows that no "Lees voor" button reads: text outside a [data-read-aloud]
# block and outside a control, and blocks whose button is missing.
UNREAD = """() => {
  const read = "[data-read-aloud], a, button, label, legend, textarea, select, .visually-hidden";
  const main = document.getElementById("main");
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const unread = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!node.data.trim() || element.closest(read) || !element.checkVisibility()) continue;
    unread.push(node.data.trim());
  }
  for (const block of main.querySelectorAll("[data-read-aloud]")) {
    if (block.dataset.readAloudReady !== "true") unread.push(`no button: ${block.innerText}`);
  }
  return unread;
}"""


def unread(page):
    expect(page.locator("#main button.read-aloud").first).to_be_visible()
    return page.evaluate(UNREAD)


def open_own_page(page, world):
    page.goto(reverse("trajects:participant_open", args=[make_link(world.trajectory)]))
    expect(page.get_by_role("heading", level=1)).to_be_visible()


@pytest.fixture
def progress(world):
    """A skill chosen, one assignment passed at step A, one being worked on at step B, with
    what was agreed about it, the next talk planned and a held one to confirm."""
    chosen = TrajectorySkillFactory(trajectory=world.trajectory, target_level=Level.B)
    AssignmentProgressFactory(
        trajectory_skill=chosen,
        assignment__skill=chosen.skill,
        assignment__level=Level.A,
        status=ProgressStatus.PASSED,
        passed_on=timezone.localdate(),
    )
    now = AssignmentProgressFactory(
        trajectory_skill=chosen,
        assignment__skill=chosen.skill,
        assignment__number=2,
        assignment__level=Level.B,
        assignment__video_url="https://video.example.nl/hulp",
    )
    GuidanceConversationFactory(
        trajectory=world.trajectory,
        progress=now,
        planned_at=None,
        held_at=timezone.now() - datetime.timedelta(days=1),
        recorded_at=timezone.now(),
        agreements="Vraag Ans om hulp bij het inpakken.",
    )
    GuidanceConversationFactory(trajectory=world.trajectory)
    return now


def test_every_block_of_text_on_the_own_page_is_read_aloud(phone, world, progress):
    CertificateFactory(trajectory=world.trajectory)
    open_own_page(phone, world)
    expect(phone.get_by_role("button", name="Besproken met mij")).to_be_visible()

    assert unread(phone) == []


def test_every_block_of_text_before_a_skill_is_chosen_is_read_aloud(phone, world):
    open_own_page(phone, world)
    expect(phone.locator("#wish")).to_be_visible()

    assert unread(phone) == []


def test_every_block_of_text_of_the_assignment_is_read_aloud(phone, world, progress):
    open_own_page(phone, world)

    phone.goto(reverse("trajects:mine_assignment", args=[progress.pk]))

    expect(phone.get_by_role("link", name="Bekijk de video")).to_be_visible()
    assert unread(phone) == []


def test_the_message_after_a_save_is_read_aloud(phone, world, progress):
    open_own_page(phone, world)
    question = phone.locator("#question")
    question.get_by_role("textbox").fill("Mag ik oefenen met de kassa?")

    question.get_by_role("button", name="Opslaan").click()

    expect(phone.get_by_role("status")).to_contain_text("Bewaard")
    assert unread(phone) == []


def test_a_refused_answer_and_a_face_not_chosen_are_read_aloud(phone, world, progress):
    open_own_page(phone, world)
    phone.goto(reverse("trajects:mine_assignment", args=[progress.pk]))
    phone.locator("#look-back input[name=lb-feeling]").first.evaluate(
        "radio => { radio.value = 'super'; radio.checked = true; }"
    )

    phone.locator("#look-back").get_by_role("button", name="Opslaan").click()

    expect(phone.locator("#look-back .field-error")).to_be_visible()
    assert unread(phone) == []


def test_what_another_screen_saved_is_read_aloud(phone, world, progress):
    open_own_page(phone, world)
    phone.goto(reverse("trajects:mine_assignment", args=[progress.pk]))
    ParticipantWordsFactory(progress=progress, text="Op de tablet geschreven.", version=2)
    question = phone.locator("#question-1")
    question.get_by_role("textbox").fill("Op de telefoon geschreven.")

    question.get_by_role("button", name="Opslaan").click()

    expect(phone.get_by_text("Op de tablet geschreven.")).to_be_visible()
    assert unread(phone) == []


def test_the_pages_after_done_and_of_an_ended_link_are_read_aloud(phone, world):
    open_own_page(phone, world)
    phone.get_by_role("button", name="Klaar").click()
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    assert unread(phone) == []

    phone.goto(reverse("trajects:mine"))

    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    assert unread(phone) == []


def test_the_check_finds_a_block_of_text_without_its_button(phone, world):
    open_own_page(phone, world)

    phone.evaluate(
        """() => document.getElementById("main").insertAdjacentHTML(
          "beforeend", "<p>Niet voor te lezen.</p><p data-read-aloud>Zonder knop.</p>")"""
    )

    assert unread(phone) == ["Niet voor te lezen.", "no button: Zonder knop."]
