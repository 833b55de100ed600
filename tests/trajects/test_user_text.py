"""Someone's words are isolated where they are shown: a direction mark typed into a name or a
note (U+202E turns the text after it around) cannot change how the rest of the page reads."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import FloorNoteFactory, InterestFactory
from wpo.models import Person

RIGHT_TO_LEFT_OVERRIDE = "\u202e"


@pytest.fixture
def marked(world):
    """The participant's name, a note and a registration's wish with the mark in them, stored
    as they are (past whatever cleans what is typed), so only the display stands between."""
    participant = world.trajectory.participant
    with connection.cursor() as cursor:  # the name field itself strips it: straight to the row
        cursor.execute(
            f"UPDATE {Person._meta.db_table} SET last_name = %s WHERE id = %s",
            [f"Amrani{RIGHT_TO_LEFT_OVERRIDE}exe", participant.pk],
        )
    FloorNoteFactory(trajectory=world.trajectory, text=f"Vroeg {RIGHT_TO_LEFT_OVERRIDE}hulp")
    InterestFactory(
        person__department=world.department,
        department=world.department,
        supervisor=world.trainer,
        wish=f"Plannen {RIGHT_TO_LEFT_OVERRIDE}leren",
    )
    return world


def outside_bdi(page: str) -> str:
    """The page's body with everything inside a <bdi> taken out."""
    body = page.split("<body", 1)[1]
    return re.sub(r"<bdi>.*?</bdi>", "", body, flags=re.DOTALL)


@pytest.mark.parametrize(
    "url",
    [
        lambda w: reverse("trajects:trainer_home"),
        lambda w: reverse("trajects:trajectory", args=[w.trajectory.pk]),
    ],
    ids=["trainer home", "participant page"],
)
def test_a_direction_mark_in_a_name_or_note_stays_inside_its_bdi(client, marked, url):
    client.force_login(marked.trainer.user)

    page = client.get(url(marked)).content.decode()

    assert page.count(RIGHT_TO_LEFT_OVERRIDE) >= 2
    assert RIGHT_TO_LEFT_OVERRIDE not in outside_bdi(page)
