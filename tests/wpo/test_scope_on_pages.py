"""Beyond 404 for single records: pages that list people never name someone outside the
user's scope, whatever else is on them."""

import pytest
from django.urls import reverse

from tests.factories import InterestFactory


def trainer_hides(w):
    return [w.colleague_trajectory.participant, w.other_trajectory.participant]


def coach_hides(w):
    return [w.other_trajectory.participant]


# case: (role, page, the people that must not appear)
CASES = {
    "trainer home": ("trainer", lambda w: reverse("trajects:trainer_home"), trainer_hides),
    "trainer's participant page": (
        "trainer",
        lambda w: reverse("trajects:trajectory", args=[w.trajectory.pk]),
        trainer_hides,
    ),
    "trainer's history page": (
        "trainer",
        lambda w: reverse("trajects:history", args=[w.trajectory.pk]),
        trainer_hides,
    ),
    "coach home": ("coach", lambda w: reverse("trajects:coach_home"), coach_hides),
    "coach on a colleague's participant": (
        "coach",
        lambda w: reverse("trajects:trajectory", args=[w.colleague_trajectory.pk]),
        coach_hides,
    ),
    "coach's AVG export": (
        "coach",
        lambda w: reverse("trajects:personal_data", args=[w.trajectory.participant_id]),
        lambda w: [*coach_hides(w), w.colleague_trajectory.participant],
    ),
    "other department's trainer home": (
        "other_trainer",
        lambda w: reverse("trajects:trainer_home"),
        lambda w: [w.trajectory.participant],
    ),
    "other department's coach home": (
        "other_coach",
        lambda w: reverse("trajects:coach_home"),
        lambda w: [w.trajectory.participant],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_pages_never_name_people_outside_the_users_scope(client, world, case):
    InterestFactory(person__department=world.other_department, person__first_name="Buiten")
    role, url, hidden = CASES[case]
    client.force_login(world.user(role))

    response = client.get(url(world))

    page = response.content.decode()
    assert response.status_code == 200
    for person in hidden(world):
        assert person.full_name not in page, (case, person.full_name)
    if role in ("trainer", "coach"):
        assert "Buiten" not in page
