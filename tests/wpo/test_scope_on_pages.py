"""Beyond 404 for single records: pages that list people never name someone outside the
user's scope, whatever else is on them."""

import pytest
from django.urls import reverse

from tests.factories import (
    CertificateFactory,
    EscalationFactory,
    InterestFactory,
    MeetingAttendanceFactory,
    MeetingFactory,
)


def trainer_hides(w):
    return [w.colleague_trajectory.participant, w.other_trajectory.participant]


def coach_hides(w):
    return [w.other_trajectory.participant]


def certificates_to_print(w):
    for trajectory in (w.trajectory, w.colleague_trajectory, w.other_trajectory):
        CertificateFactory(trajectory=trajectory)
    return reverse("certificates:batch_new")


def coaches_work(w):
    """Each coach has a kick-off with their participant invited and an escalation about them.
    `coach`'s kick-off comes back."""
    meetings = []
    for coach, trajectory in ((w.coach, w.trajectory), (w.other_coach, w.other_trajectory)):
        meeting = MeetingFactory(organiser=coach)
        meeting.departments.add(trajectory.department)
        MeetingAttendanceFactory(meeting=meeting, person=trajectory.participant)
        EscalationFactory(raised_by=coach, department=trajectory.department, trajectory=trajectory)
        meetings.append(meeting)
    return meetings[0]


def after_coaches_work(name, **kwargs):
    def url(w):
        coaches_work(w)
        return reverse(name, kwargs=kwargs)

    return url


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
    "coach printing certificates": ("coach", certificates_to_print, coach_hides),
    "other department's coach printing certificates": (
        "other_coach",
        certificates_to_print,
        lambda w: [w.trajectory.participant, w.colleague_trajectory.participant],
    ),
    "coach's participant list download": (
        "coach",
        lambda w: reverse("trajects:coach_export", args=["csv"]),
        coach_hides,
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
    "coach's meetings": ("coach", after_coaches_work("trajects:meetings"), coach_hides),
    "coach's kick-off page": (
        "coach",
        lambda w: reverse("trajects:meeting", args=[coaches_work(w).pk]),
        coach_hides,
    ),
    "coach planning a kick-off": (
        "coach",
        after_coaches_work("trajects:meeting_plan", kind="kickoff"),
        coach_hides,
    ),
    "coach's escalations": ("coach", after_coaches_work("trajects:escalations"), coach_hides),
    "coach raising an escalation": (
        "coach",
        after_coaches_work("trajects:escalation_new"),
        coach_hides,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_pages_never_name_people_outside_the_users_scope(client, world, case):
    InterestFactory(person__department=world.other_department, person__first_name="Buiten")
    role, url, hidden = CASES[case]
    client.force_login(world.user(role))

    response = client.get(url(world))

    page = response.getvalue().decode()  # a CSV download streams
    assert response.status_code == 200
    for person in hidden(world):
        assert person.full_name not in page, (case, person.full_name)
    if role in ("trainer", "coach"):
        assert "Buiten" not in page
