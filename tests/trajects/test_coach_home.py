"""The coach's home: which departments, participants and trainers need the coach this week."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AssignmentProgressFactory,
    GuidanceConversationFactory,
    InterestFactory,
    TrajectoryFactory,
    TrajectorySkillFactory,
    many_participants,
)
from trajects.models import Phase, ProgressStatus

URL = reverse("trajects:coach_home")


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def participant(world, name, **fields):
    return TrajectoryFactory(
        department=world.department,
        trainer=world.trainer,
        coach=world.coach,
        participant__first_name=name,
        participant__department=world.department,
        **fields,
    )


@pytest.fixture
def coach(client, world):
    client.force_login(world.coach.user)
    return client


def rows(response):
    return [trajectory.participant.first_name for trajectory in response.context["trajectories"]]


def test_participants_with_a_red_signal_come_first(coach, world):
    participant(world, "Rustig", phase=Phase.START)
    participant(world, "Laat", agreed_start=days_ago(200), agreed_end=days_ago(60))

    names = rows(coach.get(URL))

    assert names.index("Laat") < names.index("Rustig")


def test_each_signal_shows_its_reason_in_words(coach, world):
    participant(world, "Laat", agreed_start=days_ago(200), agreed_end=days_ago(14))

    page = coach.get(URL).content.decode()

    assert "traject 2 weken over de afgesproken einddatum" in page


def test_filter_by_signal_keeps_only_those_participants(coach, world):
    participant(world, "Rustig", phase=Phase.START)
    participant(world, "Laat", agreed_start=days_ago(200), agreed_end=days_ago(60))

    assert rows(coach.get(URL, {"signal": "past_end"})) == ["Laat"]
    assert rows(coach.get(URL, {"signal": "red"})) == ["Laat"]


def test_filter_by_phase(coach, world):
    participant(world, "Afsluiter", phase=Phase.CLOSING)

    assert rows(coach.get(URL, {"phase": Phase.CLOSING})) == ["Afsluiter"]


def test_filter_by_trainer_leaves_out_a_colleagues_participants(coach, world):
    assert rows(coach.get(URL, {"trainer": world.trainer.pk})) == [
        world.trajectory.participant.first_name
    ]


def test_filter_by_department_keeps_everyone_of_that_department(coach, world):
    names = rows(coach.get(URL, {"department": world.department.pk, "trainer": ""}))

    assert sorted(names) == sorted(
        t.participant.first_name for t in (world.trajectory, world.colleague_trajectory)
    )


def test_a_department_the_coach_does_not_coach_is_not_a_choice(coach, world):
    response = coach.get(URL, {"department": world.other_department.pk})

    assert response.status_code == 200
    assert response.context["filters"].errors["department"]
    assert world.other_trajectory.participant.full_name not in response.content.decode()


def test_nonsense_in_the_filter_is_ignored_not_an_error(coach, world):
    response = coach.get(URL, {"phase": "vijf", "signal": "<script>", "trainer": "x"})

    assert response.status_code == 200
    assert world.trajectory in response.context["trajectories"]


def test_htmx_filter_gets_only_the_participants_part(coach, world):
    response = coach.get(URL, {"phase": 2}, headers={"HX-Request": "true"})
    page = response.content.decode()

    assert page.lstrip().startswith('<div id="participants"')
    assert "<html" not in page


def test_trainer_load_and_last_contact(coach, world):
    held = timezone.now() - datetime.timedelta(days=3)
    GuidanceConversationFactory(trajectory=world.trajectory, planned_at=None, held_at=held)
    for name in ("Een", "Twee", "Drie", "Vier"):
        participant(world, name)

    trainer = next(row for row in coach.get(URL).context["trainers"] if row.pk == world.trainer.pk)

    assert trainer.active == 5
    assert timezone.localdate(trainer.last_contact) == timezone.localdate(held)
    assert "begeleidt 5 deelnemers tegelijk (norm: 4)" in str(trainer.signal.reason)


def test_registrations_waiting_longer_than_the_norm_have_a_signal(coach, world):
    InterestFactory(person__department=world.department, registered_on=days_ago(40))

    waiting = coach.get(URL).context["waiting"]

    assert str(waiting[0].signal.reason) == "wacht al 5 weken en 5 dagen op een start"


def test_this_week_shows_planned_conversations_and_independent_weeks_ending(coach, world):
    GuidanceConversationFactory(
        trajectory=world.trajectory, planned_at=timezone.now() + datetime.timedelta(hours=5)
    )
    chosen = TrajectorySkillFactory(trajectory=world.trajectory)
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    progress = AssignmentProgressFactory(
        trajectory_skill=chosen,
        status=ProgressStatus.INDEPENDENT_WEEK,
        goal_reached_on=monday - datetime.timedelta(days=3),
        independent_until=monday + datetime.timedelta(days=4),
    )

    context = coach.get(URL).context

    assert [c.trajectory for c in context["conversations"]] == [world.trajectory]
    assert list(context["independent_weeks"]) == [progress]


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize("query", ["", "?signal=any&phase=2"])
def test_coach_home_runs_the_same_queries_for_30_and_300_participants(coach, world, query):
    many_participants(world.department, world.trainer, world.coach, 30)
    small = queries_for(coach, URL + query)
    many_participants(world.department, world.trainer, world.coach, 270)
    large = queries_for(coach, URL + query)

    assert small == large == 17


def test_the_excel_download_holds_the_filtered_list_as_the_page_shows_it(coach, world):
    import io

    from openpyxl import load_workbook

    participant(world, "Laat", agreed_start=days_ago(200), agreed_end=days_ago(14), phase=1)
    participant(world, "Rustig", phase=Phase.START)
    query = {"signal": "any"}
    shown = coach.get(URL, query).context["trajectories"]

    response = coach.get(reverse("trajects:coach_export", args=["xlsx"]), query)
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *lines = list(sheet.values)

    assert header[:3] == ("Signaal", "Redenen", "Deelnemer")
    assert [line[2] for line in lines] == [t.participant.full_name for t in shown]
    late = next(line for line in lines if line[2].startswith("Laat"))
    assert late[:2] == ("aandacht nodig", "traject 2 weken over de afgesproken einddatum")


def test_the_excel_download_holds_conversation_dates_as_dates(coach, world):
    import io

    from openpyxl import load_workbook

    planned = GuidanceConversationFactory(trajectory=participant(world, "Gepland"))

    response = coach.get(reverse("trajects:coach_export", args=["xlsx"]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    row = next(row for row in sheet.iter_rows(min_row=2) if row[2].value.startswith("Gepland"))
    next_conversation = row[8]
    assert next_conversation.is_date
    assert next_conversation.value.date() == timezone.localdate(planned.planned_at)


def test_a_download_in_an_unknown_format_is_not_found(coach):
    assert coach.get(reverse("trajects:coach_export", args=["pdfx"])).status_code == 404
