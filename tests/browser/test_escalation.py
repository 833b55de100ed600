"""An escalation goes round trip in Chromium: the coach puts a problem to the project manager
from a participant's page, the project manager answers it, the coach sees the answer; then
both write on in its thread, each told by e-mail, until the coach marks it solved."""

import pytest
from django.core import mail as outbox
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import log_in, log_out
from tests.browser.test_accessibility import serious
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.long]


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


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


def test_an_escalation_is_followed_up_both_ways_and_solved_with_its_thread_kept(page, world):
    for person in (world.coach, world.project_manager):
        person.user.email = f"{person.first_name.lower()}@example.nl"
        person.user.save(update_fields=["email"])
    log_in(page, world.coach.user.username, PASSWORD)
    page.goto("/escalations/new/")
    page.get_by_label("Onderwerp").fill("Geen tijd voor WPO")
    page.get_by_label("Wat is het probleem").fill("De productie gaat steeds voor.")
    page.get_by_role("button", name="Naar de projectmanager sturen").click()
    expect(page.locator(".escalation")).to_contain_text("wacht op antwoord")
    log_out(page)
    run_worker()
    assert [(m.to, m.subject) for m in outbox.outbox] == [
        (["pieter@example.nl"], "Escalatie: Geen tijd voor WPO")
    ]

    log_in(page, world.project_manager.user.username, PASSWORD)
    expect(page.locator(".escalations-waiting")).to_contain_text("1")
    page.locator(".escalations-waiting a").click()
    page.get_by_role("link", name="Geen tijd voor WPO").click()
    page.get_by_label("Je antwoord aan de coach").fill("Eén uur per week is voor WPO.")
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.get_by_role("status")).to_contain_text("Het antwoord is verstuurd")
    log_out(page)
    run_worker()
    assert outbox.outbox[-1].to == ["carla@example.nl"]
    assert "Eén uur per week is voor WPO." in outbox.outbox[-1].body

    log_in(page, world.coach.user.username, PASSWORD)
    page.goto("/escalations/")
    page.get_by_role("link", name="Geen tijd voor WPO").click()
    page.get_by_label("Je bericht").fill("Welk uur? De ploegen wisselen.")
    page.get_by_role("button", name="Toevoegen aan het gesprek").click()
    expect(page.locator(".thread")).to_contain_text("Welk uur? De ploegen wisselen.")
    assert serious(page) == []
    log_out(page)
    run_worker()
    assert outbox.outbox[-1].to == ["pieter@example.nl"]

    log_in(page, world.project_manager.user.username, PASSWORD)
    expect(page.locator(".escalations-waiting")).to_contain_text("1")
    page.goto("/escalations/")
    page.get_by_role("link", name="Geen tijd voor WPO").click()
    page.get_by_label("Je bericht").fill("Het eerste uur van elke dienst.")
    page.get_by_role("button", name="Toevoegen aan het gesprek").click()
    expect(page.locator(".thread")).to_contain_text("Het eerste uur van elke dienst.")
    log_out(page)
    run_worker()
    assert outbox.outbox[-1].to == ["carla@example.nl"]

    log_in(page, world.coach.user.username, PASSWORD)
    page.goto("/escalations/")
    page.get_by_role("link", name="Geen tijd voor WPO").click()
    page.get_by_role("button", name="Het probleem is opgelost").click()
    expect(page.locator(".escalation-solved")).to_contain_text("Opgelost op")
    thread = page.locator(".thread li")
    expect(thread).to_have_count(2)
    expect(thread.nth(1)).to_contain_text("Het eerste uur van elke dienst.")
    expect(page.get_by_label("Je bericht")).to_have_count(0)
    assert serious(page) == []
    run_worker()
    assert outbox.outbox[-1].to == ["pieter@example.nl"]
    assert outbox.outbox[-1].subject == "Opgelost: Geen tijd voor WPO"
