"""The participant's own WPO on a 360 px phone: the trainer makes a personal link and prints
the card; the participant scans it, reads the assignment, answers, looks back, confirms a
conversation and presses "Klaar"; the trainer reads the answers; a new link ends the old one.
The participant's phone has a Dutch voice (headless Chromium has none) to read aloud with."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, _new_page, log_in
from tests.browser.speech import DUTCH, give_voices
from tests.certificates.conftest import decode_qr
from tests.factories import PASSWORD, AssignmentProgressFactory, GuidanceConversationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_participant_works_on_their_own_page(
    phone, browser, live_server, settings, world, tmp_path
):
    progress = AssignmentProgressFactory(
        trajectory_skill__trajectory=world.trajectory, assignment__title="Om hulp vragen"
    )
    GuidanceConversationFactory(
        trajectory=world.trajectory,
        progress=progress,
        planned_at=None,
        held_at=timezone.now(),
        recorded_at=timezone.now(),
        agreements="Vraag Ans om hulp bij het inpakken.",
    )
    trajectory_url = reverse("trajects:trajectory", args=[world.trajectory.pk])

    # the trainer makes the link and prints the card
    log_in(phone, world.trainer.user.username, PASSWORD)
    phone.goto(trajectory_url)
    phone.get_by_role("button", name="Persoonlijke link maken").click()
    expect(phone.get_by_role("img", name="QR-code van de persoonlijke link")).to_be_visible()
    with phone.expect_download() as download:
        phone.get_by_role("button", name="Deelnemerskaart printen (PDF)").click()
    card = tmp_path / "card.pdf"
    download.value.save_as(card)
    [link] = decode_qr(card.read_bytes(), tmp_path)

    # the participant scans it on their own phone
    context, own = _new_page(browser, live_server, settings, **PHONE)
    give_voices(own, [DUTCH])
    own.goto(link)
    expect(own).to_have_url(f"{live_server.url}/mijn/")
    expect(own.get_by_role("navigation")).to_have_count(0)
    assert own.evaluate("document.documentElement.scrollWidth") <= 360

    own.get_by_role("link", name="Open je opdracht").click()
    expect(own.get_by_role("heading", name="Om hulp vragen")).to_be_visible()
    expect(own.get_by_text("Vraag Ans om hulp bij het inpakken.")).to_be_visible()
    own.locator("#goal").get_by_role("button", name="Lees voor").click()
    [spoken] = own.evaluate("window.spoken")
    assert spoken["lang"] == "nl-NL"
    assert spoken["text"].startswith("1. Wat je leert\n")
    assert progress.assignment.learning_goal in spoken["text"]
    assert own.evaluate("document.documentElement.scrollWidth") <= 360
    own.locator("#question-1").get_by_label("Jouw antwoord").fill("Ik vraag het aan Ans.")
    own.locator("#question-1").get_by_role("button", name="Opslaan").click()
    expect(own.get_by_text("Bewaard. Je opleider kan het nu lezen.")).to_be_visible()
    look_back = own.locator("#look-back")
    look_back.get_by_role("radio", name="goed").check()
    look_back.get_by_label("Of schrijf hoe het ging").fill("Het ging goed, Ans hielp me.")
    look_back.get_by_role("button", name="Opslaan").click()
    expect(look_back.get_by_role("radio", name="goed")).to_be_checked()
    expect(look_back.get_by_label("Of schrijf hoe het ging")).to_have_value(
        "Het ging goed, Ans hielp me."
    )

    own.get_by_role("link", name="Terug naar je pagina").click()
    own.get_by_role("button", name="Besproken met mij").click()
    expect(own.get_by_text("Dank je. Je opleider ziet dat je het eens bent.")).to_be_visible()
    own.get_by_role("button", name="Klaar").click()
    expect(own.get_by_text("Je bent klaar. Tot de volgende keer.")).to_be_visible()
    own.goto("/mijn/")
    expect(own.get_by_text("Deze link werkt niet meer.")).to_be_visible()

    # the trainer reads it, and a new link ends the old one
    phone.goto(trajectory_url)
    expect(phone.get_by_text("Ik vraag het aan Ans.").first).to_be_visible()
    expect(phone.get_by_text("Het ging goed, Ans hielp me.").first).to_be_visible()
    expect(phone.locator(".words-feeling").first).to_have_text("Goed")
    phone.get_by_role("button", name="Nieuwe link maken").click()
    expect(phone.get_by_role("img", name="QR-code van de persoonlijke link")).to_be_visible()
    own.goto(link)
    expect(own.get_by_text("Deze link werkt niet meer.")).to_be_visible()
    context.close()
