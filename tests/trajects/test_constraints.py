"""The method's rules that the database itself guards."""

import datetime

import pytest
from django.db import IntegrityError

from tests.factories import (
    AssignmentFactory,
    AssignmentProgressFactory,
    GuidanceConversationFactory,
    TrajectoryFactory,
    TrajectorySkillFactory,
)
from trajects.models import ProgressStatus


def test_agreed_end_must_be_after_the_start(db):
    with pytest.raises(IntegrityError):
        TrajectoryFactory(
            agreed_start=datetime.date(2026, 5, 1), agreed_end=datetime.date(2026, 4, 1)
        )


def test_a_participant_has_one_open_trajectory_at_a_time(db):
    first = TrajectoryFactory()

    with pytest.raises(IntegrityError):
        TrajectoryFactory(participant=first.participant, department=first.department)


def test_a_participant_may_start_again_after_closing(db):
    first = TrajectoryFactory(phase=4, closed_on=datetime.date(2026, 3, 1))

    TrajectoryFactory(participant=first.participant, department=first.department)


def test_only_a_trajectory_in_its_closing_can_be_closed(db):
    with pytest.raises(IntegrityError):
        TrajectoryFactory(phase=2, closed_on=datetime.date(2026, 3, 1))


def test_stopping_needs_a_reason(db):
    with pytest.raises(IntegrityError):
        TrajectoryFactory(stopped_on=datetime.date(2026, 3, 1), stop_reason="")


def test_a_skill_has_one_assignment_in_progress_at_a_time(db):
    chosen = TrajectorySkillFactory()
    AssignmentProgressFactory(trajectory_skill=chosen, status=ProgressStatus.WORKING)

    with pytest.raises(IntegrityError):
        AssignmentProgressFactory(
            trajectory_skill=chosen,
            assignment=AssignmentFactory(skill=chosen.skill, number=2),
            status=ProgressStatus.WORKING,
        )


def test_an_assignment_number_exists_once_per_skill(db):
    first = AssignmentFactory(number=3)
    first.pk = None

    with pytest.raises(IntegrityError):
        first.save()


def test_level_must_be_a_b_or_c(db):
    with pytest.raises(IntegrityError):
        AssignmentFactory(level="D")


def test_an_assessment_needs_both_level_and_date(db):
    with pytest.raises(IntegrityError):
        TrajectorySkillFactory(achieved_level="B", assessed_on=None)


def test_an_outcome_is_only_recorded_for_a_held_conversation(db):
    with pytest.raises(IntegrityError):
        GuidanceConversationFactory(outcome="passed", held_at=None)
