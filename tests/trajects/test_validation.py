"""Rules across rows, checked by the models' clean() (admin forms and services call it)."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import (
    AssignmentFactory,
    AssignmentProgressFactory,
    FloorNoteFactory,
    GuidanceConversationFactory,
    SkillFactory,
)


def test_trajectory_with_its_department_trainer_and_coach_is_valid(world):
    world.trajectory.full_clean()


def test_trainer_of_another_department_cannot_guide_the_trajectory(world):
    world.trajectory.trainer = world.other_trainer

    with pytest.raises(ValidationError, match="werkplekopleider van deze afdeling"):
        world.trajectory.full_clean()


def test_coach_must_coach_the_trajectorys_department(world):
    world.trajectory.coach = world.other_coach

    with pytest.raises(ValidationError, match="coach van deze afdeling"):
        world.trajectory.full_clean()


def test_assignment_must_belong_to_the_chosen_skill(world):
    progress = AssignmentProgressFactory(trajectory_skill__trajectory=world.trajectory)
    progress.assignment = AssignmentFactory(skill=SkillFactory())

    with pytest.raises(ValidationError, match="andere skill"):
        progress.full_clean()


def test_conversation_cannot_be_about_another_participants_assignment(world):
    other = AssignmentProgressFactory(trajectory_skill__trajectory=world.other_trajectory)
    conversation = GuidanceConversationFactory.build(trajectory=world.trajectory, progress=other)

    with pytest.raises(ValidationError, match="ander"):
        conversation.full_clean()


def test_floor_note_cannot_be_about_another_participants_assignment(world):
    other = AssignmentProgressFactory(trajectory_skill__trajectory=world.other_trajectory)
    note = FloorNoteFactory.build(trajectory=world.trajectory, progress=other)

    with pytest.raises(ValidationError, match="ander"):
        note.full_clean()
