"""Beyond 404 for single records: pages that list people never name someone outside the
user's scope, whatever else is on them."""

import pytest
from django.urls import reverse

from tests.factories import InterestFactory


def pages(world):
    """(role, page, names that must not appear) for every page that lists people."""
    own, colleague, other = (
        world.trajectory,
        world.colleague_trajectory,
        world.other_trajectory,
    )
    hidden_from_trainer = [colleague.participant.full_name, other.participant.full_name]
    hidden_from_coach = [other.participant.full_name]
    return [
        ("trainer", reverse("trajects:trainer_home"), hidden_from_trainer),
        ("trainer", reverse("trajects:trajectory", args=[own.pk]), hidden_from_trainer),
        ("trainer", reverse("trajects:history", args=[own.pk]), hidden_from_trainer),
        ("coach", reverse("trajects:coach_home"), hidden_from_coach),
        ("coach", reverse("trajects:trajectory", args=[colleague.pk]), hidden_from_coach),
        (
            "coach",
            reverse("trajects:personal_data", args=[own.participant_id]),
            [*hidden_from_coach, colleague.participant.full_name],
        ),
        ("other_trainer", reverse("trajects:trainer_home"), [own.participant.full_name]),
        ("other_coach", reverse("trajects:coach_home"), [own.participant.full_name]),
    ]


@pytest.mark.parametrize("index", range(8))
def test_pages_never_name_people_outside_the_users_scope(client, world, index):
    InterestFactory(person__department=world.other_department, person__first_name="Buiten")
    role, url, hidden = pages(world)[index]
    client.force_login(world.user(role))

    response = client.get(url)

    page = response.content.decode()
    assert response.status_code == 200
    for name in hidden:
        assert name not in page, (role, url, name)
    if role in ("trainer", "coach"):
        assert "Buiten" not in page
