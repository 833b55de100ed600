"""The dates the method's clocks run from, kept on the trajectory by the steps that move them:
they always say what the rows say (`manage.py check_deadlines` looks), and a pause stops them."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.factories import AssignmentFactory, TrajectorySkillFactory
from trajects import deadlines, services
from trajects.models import Outcome, Pause, Phase, Trajectory

TODAY = timezone.localdate


def days_ago(days):
    return TODAY() - datetime.timedelta(days=days)


def no_drift():
    return deadlines.drift(Trajectory.objects.all()) == []


def check_deadlines(*args) -> str:
    out = io.StringIO()
    call_command("check_deadlines", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def starting(world):
    """The participant in the start phase, a skill chosen, since 60 days."""
    Trajectory.objects.filter(pk=world.trajectory.pk).update(
        phase=Phase.START, agreed_start=days_ago(60)
    )
    world.trajectory.refresh_from_db()
    return TrajectorySkillFactory(trajectory=deadlines.refresh(world.trajectory))


def test_the_test_worlds_trajectories_start_with_the_dates_their_rows_say(world):
    """The factory sets them without asking the rows: it must agree with them."""
    assert no_drift()


def test_every_step_stores_the_dates_its_rows_say(world, starting):
    trajectory = world.trajectory
    assignment = AssignmentFactory(skill=starting.skill)
    progress = services.introduce_assignment(starting, assignment, on=days_ago(40))
    assert no_drift()
    services.record_get_started(
        progress, get_started_on=days_ago(30), look_back_due_on=days_ago(20)
    )
    assert no_drift()
    services.pause_trajectory(trajectory, starts_on=days_ago(25), resume_on=TODAY(), reason="Ziek")
    assert no_drift()
    services.resume_trajectory(trajectory, on=days_ago(15))
    assert no_drift()
    services.record_look_back(progress, look_back_done_on=days_ago(10))
    assert no_drift()
    services.hold_conversation(
        trajectory,
        held_at=timezone.now() - datetime.timedelta(days=5),
        progress=progress,
        outcome=Outcome.GOAL_REACHED,
        participant_account="Ik werk nu zelfstandig.",
        trainer_observations="Het gaat goed.",
    )
    assert no_drift()
    services.stop_trajectory(trajectory, on=TODAY(), reason="Vertrokken")
    assert no_drift()


def test_a_pause_stops_the_clocks_and_a_resume_moves_them_on_by_its_days(world, starting):
    trajectory = world.trajectory
    progress = services.introduce_assignment(
        starting, AssignmentFactory(skill=starting.skill), on=days_ago(40)
    )
    services.pause_trajectory(trajectory, starts_on=days_ago(30), resume_on=TODAY(), reason="Ziek")
    trajectory.refresh_from_db()
    assert trajectory.paused_since == days_ago(30)
    assert trajectory.clock() == days_ago(30)

    services.resume_trajectory(trajectory, on=days_ago(20))

    trajectory.refresh_from_db()
    assert trajectory.paused_since is None
    assert trajectory.assignment_since == progress.introduced_on + datetime.timedelta(days=10)
    assert trajectory.year_since == days_ago(50)
    assert trajectory.conversation_since == days_ago(30)  # the learning phase, plus the pause


def test_the_check_reports_a_change_made_past_the_services_and_fix_stores_it(world):
    Pause.objects.create(
        trajectory=world.trajectory, starts_on=days_ago(3), resume_on=TODAY(), reason="Ziek"
    )

    with pytest.raises(CommandError, match="1 stored date"):
        check_deadlines()
    fixed = check_deadlines("--fix")

    assert f"trajectory {world.trajectory.pk}: paused_since is None" in fixed
    assert "no drift" in check_deadlines()


def test_the_demo_organisation_has_no_drift(db):
    call_command("demo", stdout=io.StringIO())

    assert "no drift" in check_deadlines()
