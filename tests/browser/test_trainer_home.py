"""The trainer's home on a phone is ordered by what comes next, under the headings Vandaag,
Deze week, Later and Geen gesprek gepland: on Monday 1 December, 3 December before 7."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from tests.browser.conftest import log_in
from tests.factories import PASSWORD, GuidanceConversationFactory, TrajectoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def december(day, hour):
    return datetime.datetime(2025, 12, day, hour, 0, tzinfo=AMSTERDAM)


def test_the_trainer_home_on_a_phone_reads_in_the_order_of_what_comes_next(
    phone, world, monkeypatch
):
    now = december(1, 9)  # a Monday
    monkeypatch.setattr(timezone, "now", lambda: now)  # the live server runs in this process
    world.trajectory.delete()
    for name, planned in [
        ("Aalders", december(7, 10)),
        ("Bakker", december(3, 10)),
        ("Claes", december(1, 14)),
        ("Dekker", None),
        ("Evers", december(15, 10)),
    ]:
        trajectory = TrajectoryFactory(
            department=world.department,
            trainer=world.trainer,
            participant__first_name="Sam",
            participant__last_name=name,
        )
        if planned:
            GuidanceConversationFactory(trajectory=trajectory, planned_at=planned)
    log_in(phone, world.trainer.user.username, PASSWORD)
    phone.goto("/trainer/")

    read = phone.locator("main h2, main .participant-card h3").all_inner_texts()

    assert read == [
        "Vandaag",
        "Sam Claes",
        "Deze week",
        "Sam Bakker",
        "Sam Aalders",
        "Later",
        "Sam Evers",
        "Geen gesprek gepland",
        "Sam Dekker",
        "Wachten op start",
    ]
