"""A conversation recorded on a phone while its plan changed elsewhere: the coach, or the
trainer on another phone, moved or called off the planned conversation before the save arrived
(from the outbox, say). What was held is saved on its own, a plan moved on purpose stays, and
the trainer is told in words; the save is still stored once."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import GuidanceConversationFactory
from trajects import services
from trajects.models import GuidanceConversation

HTMX = {"HTTP_HX_REQUEST": "true"}
TOKEN = "een-eenmalig-token-van-het-formulier"


def today_at(hour):
    day = timezone.localdate()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def planned(world):
    """This morning's conversation, still to record."""
    return GuidanceConversationFactory(
        trajectory=world.trajectory, planned_at=today_at(0) + datetime.timedelta(minutes=30)
    )


@pytest.fixture
def trainer(client, world):
    client.force_login(world.trainer.user)
    return client


def hold(trajectory, planned, planned_for):
    return services.hold_conversation(
        trajectory,
        held_at=planned_for,
        participant_account="Ik heb de machine zelf omgesteld.",
        trainer_observations="Je controleerde eerst de instellingen.",
        planned=planned,
        planned_for=planned_for,
    )


def test_a_conversation_recorded_for_its_plan_as_seen_is_that_plan(world, planned):
    held = hold(world.trajectory, planned, planned.planned_at)

    assert held.pk == planned.pk


def test_a_conversation_whose_plan_was_moved_is_saved_on_its_own_and_the_plan_stays(world, planned):
    seen = planned.planned_at
    services.reschedule_conversation(planned, planned_at=today_at(0) + datetime.timedelta(days=7))

    held = hold(world.trajectory, planned, seen)

    assert held.pk != planned.pk
    planned.refresh_from_db()
    assert planned.held_at is None
    assert planned.planned_at == today_at(0) + datetime.timedelta(days=7)


def test_a_conversation_whose_plan_was_called_off_is_saved_on_its_own(world, planned):
    seen = planned.planned_at
    services.cancel_conversation(planned)

    held = hold(world.trajectory, planned, seen)

    assert GuidanceConversation.objects.held().get() == held


def posted(world, planned_pk, planned_for):
    return {
        "submission_token": TOKEN,
        "held_at": timezone.localtime(planned_for).strftime("%Y-%m-%dT%H:%M"),
        "participant_account": "Ik heb de machine zelf omgesteld.",
        "trainer_observations": "Je controleerde eerst de instellingen.",
        "planned": planned_pk,
        "planned_for": planned_for.isoformat(),
    }


def test_the_participant_page_sends_the_plan_as_it_was_seen(trainer, world, planned):
    page = trainer.get(reverse("trajects:trajectory", args=[world.trajectory.pk]))

    sent = re.search(r'name="planned_for" value="([^"]+)"', page.content.decode())[1]
    assert datetime.datetime.fromisoformat(sent) == planned.planned_at


def test_the_trainer_is_told_where_the_moved_plan_went_and_the_save_is_stored_once(
    trainer, world, planned
):
    data = posted(world, planned.pk, planned.planned_at)
    GuidanceConversation.objects.filter(pk=planned.pk).update(
        planned_at=timezone.make_aware(datetime.datetime(2026, 12, 18, 14, 0))
    )
    url = reverse("trajects:hold_conversation", args=[world.trajectory.pk])

    first = trainer.post(url, data, **HTMX).content.decode()
    again = trainer.post(url, data, **HTMX).content.decode()

    assert "intussen verzet naar vrijdag 18 december, 14:00" in first
    assert "blijft gepland" in first
    assert again == first
    assert GuidanceConversation.objects.held().count() == 1
    assert GuidanceConversation.objects.planned().get() == planned


def test_the_trainer_is_told_the_plan_was_called_off_meanwhile(trainer, world, planned):
    data = posted(world, planned.pk, planned.planned_at)
    planned.delete()

    response = trainer.post(
        reverse("trajects:hold_conversation", args=[world.trajectory.pk]), data, follow=True
    )

    assert "intussen afgezegd" in response.content.decode()
    assert GuidanceConversation.objects.held().count() == 1
