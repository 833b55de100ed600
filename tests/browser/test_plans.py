"""Plans end with what they belong to: a trainer who pauses a trajectory is asked about the
conversations planned inside the pause; called off, they leave the page and the history says
why; a stopped trajectory offers no link to move a conversation."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import PASSWORD, GuidanceConversationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def in_days(days):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def test_a_pause_calls_off_the_conversation_planned_inside_it(phone, world):
    GuidanceConversationFactory(trajectory=world.trajectory, planned_at=in_days(3))
    log_in(phone, world.trainer.user.username, PASSWORD)
    phone.goto(reverse("trajects:trajectory", args=[world.trajectory.pk]))
    expect(phone.get_by_role("link", name="Verzetten of afzeggen")).to_be_visible()

    phone.get_by_role("link", name="Pauzeren").click()
    phone.get_by_label("Verwacht terug op").fill(
        (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    )
    phone.get_by_label("Reden (ziekte, verlof, een reorganisatie)").fill("Ziek thuis")
    phone.get_by_label("Afzeggen").check()
    phone.get_by_role("button", name="WPO-traject pauzeren").click()

    expect(phone.get_by_text("Gepauzeerd sinds")).to_be_visible()
    expect(phone.get_by_text("Geen gesprek gepland")).to_be_visible()
    expect(phone.get_by_role("link", name="Verzetten of afzeggen")).to_have_count(0)
    phone.get_by_role("link", name="Geschiedenis van wijzigingen").click()
    expect(phone.get_by_text("afgezegd: gepland tijdens de pauze")).to_be_visible()


def test_a_stopped_trajectory_offers_no_link_to_move_or_correct(phone, world):
    GuidanceConversationFactory(
        trajectory=world.trajectory,
        planned_at=None,
        held_at=timezone.now(),
        recorded_at=timezone.now(),
        participant_account="Ik heb zelf om hulp gevraagd.",
    )
    log_in(phone, world.trainer.user.username, PASSWORD)
    phone.goto(reverse("trajects:trajectory", args=[world.trajectory.pk]))
    expect(phone.get_by_role("link", name="Corrigeren")).to_be_visible()

    phone.get_by_role("link", name="Traject stoppen").click()
    phone.get_by_label("Reden").fill("Andere baan")
    phone.get_by_role("button", name="WPO-traject stoppen").click()

    expect(phone.get_by_text("Het traject is gestopt.")).to_be_visible()
    expect(phone.get_by_role("link", name="Corrigeren")).to_have_count(0)
