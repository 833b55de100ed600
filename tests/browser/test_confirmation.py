"""The participant confirms a conversation on the trainer's 360 px phone: a page of their own,
without the trainer's menu or anyone else's name, that takes only their own initials; one tap
gives the page back to the trainer."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import PASSWORD, GuidanceConversationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_participant_confirms_with_own_initials_and_hands_the_phone_back(phone, world):
    participant = world.trajectory.participant
    participant.first_name, participant.infix, participant.last_name = "Fatima", "el", "Amrani"
    participant.save()
    held = GuidanceConversationFactory(
        trajectory=world.trajectory,
        planned_at=None,
        held_at=timezone.now(),
        recorded_at=timezone.now(),
        participant_account="Ik heb zelf de planning gelezen.",
        agreements="Elke ochtend eerst de planning lezen.",
    )
    log_in(phone, world.trainer.user.username, PASSWORD)
    phone.goto(reverse("trajects:trajectory", args=[world.trajectory.pk]))

    phone.get_by_role("link", name="Besproken met mij").click()
    expect(phone.get_by_role("heading", name="Fatima, is dit met jou besproken?")).to_be_visible()
    expect(phone.get_by_text("Elke ochtend eerst de planning lezen.")).to_be_visible()
    expect(phone.get_by_role("navigation")).to_have_count(0)
    expect(phone.get_by_text(world.colleague_trajectory.participant.full_name)).to_have_count(0)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    phone.get_by_label("Je voorletters").fill("XQ")
    phone.get_by_role("button", name="Ja, besproken met mij").click()
    expect(phone.get_by_text("Dit zijn niet de voorletters van Fatima el Amrani")).to_be_visible()
    expect(phone.get_by_label("Je voorletters")).to_have_value("XQ")

    phone.get_by_label("Je voorletters").fill("f. a.")
    phone.get_by_role("button", name="Ja, besproken met mij").click()
    expect(phone.get_by_text("Al bevestigd (f. a.).")).to_be_visible()
    expect(phone.get_by_role("navigation")).to_have_count(0)

    phone.get_by_role("link", name="Terug naar werkplekopleider").click()
    expect(phone.get_by_role("heading", name="Fatima el Amrani")).to_be_visible()
    expect(phone.get_by_role("navigation", name="Hoofdmenu")).to_be_visible()
    held.refresh_from_db()
    assert held.participant_initials == "f. a."
