"""Two people editing the same thing: a save made on a page loaded before someone else's save is
refused, with what they saved shown next to what was typed, so nothing typed is lost."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments.models import Level
from tests.factories import (
    AssignmentFactory,
    AssignmentProgressFactory,
    GuidanceConversationFactory,
    TrajectorySkillFactory,
)
from trajects import services
from trajects.models import GuidanceConversation, Phase, ProgressStatus
from wpo.forms import DATETIME_FORMAT
from wpo.services import EditConflict

INVALID = 422
OURS = {"participant_account": "Wat de coach typte.", "trainer_observations": "Coach zag het."}


@pytest.fixture
def held(world):
    return GuidanceConversationFactory(
        trajectory=world.trajectory,
        held_at=timezone.now(),
        planned_at=None,
        recorded_at=timezone.now(),
        participant_account="Eerste versie.",
        trainer_observations="Gezien.",
    )


@pytest.fixture
def planned(world):
    return GuidanceConversationFactory(
        trajectory=world.trajectory, planned_at=timezone.now() + datetime.timedelta(days=2)
    )


def correct(conversation, text, **fields):
    return services.edit_conversation(
        conversation, participant_account=text, trainer_observations="Gezien.", **fields
    )


def later(days):
    return timezone.now() + datetime.timedelta(days=days)


# The services


def test_a_correction_counts_the_version_up(held):
    correct(held, "Tweede versie.", version=1)

    held.refresh_from_db()
    assert held.version == 2


def test_a_correction_from_an_outdated_page_is_refused_with_what_was_saved(held):
    correct(held, "Van de werkplekopleider.", version=1)

    with pytest.raises(EditConflict) as caught:
        correct(held, "Van de coach.", version=1)

    held.refresh_from_db()
    assert held.participant_account == "Van de werkplekopleider."
    assert caught.value.saved.participant_account == "Van de werkplekopleider."
    assert "participant_account" in caught.value.fields
    assert "Iemand anders" in " ".join(caught.value.messages)


def test_a_correction_from_a_page_without_a_version_goes_ahead(held):
    correct(held, "Van de werkplekopleider.", version=1)

    correct(held, "Van een pagina van vóór de versies.")

    held.refresh_from_db()
    assert held.participant_account == "Van een pagina van vóór de versies."


def test_moving_a_conversation_someone_moved_meanwhile_is_refused(planned):
    services.reschedule_conversation(planned, planned_at=later(3), version=1)

    with pytest.raises(EditConflict) as caught:
        services.reschedule_conversation(planned, planned_at=later(4), version=1)

    assert caught.value.saved.planned_at.date() == later(3).date()


def test_calling_off_a_conversation_someone_moved_meanwhile_is_refused(planned):
    services.reschedule_conversation(planned, planned_at=later(3), version=1)

    with pytest.raises(EditConflict):
        services.cancel_conversation(planned, version=1)

    assert GuidanceConversation.objects.filter(pk=planned.pk).exists()


def test_the_participant_cannot_confirm_a_text_corrected_after_they_read_it(held):
    correct(held, "Gecorrigeerd.", version=1)

    with pytest.raises(EditConflict):
        services.confirm_conversation(held, initials="S.J.", version=1)

    held.refresh_from_db()
    assert held.participant_confirmed_at is None


@pytest.fixture
def assessing(world):
    chosen = TrajectorySkillFactory(trajectory=world.trajectory, target_level=Level.B)
    AssignmentProgressFactory(
        trajectory_skill=chosen,
        assignment=AssignmentFactory(skill=chosen.skill, level=Level.B),
        status=ProgressStatus.PASSED,
        passed_on=timezone.localdate(),
    )
    world.trajectory.phase = Phase.ASSESSMENT
    world.trajectory.save()
    return chosen


def assess(chosen, level, assessor, version):
    return services.assess_skill(
        chosen,
        level=level,
        assessed_on=timezone.localdate(),
        assessed_by=assessor,
        version=version,
    )


def test_an_assessment_over_a_newer_one_is_refused(world, assessing):
    assess(assessing, Level.B, world.trainer, version=1)

    with pytest.raises(EditConflict) as caught:
        assess(assessing, Level.A, world.coach, version=1)

    assessing.refresh_from_db()
    assert (assessing.achieved_level, assessing.assessed_by) == (Level.B, world.trainer)
    assert caught.value.saved.achieved_level == Level.B


# The pages


@pytest.fixture
def coach(client, world):
    client.force_login(world.coach.user)
    return client


def test_a_refused_correction_shows_the_saved_and_the_typed_text(coach, held):
    correct(held, "Wat de werkplekopleider opsloeg.", version=1)

    response = coach.post(
        reverse("trajects:edit_conversation", args=[held.pk]), {**OURS, "version": 1}
    )

    page = response.content.decode()
    assert response.status_code == INVALID
    assert "Intussen door iemand anders opgeslagen" in page
    assert "Wat de werkplekopleider opsloeg." in page
    assert "Wat de coach typte.</textarea>" in page
    assert 'name="version" value="2"' in page


def test_saving_again_after_a_conflict_stores_what_was_typed(coach, held):
    correct(held, "Wat de werkplekopleider opsloeg.", version=1)
    url = reverse("trajects:edit_conversation", args=[held.pk])
    coach.post(url, {**OURS, "version": 1})

    response = coach.post(url, {**OURS, "version": 2})

    held.refresh_from_db()
    assert response.status_code == 302
    assert held.participant_account == "Wat de coach typte."


def test_a_refused_move_shows_the_time_saved_and_keeps_the_time_typed(coach, planned):
    services.reschedule_conversation(planned, planned_at=later(3), version=1)
    typed = timezone.localtime(later(5)).strftime(DATETIME_FORMAT)

    response = coach.post(
        reverse("trajects:planned_conversation", args=[planned.pk]),
        {"planned_at": typed, "version": 1},
    )

    page = response.content.decode()
    assert response.status_code == INVALID
    assert "Intussen door iemand anders opgeslagen" in page
    assert f'value="{typed}"' in page


def test_a_refused_assessment_shows_the_level_saved(coach, world, assessing):
    assess(assessing, Level.B, world.trainer, version=1)

    response = coach.post(
        reverse("trajects:assess", args=[assessing.pk]),
        {
            "level": Level.A,
            "assessed_on": timezone.localdate().isoformat(),
            "assessed_by": world.coach.pk,
            "version": 1,
        },
    )

    page = response.content.decode()
    assert response.status_code == INVALID
    assert "Intussen door iemand anders opgeslagen" in page
    assert world.trainer.full_name in page.split("Intussen door iemand anders opgeslagen")[-1]


def test_a_conversation_past_its_correction_window_is_refused_on_the_page_in_the_services_words(
    client, world, held
):
    GuidanceConversation.objects.filter(pk=held.pk).update(recorded_at=later(-8))
    client.force_login(world.trainer.user)

    response = client.get(reverse("trajects:edit_conversation", args=[held.pk]), follow=True)

    assert (
        "Je kunt een gesprek tot 7 dagen na het vastleggen corrigeren." in response.content.decode()
    )
