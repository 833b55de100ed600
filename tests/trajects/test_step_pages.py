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


def ready_for(trajectory, step):
    """The trajectory as it is when `step` can be taken."""
    if step == "assessment":
        passed(trajectory)
    elif step == "closing":
        TrajectorySkillFactory(
            trajectory=trajectory, achieved_level="A", assessed_on=timezone.localdate()
        )
        type(trajectory).objects.filter(pk=trajectory.pk).update(phase=3)
    elif step == "close":
        type(trajectory).objects.filter(pk=trajectory.pk).update(phase=4)
    elif step == "resume":
        PauseFactory(trajectory=trajectory)


@pytest.mark.parametrize(
    ("step", "look"),
    [("assessment", "caution"), ("closing", "caution"), ("pause", "caution"), ("close", "danger")],
)
def test_a_phase_move_asks_for_confirmation_in_a_warning_look(trainer, world, step, look):
    ready_for(world.trajectory, step)

    page = step_page(trainer, world.trajectory, step).content.decode()

    assert f'<p class="notice notice-{look}">' in page
    assert f'class="button button-primary button-{look} button-block"' in page


@pytest.mark.parametrize(
    ("step", "consequence"),
    [
        ("assessment", "geen nieuwe opdracht meer"),
        ("closing", "niet meer veranderen"),
        ("close", "er kan niets meer bij"),
        ("stop", "Geplande gesprekken worden afgezegd"),
    ],
)
def test_a_move_that_cannot_be_taken_back_names_its_consequence_and_says_so(
    trainer, world, step, consequence
):
    ready_for(world.trajectory, step)

    page = step_page(trainer, world.trajectory, step).content.decode()

    assert consequence in page
    assert "Dit kan niet ongedaan worden gemaakt." in page


def test_pausing_can_be_taken_back_so_its_page_does_not_say_otherwise(trainer, world):
    page = step_page(trainer, world.trajectory, "pause").content.decode()

    assert "staat de klok" in page
    assert "niet ongedaan" not in page


def test_resuming_keeps_the_plain_look_of_a_step_that_does_no_harm(trainer, world):
    ready_for(world.trajectory, "resume")

    page = step_page(trainer, world.trajectory, "resume").content.decode()

    assert "notice-" not in page
    assert 'class="button button-primary button-block"' in page


@pytest.mark.parametrize(
    ("step", "look"),
    [("assessment", "caution"), ("closing", "caution"), ("close", "danger"), ("pause", "caution")],
)
def test_the_participant_page_shows_a_phase_move_in_its_warning_look(trainer, world, step, look):
    ready_for(world.trajectory, step)

    page = trainer.get(reverse("trajects:trajectory", args=[world.trajectory.pk])).content
    link = reverse("trajects:trajectory_step", args=[world.trajectory.pk, step])

    assert f'<a class="button button-{look}" href="{link}">' in page.decode()
