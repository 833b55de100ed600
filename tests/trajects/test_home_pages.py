"""The role home pages: what they show, and that they run a fixed number of queries whatever
the number of participants."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assignments import catalogue
from tests.factories import (
    AssignmentProgressFactory,
    FloorNoteFactory,
    GuidanceConversationFactory,
    InterestFactory,
    PauseFactory,
    PhaseChangeFactory,
    TrajectoryFactory,
    TrajectorySkillFactory,
)
from trajects.models import Outcome, ProgressStatus

PAGES = {
    "trajects:trainer_home": "trainer",
}


def add_participants(world, count):
    for index in range(count):
        trajectory = TrajectoryFactory(
            department=world.department, trainer=world.trainer, coach=world.coach
        )
        chosen = TrajectorySkillFactory(trajectory=trajectory)
        AssignmentProgressFactory(trajectory_skill=chosen, status=ProgressStatus.WORKING)
        GuidanceConversationFactory(trajectory=trajectory)
        GuidanceConversationFactory(
            trajectory=trajectory, planned_at=timezone.now() - datetime.timedelta(days=2)
        )
        if index % 3 == 0:
            PauseFactory(trajectory=trajectory)
        InterestFactory(person__department=world.department)


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_home_page_runs_the_same_number_of_queries_for_3_and_30_participants(client, world, name):
    client.force_login(world.user(PAGES[name]))
    url = reverse(name)
    add_participants(world, 3)
    small = queries_for(client, url)
    add_participants(world, 27)
    large = queries_for(client, url)

    assert small == large
    assert large <= 12


def test_trainer_home_shows_current_assignment_and_next_conversation(client, world):
    chosen = TrajectorySkillFactory(trajectory=world.trajectory)
    progress = AssignmentProgressFactory(
        trajectory_skill=chosen,
        status=ProgressStatus.WORKING,
        introduced_on=timezone.localdate() - datetime.timedelta(days=15),
    )
    GuidanceConversationFactory(trajectory=world.trajectory)
    client.force_login(world.trainer.user)

    page = client.get(reverse("trajects:trainer_home")).content.decode()

    assert progress.assignment.title in page
    assert "2 weken" in page
    assert "Volgend gesprek" in page


def test_trainer_home_puts_what_comes_next_first(client, world):
    def participant(last_name, *conversation_days):
        trajectory = TrajectoryFactory(
            department=world.department,
            trainer=world.trainer,
            participant__last_name=last_name,
        )
        for days in conversation_days:
            GuidanceConversationFactory(
                trajectory=trajectory, planned_at=timezone.now() + datetime.timedelta(days=days)
            )

    world.trajectory.delete()
    participant("Aalders")  # nothing planned: last
    participant("Bakker", 7, 3)  # in 3 days
    participant("Claes", 1, 14)  # tomorrow
    participant("Dekker", -2)  # still to record: first
    client.force_login(world.trainer.user)

    page = client.get(reverse("trajects:trainer_home")).content.decode()

    positions = [page.index(name) for name in ("Dekker", "Claes", "Bakker", "Aalders")]
    assert positions == sorted(positions)


@pytest.mark.parametrize(("days_late", "due"), [(-1, False), (0, True), (1, True)])
def test_trainer_home_flags_a_look_back_from_its_day_in_the_badge_and_the_to_do(
    client, world, days_late, due
):
    chosen = TrajectorySkillFactory(trajectory=world.trajectory)
    AssignmentProgressFactory(
        trajectory_skill=chosen,
        status=ProgressStatus.WORKING,
        get_started_on=timezone.localdate() - datetime.timedelta(days=days_late + 7),
        look_back_due_on=timezone.localdate() - datetime.timedelta(days=days_late),
    )
    client.force_login(world.trainer.user)

    page = client.get(reverse("trajects:trainer_home")).content.decode()

    assert ("terugkijkopdracht te doen" in page) is due
    assert ("terugkijken op de aan-de-slag-opdracht" in page) is due


def test_coach_home_counts_participants_per_phase_in_coached_departments_only(client, world):
    TrajectoryFactory(department=world.department, phase=1)
    client.force_login(world.coach.user)

    response = client.get(reverse("trajects:coach_home"))

    rows = {d.name: d for d in response.context["departments"]}
    assert set(rows) == {world.department.name}
    # world: a trajectory of `trainer` and one of a colleague, both in the learning period
    assert (rows[world.department.name].phase_1, rows[world.department.name].phase_2) == (1, 2)


def test_organisation_totals_add_up_over_all_departments(client, world):
    TrajectoryFactory(department=world.other_department, phase=3)
    client.force_login(world.project_manager.user)

    response = client.get(reverse("trajects:organisation"))

    assert response.context["report"].totals["active"] == 4
    assert response.context["report"].totals["phase_3"] == 1


def test_out_of_scope_names_never_appear_on_the_trainer_home(client, world):
    client.force_login(world.trainer.user)

    page = client.get(reverse("trajects:trainer_home")).content.decode()

    assert world.trajectory.participant.full_name in page
    assert world.other_trajectory.participant.full_name not in page


def add_history(trajectory, count):
    """Each round: a skill with a passed and a current assignment, a planned and a held
    conversation, a note from the trainer, a pause and a phase change."""
    author = trajectory.trainer.user
    for _ in range(count):
        chosen = TrajectorySkillFactory(trajectory=trajectory)
        AssignmentProgressFactory(
            trajectory_skill=chosen,
            status=ProgressStatus.PASSED,
            passed_on=timezone.localdate(),
            second_assessor=trajectory.coach,
        )
        current = AssignmentProgressFactory(
            trajectory_skill=chosen,
            assignment__number=2,
            status=ProgressStatus.WORKING,
        )
        GuidanceConversationFactory(trajectory=trajectory, progress=current)
        GuidanceConversationFactory(
            trajectory=trajectory,
            progress=current,
            planned_at=None,
            held_at=timezone.now(),
            outcome=Outcome.CONTINUE,
            author=author,
            second_assessor=trajectory.coach,
        )
        FloorNoteFactory(trajectory=trajectory, progress=current, author=author)
        PauseFactory(trajectory=trajectory, resumed_on=timezone.localdate())
        PhaseChangeFactory(trajectory=trajectory, by=author)


def test_participant_page_runs_the_same_number_of_queries_for_a_short_and_a_long_history(
    client, world
):
    client.force_login(world.trainer.user)
    url = reverse("trajects:trajectory", kwargs={"pk": world.trajectory.pk})
    add_history(world.trajectory, 1)
    short = queries_for(client, url)
    add_history(world.trajectory, 8)
    long = queries_for(client, url)

    # the participant's own words, and planned conversations apart from the latest held
    assert short == long <= 14


def test_catalogue_page_runs_a_fixed_number_of_queries(client, world):
    catalogue.load_shipped()
    client.force_login(world.trainer.user)

    assert queries_for(client, reverse("assignments:catalogue")) <= 8


@pytest.mark.parametrize(("minutes_ago", "to_record"), [(-30, False), (30, True)])
def test_a_conversation_is_to_record_on_the_participant_page_when_it_is_on_the_to_do(
    client, world, minutes_ago, to_record
):
    GuidanceConversationFactory(
        trajectory=world.trajectory,
        planned_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )
    client.force_login(world.trainer.user)

    home = client.get(reverse("trajects:trainer_home")).content.decode()
    detail = client.get(reverse("trajects:trajectory", args=[world.trajectory.pk]))

    assert ("Gesprek van" in home) is to_record
    assert ("nog vastleggen" in detail.content.decode()) is to_record


AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def at(day, hour=9, minute=0, month=12):
    """A moment in late 2025, Amsterdam time (1 December is a Monday)."""
    return datetime.datetime(2025, month, day, hour, minute, tzinfo=AMSTERDAM)


@pytest.fixture
def wednesday_3_december(monkeypatch):
    now = at(3, 9, 0)
    monkeypatch.setattr(timezone, "now", lambda: now)
    return now


def headings_on_the_trainer_home(client, world, planned):
    """Each participant's name under the heading the trainer home puts them, for participants
    with their one conversation planned at `planned[name]` (None: nothing planned)."""
    world.trajectory.delete()
    for name, moment in planned.items():
        trajectory = TrajectoryFactory(
            department=world.department, trainer=world.trainer, participant__last_name=name
        )
        if moment:
            GuidanceConversationFactory(trajectory=trajectory, planned_at=moment)
    client.force_login(world.trainer.user)
    response = client.get(reverse("trajects:trainer_home"))
    return {
        str(heading): [row.participant.last_name for row in rows]
        for heading, rows in response.context["groups"]
    }


def test_trainer_home_puts_today_up_to_midnight_under_today(client, world, wednesday_3_december):
    groups = headings_on_the_trainer_home(
        client, world, {"Vandaag": at(3, 23, 59), "Morgen": at(4, 0, 0)}
    )

    assert groups == {"Vandaag": ["Vandaag"], "Deze week": ["Morgen"]}


def test_trainer_home_puts_a_conversation_still_to_record_under_today(
    client, world, wednesday_3_december
):
    groups = headings_on_the_trainer_home(
        client, world, {"Vanochtend": at(3, 8, 0), "Vorige week": at(26, 10, 0, month=11)}
    )

    assert groups == {"Vandaag": ["Vorige week", "Vanochtend"]}


def test_trainer_home_ends_this_week_on_sunday_night(client, world, wednesday_3_december):
    groups = headings_on_the_trainer_home(
        client, world, {"Zondag": at(7, 23, 59), "Maandag": at(8, 0, 0)}
    )

    assert groups == {"Deze week": ["Zondag"], "Later": ["Maandag"]}


def test_trainer_home_puts_3_december_before_7_december_whatever_the_names(
    client, world, wednesday_3_december
):
    groups = headings_on_the_trainer_home(
        client, world, {"Aalders": at(7, 10, 0), "Zwart": at(4, 15, 0)}
    )

    assert groups == {"Deze week": ["Zwart", "Aalders"]}


def test_trainer_home_lists_who_has_no_conversation_planned_last(
    client, world, wednesday_3_december
):
    groups = headings_on_the_trainer_home(
        client, world, {"Aalders": None, "Bakker": at(20, 10, 0), "Claes": at(3, 14, 0)}
    )

    assert list(groups.items()) == [
        ("Vandaag", ["Claes"]),
        ("Later", ["Bakker"]),
        ("Geen gesprek gepland", ["Aalders"]),
    ]


def test_trainer_home_shows_the_headings_in_order_above_their_participants(
    client, world, wednesday_3_december
):
    headings_on_the_trainer_home(
        client, world, {"Aalders": at(5, 10, 0), "Bakker": None, "Claes": at(3, 16, 0)}
    )

    page = client.get(reverse("trajects:trainer_home")).content.decode()

    order = ["<h2>Vandaag</h2>", "Claes", "<h2>Deze week</h2>", "Aalders"]
    order += ["<h2>Geen gesprek gepland</h2>", "Bakker", "<h2>Wachten op start</h2>"]
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions)
