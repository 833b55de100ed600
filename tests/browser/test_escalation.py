"""An escalation goes round trip in Chromium: the coach puts a problem to the project manager
from a participant's page, the project manager answers it, the coach sees the answer."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, log_out
from tests.browser.test_accessibility import serious
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_escalation_goes_from_the_coach_to_the_project_manager_and_back(page, world):
    participant = world.trajectory.participant.full_name
    log_in(page, world.coach.user.username, PASSWORD)
    page.goto(f"/trajectories/{world.trajectory.pk}/")
    page.get_by_role("link", name="Probleem voorleggen aan de projectmanager").click()
    expect(page.get_by_label("Over één deelnemer (mag leeg blijven)")).to_contain_text(participant)
    page.get_by_label("Onderwerp").fill("Geen rustige ruimte voor gesprekken")
    page.get_by_label("Wat is het probleem").fill("De spreekkamer is steeds bezet.")
    page.get_by_role("button", name="Naar de projectmanager sturen").click()
    expect(page.get_by_role("heading", name="Escalaties")).to_be_visible()
    expect(page.locator(".escalation")).to_contain_text("wacht op antwoord")
    log_out(page)

    log_in(page, world.project_manager.user.username, PASSWORD)
    page.goto("/escalations/")
    page.get_by_role("link", name="Geen rustige ruimte voor gesprekken").click()
    expect(page.locator(".facts")).to_contain_text(participant)
    assert serious(page) == []
    page.get_by_label("Je antwoord aan de coach").fill("Zaal 3 is elke dinsdag voor WPO.")
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.locator(".escalation-answered")).to_contain_text("Zaal 3 is elke dinsdag")
    log_out(page)

    log_in(page, world.coach.user.username, PASSWORD)
    page.goto("/escalations/")
    answered = page.locator(".escalation-answered")
    expect(answered).to_contain_text("Geen rustige ruimte voor gesprekken")
    expect(answered).to_contain_text("beantwoord op")
    expect(answered).to_contain_text("Zaal 3 is elke dinsdag voor WPO.")
    assert serious(page) == []
