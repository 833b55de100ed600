"""The participant's own WPO on a 360 px phone: the trainer makes a personal link and prints
the card; the participant scans it, reads the assignment, answers, looks back, confirms a
conversation and presses "Klaar"; the trainer reads the answers; a new link ends the old one.
The participant's phone has a Dutch voice (headless Chromium has none) to read aloud with."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, _new_page, log_in
from tests.browser.speech import DUTCH, give_voices
from tests.certificates.conftest import decode_qr
from tests.factories import PASSWORD, AssignmentProgressFactory, GuidanceConversationFactory
from trajects.models import ParticipantWords
from trajects.services.participant import make_link
from wpo.idempotency import TOKEN_FIELD
from wpo.models import Submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.long]


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


def open_own_page(own, world):
    own.goto(reverse("trajects:participant_open", args=[make_link(world.trajectory)]))
    expect(own).to_have_url(re.compile(r"/mijn/$"))


def test_a_double_tap_on_save_stores_the_answer_once(phone, world):
    """The first tap's post reaches the server, but its answer is still on its way when the
    second tap comes (a slow connection): the second post gets the first one's answer."""
    progress = AssignmentProgressFactory(trajectory_skill__trajectory=world.trajectory)
    open_own_page(phone, world)
    phone.goto(reverse("trajects:mine_assignment", args=[progress.pk]))
    question = phone.locator("#question-1")
    question.get_by_label("Jouw antwoord").fill("Ik vraag het aan Ans.")
    save = question.get_by_role("button", name="Opslaan")
    save.scroll_into_view_if_needed()
    box = save.bounding_box()  # found now: while a post is on its way, locators wait for it
    posts, held = [], []
    phone.on("request", lambda request: request.method == "POST" and posts.append(request))
    phone.context.route(
        "**/vraag/1/", lambda route: route.continue_() if held else held.append(route)
    )

    phone.mouse.click(box["x"] + 5, box["y"] + 5)
    while not held:
        phone.wait_for_timeout(20)  # the browser hands the first post to the route
    held[0].fetch(max_redirects=0)  # it reaches the server; the browser has no answer yet
    phone.mouse.click(box["x"] + 5, box["y"] + 5)

    expect(phone.get_by_text("Bewaard. Je opleider kan het nu lezen.")).to_have_count(1)
    expect(phone.locator("#question-1").get_by_label("Jouw antwoord")).to_have_value(
        "Ik vraag het aan Ans."
    )
    assert len(posts) == 2
    assert ParticipantWords.objects.count() == 1
    assert Submission.objects.count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_same_answer_sent_twice_is_answered_twice_alike(phone, world):
    """As a phone on a bad connection sends the post again: the same form, its token, twice."""
    progress = AssignmentProgressFactory(trajectory_skill__trajectory=world.trajectory)
    open_own_page(phone, world)
    phone.goto(reverse("trajects:mine_assignment", args=[progress.pk]))
    form = phone.locator("#question-1 form")
    fields = {
        "csrfmiddlewaretoken": form.locator("[name=csrfmiddlewaretoken]").input_value(),
        TOKEN_FIELD: form.locator(f"[name={TOKEN_FIELD}]").input_value(),
        "q1-version": form.locator("[name=q1-version]").input_value(),
        "q1-text": "Eén keer bewaard.",
    }
    url = reverse("trajects:mine_answer", args=[progress.pk, 1])
    options = {"headers": {"Referer": phone.url}, "max_redirects": 0}

    first = phone.request.post(url, form=fields, **options)
    second = phone.request.post(url, form=fields, **options)

    assert first.status == second.status == 302
    assert second.headers["location"] == first.headers["location"]
    assert ParticipantWords.objects.get().text == "Eén keer bewaard."
    assert Submission.objects.count() == 1
