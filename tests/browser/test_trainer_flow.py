"""A workplace trainer on a 360 px phone walks a whole trajectory, from the registration to the
closing phase. Every save happens without a full page load: htmx swaps the changed part (or,
for the pages between, the body), so a marker set on `window` survives each one."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assignments import catalogue
from tests.browser.conftest import log_in
from tests.factories import PASSWORD
from trajects.models import AssignmentProgress, Trajectory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def mark(page):
    page.evaluate("window.wpoMarker = 'still the same page'")


def assert_not_reloaded(page):
    assert page.evaluate("window.wpoMarker") == "still the same page", "the page was reloaded"


def button(page, name):
    return page.get_by_role("button", name=name, exact=True)


def a_week_ago(**days_ago):
    """Time passes: the assignment in progress had its steps `days_ago` days earlier."""
    today = timezone.localdate()
    AssignmentProgress.objects.open().update(
        **{name: today - datetime.timedelta(days=days) for name, days in days_ago.items()}
    )


def record_conversation(page, outcome, *, second_assessor=None):
    page.get_by_text(re.compile(r"^Gesprek vastleggen")).first.click()
    form = page.locator("#conversations form").first
    form.locator("[name=participant_account]").fill("Ik heb twee keer zelf om uitleg gevraagd.")
    form.locator("[name=trainer_observations]").fill(
        "Ik zag dat je bij de nieuwe klus meteen vroeg."
    )
    form.locator("[name=positive_feedback]").fill("Je bleef rustig toen het misging.")
    form.get_by_label(outcome, exact=True).check()
    if second_assessor:
        form.get_by_text(re.compile(r"^Meer:")).click()
        form.locator("[name=second_assessor]").select_option(label=second_assessor)
    button(form, "Gesprek opslaan").click()


def test_trainer_walks_a_trajectory_from_intake_to_closing_on_a_phone(phone, world):
    catalogue.load_shipped()
    log_in(phone, world.trainer.user.username, PASSWORD)
    expect(phone.get_by_role("heading", name="Mijn deelnemers")).to_be_visible()
    mark(phone)

    # Phase 1: intake, start, skill choice card
    phone.get_by_role("link", name="Medewerker aanmelden die wil meedoen").click()
    phone.locator("[name=first_name]").fill("Noor")
    phone.locator("[name=last_name]").fill("Haddou")
    phone.locator("[name=wish]").fill("Beter omgaan met feedback")
    button(phone, "Aanmelding opslaan").click()
    expect(phone.get_by_role("heading", name="WPO-traject van Noor Haddou starten")).to_be_visible()
    assert_not_reloaded(phone)

    button(phone, "Start").click()
    expect(phone.get_by_role("heading", name="Skill-keuzekaart")).to_be_visible()
    assert_not_reloaded(phone)

    card = phone.locator(".skill-choice li").first
    card.get_by_role("checkbox").check()
    card.get_by_label("niveau B").check()
    button(phone, "Gekozen skills opslaan").click()
    expect(phone.get_by_role("heading", name="Noor Haddou")).to_be_visible()
    assert_not_reloaded(phone)

    # Phase 2: the first assignment
    phone.get_by_role("link", name="WPO-opdracht uitleggen").click()
    button(phone, "Uitleggen").click()
    expect(phone.get_by_role("heading", name="Aan-de-slag-opdracht")).to_be_visible()
    expect(phone.get_by_role("heading", name="Terugkijkopdracht")).to_be_visible()
    assert_not_reloaded(phone)
    phone.get_by_role("link", name="← Noor Haddou").click()
    expect(phone.locator("#phase")).to_contain_text("fase 2: Leer/werkperiode")

    phone.locator("#note-form [name=text]").fill(
        "Vroeg vandaag zelf om uitleg bij de nieuwe machine."
    )
    button(phone, "Notitie opslaan").click()
    expect(phone.locator("#timeline-events > li").first).to_contain_text(
        "Vroeg vandaag zelf om uitleg"
    )
    expect(phone.locator("#note-form [name=text]")).to_have_value("")
    assert_not_reloaded(phone)

    button(phone, "Aan-de-slag-opdracht vandaag gedaan").click()
    expect(phone.locator("#status")).to_contain_text("Samen terugkijken op")
    assert_not_reloaded(phone)

    # A week later: time to look back.
    a_week_ago(introduced_on=8, get_started_on=7, look_back_due_on=0)
    phone.reload()
    mark(phone)

    record_conversation(phone, "leerdoel nog niet gehaald: verder oefenen")
    expect(phone.locator("#timeline")).to_contain_text("twee keer zelf om uitleg")
    assert_not_reloaded(phone)

    button(phone, "Vandaag teruggekeken").click()
    expect(phone.locator("#timeline")).to_contain_text("Terugkijkopdracht gedaan")
    assert_not_reloaded(phone)

    record_conversation(phone, "leerdoel gehaald: zelfstandige week")
    expect(phone.locator("#status")).to_contain_text("zelfstandige week tot")
    assert_not_reloaded(phone)

    # A week later: the independent week is over.
    a_week_ago(goal_reached_on=7, independent_until=0)
    phone.reload()
    mark(phone)
    expect(phone.locator("#status")).to_contain_text("vervolggesprek houden")

    record_conversation(
        phone, "gehaald na de zelfstandige week", second_assessor=world.coach.full_name
    )
    expect(phone.locator("#timeline")).to_contain_text("Opdracht gehaald")
    assert_not_reloaded(phone)

    phone.get_by_role("link", name="Volgende opdracht uitleggen").click()
    button(phone, "Uitleggen").click()
    expect(phone.get_by_role("heading", name="Aan-de-slag-opdracht")).to_be_visible()
    assert_not_reloaded(phone)
    phone.get_by_role("link", name="← Noor Haddou").click()

    # Phase 3: evaluation and assessment
    phone.get_by_role("link", name="Naar evaluatie en beoordeling").click()
    button(phone, "Naar evaluatie en beoordeling").click()
    expect(phone.locator("#phase")).to_contain_text("fase 3: Evaluatie en beoordeling")
    assert_not_reloaded(phone)

    phone.get_by_role("link", name="Deze skill beoordelen").click()
    button(phone, "Beoordeling opslaan").click()
    expect(phone.locator("#status")).to_contain_text("beoordeeld op")
    assert_not_reloaded(phone)

    # Phase 4: the closing
    phone.get_by_role("link", name="Naar de afsluiting").click()
    button(phone, "Naar de afsluiting").click()
    expect(phone.locator("#phase")).to_contain_text("fase 4: Afsluiting")
    assert_not_reloaded(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    trajectory = Trajectory.objects.get(participant__last_name="Haddou")
    assert trajectory.phase == 4
    assert trajectory.skills.get().achieved_level == "A"
    assert trajectory.conversations.held().count() == 3


def test_a_conversation_with_a_mistake_comes_back_in_place_with_what_was_typed(phone, world):
    log_in(phone, world.trainer.user.username, PASSWORD)
    phone.get_by_role("link", name=world.trajectory.participant.full_name).click()
    mark(phone)

    phone.get_by_text(re.compile(r"^Gesprek vastleggen")).first.click()
    form = phone.locator("#conversations form").first
    form.locator("[name=participant_account]").fill("Wat ik typte blijft staan.")
    button(form, "Gesprek opslaan").click()

    expect(phone.locator("#conversations")).to_contain_text("Dit veld is verplicht")
    expect(phone.locator("#conversations [name=participant_account]")).to_have_value(
        "Wat ik typte blijft staan."
    )
    assert_not_reloaded(phone)
    assert not world.trajectory.conversations.exists()


def test_a_floor_note_is_saved_without_javascript_too(browser, live_server, settings, world):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, world.trainer.user.username, PASSWORD)
    page.goto(f"/trajectories/{world.trajectory.pk}/")

    page.locator("#note-form [name=text]").fill("Zonder JavaScript opgeslagen.")
    button(page, "Notitie opslaan").click()

    expect(page.locator("#timeline")).to_contain_text("Zonder JavaScript opgeslagen.")
    context.close()
