"""Plans end with what they belong to: a trajectory that closes or stops calls off its planned
conversations (kept in history, with the reason), a passed or stopped assignment lets go of
its planned conversation, and a pause calls off the conversations planned inside it when the
trainer says so. Links to move or correct a conversation show only where that can be done."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import (
    AssignmentProgressFactory,
    GuidanceConversationFactory,
    TrajectorySkillFactory,
)
from trajects import history, services
from trajects.models import CallOff, GuidanceConversation, Outcome, Phase, ProgressStatus
from wpo.services import StepRefused

TODAY = timezone.localdate


def days_ago(days):
    return TODAY() - datetime.timedelta(days=days)


def in_days(days, hour=10):
    day = TODAY() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def plan(trajectory, days=7, progress=None):
    return GuidanceConversationFactory(
        trajectory=trajectory, planned_at=in_days(days), progress=progress
    )


def called_off(conversation):
    """The history row written when `conversation` was called off."""
    return GuidanceConversation.history.get(id=conversation.pk, history_type="-")


@pytest.fixture
def in_closing(world):
    world.trajectory.phase = Phase.CLOSING
    world.trajectory.save(update_fields=["phase"])
    return world.trajectory


@pytest.fixture
def progress(world):
    return AssignmentProgressFactory(
        trajectory_skill=TrajectorySkillFactory(trajectory=world.trajectory),
        status=ProgressStatus.WORKING,
        introduced_on=days_ago(20),
        get_started_on=days_ago(15),
        look_back_due_on=days_ago(5),
    )


def test_closing_a_trajectory_calls_off_its_planned_conversations(world, in_closing):
    planned = plan(in_closing)

    services.close_trajectory(in_closing, on=TODAY(), by=world.trainer.user)

    assert not in_closing.conversations.exists()
    assert called_off(planned).history_change_reason == CallOff.TRAJECTORY_CLOSED
    assert called_off(planned).history_user == world.trainer.user


def test_stopping_a_trajectory_calls_off_its_planned_conversations(world):
    planned = plan(world.trajectory)

    services.stop_trajectory(world.trajectory, on=TODAY(), reason="Andere baan")

    assert not world.trajectory.conversations.exists()
    assert called_off(planned).history_change_reason == CallOff.TRAJECTORY_STOPPED


def test_a_held_conversation_stays_when_the_trajectory_closes(in_closing):
    held = GuidanceConversationFactory(trajectory=in_closing, held_at=timezone.now())

    services.close_trajectory(in_closing, on=TODAY())

    assert list(in_closing.conversations.all()) == [held]


def test_the_history_page_says_why_a_conversation_was_called_off(world):
    plan(world.trajectory)

    services.stop_trajectory(world.trajectory, on=TODAY(), reason="Andere baan")

    removed = [c for c in history.changes(world.trajectory) if str(c.action) == "verwijderd"]
    assert [str(change.reason) for change in removed] == ["afgezegd: het traject is gestopt"]


def test_a_conversation_called_off_by_hand_will_not_take_place(world):
    planned = plan(world.trajectory)

    services.cancel_conversation(planned, by=world.trainer.user)

    assert called_off(planned).history_change_reason == CallOff.WILL_NOT_TAKE_PLACE


def test_passing_an_assignment_lets_go_of_its_planned_conversation(world, progress):
    progress.status = ProgressStatus.INDEPENDENT_WEEK
    progress.look_back_done_on = days_ago(9)
    progress.goal_reached_on = days_ago(8)
    progress.independent_until = days_ago(1)
    progress.save()
    planned = plan(world.trajectory, progress=progress)

    services.hold_conversation(
        world.trajectory,
        held_at=timezone.now(),
        progress=progress,
        outcome=Outcome.PASSED,
        participant_account="Ik vroeg zelf om hulp.",
        trainer_observations="Ik zag het elke dag.",
    )

    planned.refresh_from_db()
    assert planned.progress is None
    assert planned.planned_at == in_days(7)


def test_stopping_an_assignment_lets_go_of_its_planned_conversation(world, progress):
    passed = AssignmentProgressFactory(
        trajectory_skill=TrajectorySkillFactory(trajectory=world.trajectory),
        status=ProgressStatus.PASSED,
        introduced_on=days_ago(40),
        passed_on=days_ago(3),
    )
    planned = plan(world.trajectory, progress=progress)

    services.start_assessment(world.trajectory, on=TODAY())

    planned.refresh_from_db()
    assert planned.progress is None
    assert passed.conversations.count() == 0


def pause(trajectory, *, call_off):
    return services.pause_trajectory(
        trajectory,
        starts_on=TODAY(),
        resume_on=TODAY() + datetime.timedelta(days=14),
        reason="Ziek thuis",
        call_off_planned=call_off,
    )


def test_a_pause_calls_off_the_conversations_planned_inside_it_when_asked(world):
    inside, after = plan(world.trajectory, days=3), plan(world.trajectory, days=14)

    pause(world.trajectory, call_off=True)

    assert list(world.trajectory.conversations.all()) == [after]
    assert called_off(inside).history_change_reason == CallOff.PAUSED


def test_a_pause_keeps_the_conversations_planned_inside_it_when_asked(world):
    inside = plan(world.trajectory, days=3)

    pause(world.trajectory, call_off=False)

    assert list(world.trajectory.conversations.all()) == [inside]


def test_a_planned_conversation_of_an_ended_trajectory_cannot_be_moved(world):
    planned = plan(world.trajectory)
    assert planned.can_be_moved

    world.trajectory.stopped_on, world.trajectory.stop_reason = TODAY(), "Andere baan"
    world.trajectory.save()
    planned.refresh_from_db()

    assert not planned.can_be_moved


def test_a_held_conversation_of_an_ended_trajectory_cannot_be_corrected(world, in_closing):
    held = GuidanceConversationFactory(
        trajectory=in_closing, held_at=timezone.now(), recorded_at=timezone.now()
    )
    assert held.can_be_edited

    in_closing.closed_on = TODAY()
    in_closing.save()
    held.refresh_from_db()

    assert not held.can_be_edited
    with pytest.raises(StepRefused):
        services.edit_conversation(held, participant_account="x", trainer_observations="y")
