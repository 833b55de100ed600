"""The participant's pages are written at B1 or simpler: their visible Dutch text scores 60 or
more on the Flesch-Douma reading ease (the Dutch Flesch: 206.835 - 0.93 * words per sentence
- 77 * syllables per word; 60 to 70 is plain, B1, text). Syllables are counted as groups of
vowels, which is close enough for Dutch. Measured with the shipped catalogue's assignment, as
the participant gets it."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments.catalogue import load_shipped
from assignments.models import Assignment
from tests.conftest import open_personal_link
from tests.factories import (
    AssignmentProgressFactory,
    GuidanceConversationFactory,
    TrajectorySkillFactory,
)

B1 = 60
VOWEL_GROUPS = re.compile(r"[aeiouyàáäâèéëêìíïîòóöôùúüû]+", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")  # "zo'n", "e-mail"
SENTENCE_END = re.compile(r"[.!?:]+\s|\n")


class VisibleText(HTMLParser):
    """The text of <main>, each block on a line of its own; no scripts, styles or hidden
    parts."""

    BLOCKS = {"p", "h1", "h2", "h3", "li", "label", "button", "a", "dt", "dd", "summary", "q"}
    SKIPPED = {"script", "style", "template", "textarea"}
    VOID = {"input", "br", "img", "hr", "meta", "link", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.open: list[tuple[str, bool]] = []  # (tag, hidden)
        self.parts: list[str] = []

    def _shown(self) -> bool:
        return any(tag == "main" for tag, _ in self.open) and not any(h for _, h in self.open)

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append("\n")
        if tag in self.VOID:
            return
        hidden = tag in self.SKIPPED or ("hidden", None) in attrs
        self.open.append((tag, hidden or ("aria-hidden", "true") in attrs))

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append("\n")
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if self._shown():
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "".join(parser.parts)


def flesch_douma(text: str) -> float:
    sentences = [s for s in SENTENCE_END.split(text + "\n") if WORD.search(s)]
    words = WORD.findall(text)
    syllables = sum(max(1, len(VOWEL_GROUPS.findall(word))) for word in words)
    return 206.835 - 0.93 * len(words) / len(sentences) - 77 * syllables / len(words)


def test_the_measure_tells_plain_from_official_dutch():
    plain = "Je werkt met je team. Je vraagt om hulp. Dat is goed."
    official = (
        "Overeenkomstig de toepasselijke arbeidsvoorwaardenregeling dient de werknemer "
        "zorgvuldigheidsverplichtingen na te komen ten aanzien van de bedrijfsvoering."
    )

    assert flesch_douma(plain) >= B1
    assert flesch_douma(official) < B1


@pytest.fixture
def participant(client, world):
    load_shipped()
    assignment = Assignment.objects.order_by("skill__number", "number").first()
    chosen = TrajectorySkillFactory(trajectory=world.trajectory, skill=assignment.skill)
    progress = AssignmentProgressFactory(trajectory_skill=chosen, assignment=assignment)
    GuidanceConversationFactory(trajectory=world.trajectory)
    GuidanceConversationFactory(
        trajectory=world.trajectory,
        planned_at=None,
        held_at=timezone.now(),
        agreements="Je vraagt deze week twee keer om hulp.",
    )
    open_personal_link(client, world.trajectory)
    client.progress = progress
    return client


def page_text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return visible_text(response.content.decode())


@pytest.mark.parametrize("page", ["home", "assignment"])
def test_the_participants_pages_read_at_b1_or_simpler(participant, page):
    url = {
        "home": reverse("trajects:mine"),
        "assignment": reverse("trajects:mine_assignment", args=[participant.progress.pk]),
    }[page]

    text = page_text(participant, url)

    assert len(WORD.findall(text)) > 40, text
    assert flesch_douma(text) >= B1, text


def test_the_pages_after_the_link_read_at_b1_or_simpler(client, world):
    client.post(reverse("trajects:mine_done"))
    ended = visible_text(client.get(reverse("trajects:mine")).content.decode())
    done = visible_text(client.get(reverse("trajects:mine_done")).content.decode())

    assert flesch_douma(ended + "\n" + done) >= B1
