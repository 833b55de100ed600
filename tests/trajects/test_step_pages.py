"""A step page reached by its address when the step cannot be taken now says why, in the words
the step itself refuses with, and offers nothing to submit."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AssignmentProgressFactory, PauseFactory, TrajectorySkillFactory
from trajects.models import ProgressStatus

INVALID = 422


@pytest.fixture
def trainer(client, world):
    client.force_login(world.trainer.user)
    return client


def step_page(client, trajectory, step):
    return client.get(reverse("trajects:trajectory_step", args=[trajectory.pk, step]))


def passed(trajectory, **fields):
    return AssignmentProgressFactory(
        trajectory_skill=TrajectorySkillFactory(trajectory=trajectory),
        status=ProgressStatus.PASSED,
        introduced_on=timezone.localdate() - datetime.timedelta(days=20),
        passed_on=timezone.localdate() - datetime.timedelta(days=2),
        **fields,
    )


def test_the_closing_in_the_learning_phase_says_which_phase_it_belongs_to(trainer, world):
    page = step_page(trainer, world.trajectory, "closing").content.decode()

    assert "Dit kan alleen in de fase Evaluatie en beoordeling" in page
    assert "De skills zijn beoordeeld" not in page
    assert 'name="on"' not in page


def test_the_evaluation_without_a_passed_assignment_says_so(trainer, world):
    page = step_page(trainer, world.trajectory, "assessment").content.decode()

    assert "Er is nog geen opdracht gehaald" in page
    assert 'name="on"' not in page


def test_resuming_without_a_pause_says_so(trainer, world):
    page = step_page(trainer, world.trajectory, "resume").content.decode()

    assert "niet gepauzeerd" in page


def test_pausing_a_paused_trajectory_says_so(trainer, world):
    PauseFactory(trajectory=world.trajectory)

    page = step_page(trainer, world.trajectory, "pause").content.decode()

    assert "al gepauzeerd" in page
    assert 'name="reason"' not in page


def test_a_step_that_can_be_taken_shows_its_form(trainer, world):
    passed(world.trajectory)

    page = step_page(trainer, world.trajectory, "assessment").content.decode()

    assert 'name="on"' in page
    assert "De leer/werkperiode eindigt" in page


def test_the_step_refuses_a_post_in_the_same_words(trainer, world):
    response = trainer.post(
        reverse("trajects:trajectory_step", args=[world.trajectory.pk, "closing"]),
        {"on": timezone.localdate().isoformat()},
    )

    assert response.status_code == INVALID
    assert "Dit kan alleen in de fase Evaluatie en beoordeling" in response.content.decode()
    world.trajectory.refresh_from_db()
    assert world.trajectory.phase == 2
