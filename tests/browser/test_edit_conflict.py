"""A coach and a trainer correct the same conversation at once. The trainer saves first; the
coach's save is refused with both texts on the page, the coach's own still in the field, and
saving again then stores it."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import _new_page, log_in
from tests.factories import PASSWORD, GuidanceConversationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def other_page(browser, live_server, settings):
    context, page = _new_page(browser, live_server, settings)
    yield page
    context.close()


def test_the_second_save_shows_both_texts_and_keeps_what_was_typed(page, other_page, world):
    held = GuidanceConversationFactory(
        trajectory=world.trajectory,
        held_at=timezone.now(),
        planned_at=None,
        recorded_at=timezone.now(),
        participant_account="Eerste versie.",
        trainer_observations="Gezien.",
    )
    coach, trainer = page, other_page
    for browser_page, person in ((coach, world.coach), (trainer, world.trainer)):
        log_in(browser_page, person.user.username, PASSWORD)
        browser_page.goto(f"/conversations/{held.pk}/edit/")
    coach.locator("[name=participant_account]").fill("Wat de coach typte.")

    trainer.locator("[name=participant_account]").fill("Wat de werkplekopleider typte.")
    trainer.get_by_role("button", name="Correctie opslaan").click()
    expect(trainer.get_by_text("Gesprek gecorrigeerd")).to_be_visible()
    coach.get_by_role("button", name="Correctie opslaan").click()

    conflict = coach.locator(".conflict")
    expect(conflict).to_contain_text("Wat de werkplekopleider typte.")
    expect(coach.locator("[name=participant_account]")).to_have_value("Wat de coach typte.")
    coach.get_by_role("button", name="Correctie opslaan").click()
    expect(coach.get_by_text("Gesprek gecorrigeerd")).to_be_visible()
    held.refresh_from_db()
    assert held.participant_account == "Wat de coach typte."
