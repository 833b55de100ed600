"""The steps of a trajectory, without HTTP: each one does what the handbook says, and refuses
what the method does not allow."""

import datetime

import pytest
from django.utils import timezone

from assignments.models import Level
from tests.factories import (
    AssignmentFactory,
    AssignmentProgressFactory,
    GuidanceConversationFactory,
    InterestFactory,
    PauseFactory,
    SkillFactory,
    TrajectoryFactory,
    TrajectorySkillFactory,
)
from trajects import services
from trajects.models import (
    GuidanceConversation,
    Interest,
    Outcome,
    Phase,
    PhaseChange,
    ProgressStatus,
    Trajectory,
)
from trajects.services.conversations import INDEPENDENT_WEEK
from wpo.services import StepRefused

TODAY = timezone.localdate


def days_ago(days):
    return TODAY() - datetime.timedelta(days=days)


def moment(days_from_now=0, hour=10):
    day = TODAY() + datetime.timedelta(days=days_from_now)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def refusal(step, *args, **kwargs) -> str:
    with pytest.raises(StepRefused) as caught:
        step(*args, **kwargs)
    return " ".join(caught.value.messages)


@pytest.fixture
def chosen(world):
    return TrajectorySkillFactory(trajectory=world.trajectory, target_level=Level.B)


def practising(chosen, **fields):
    """An assignment of `chosen` in the middle of its cycle."""
    defaults = {
        "status": ProgressStatus.WORKING,
        "introduced_on": days_ago(20),
        "get_started_on": days_ago(15),
        "look_back_due_on": days_ago(5),
    }
    return AssignmentProgressFactory(trajectory_skill=chosen, **{**defaults, **fields})


def in_independent_week(chosen, *, since_days=8, **fields):
    return practising(
        chosen,
        status=ProgressStatus.INDEPENDENT_WEEK,
        look_back_done_on=days_ago(since_days + 1),
        goal_reached_on=days_ago(since_days),
        independent_until=days_ago(since_days) + INDEPENDENT_WEEK,
        **fields,
    )


def hold(trajectory, progress, outcome, **fields):
    return services.hold_conversation(
        trajectory,
        held_at=fields.pop("held_at", timezone.now()),
        progress=progress,
        outcome=outcome,
        participant_account="Ik heb zelf om hulp gevraagd.",
        trainer_observations="Ik zag dat je twee keer om uitleg vroeg.",
        **fields,
    )


# Phase 1: intake and start


def test_registering_interest_records_a_new_employee_on_the_waiting_list(world):
    interest = services.register_interest(
        department=world.department,
        first_name="Noor",
        last_name="Haddou",
        wish="Beter plannen",
        supervisor=world.trainer,
    )

    assert interest.person.full_name == "Noor Haddou"
    assert interest in Interest.objects.waiting()


def test_a_known_employee_number_finds_the_same_person(world):
    first = services.register_interest(
        department=world.department, first_name="Noor", last_name="Haddou", employee_number="77"
    )
    first.withdrawn_on = TODAY()
    first.save()

    again = services.register_interest(
        department=world.department, first_name="N.", last_name="Haddou", employee_number="77"
    )

    assert again.person == first.person


def test_an_employee_already_waiting_is_not_registered_twice(world):
    services.register_interest(
        department=world.department, first_name="Noor", last_name="Haddou", employee_number="77"
    )

    message = refusal(
        services.register_interest,
        department=world.department,
        first_name="Noor",
        last_name="Haddou",
        employee_number="77",
    )

    assert "wachtlijst" in message
    assert Interest.objects.count() == 1


def test_an_employee_number_of_another_department_is_refused(world):
    services.register_interest(
        department=world.other_department, first_name="Noor", last_name="H", employee_number="77"
    )

    message = refusal(
        services.register_interest,
        department=world.department,
        first_name="Noor",
        last_name="H",
        employee_number="77",
    )

    assert "andere afdeling" in message


def test_starting_a_trajectory_puts_it_in_the_start_phase(world):
    interest = InterestFactory(person__department=world.department)

    trajectory = services.start_trajectory(
        interest,
        trainer=world.trainer,
        coach=world.coach,
        agreed_start=TODAY(),
        agreed_end=services.add_months(TODAY(), 6),
    )

    assert trajectory.phase == Phase.START
    assert trajectory.participant == interest.person
    assert PhaseChange.objects.filter(trajectory=trajectory, phase=Phase.START).exists()
    assert interest not in Interest.objects.waiting()


def test_a_trajectory_cannot_end_before_it_starts(world):
    interest = InterestFactory(person__department=world.department)

    message = refusal(
        services.start_trajectory,
        interest,
        trainer=world.trainer,
        coach=world.coach,
        agreed_start=TODAY(),
        agreed_end=days_ago(1),
    )

    assert "na de afgesproken start" in message
    assert not Trajectory.objects.filter(interest=interest).exists()


def test_the_trainer_must_train_the_participants_department(world):
    interest = InterestFactory(person__department=world.department)

    message = refusal(
        services.start_trajectory,
        interest,
        trainer=world.other_trainer,
        coach=world.coach,
        agreed_start=TODAY(),
        agreed_end=services.add_months(TODAY(), 6),
    )

    assert "werkplekopleider van deze afdeling" in message


def test_a_registration_starts_one_trajectory_only(world):
    interest = InterestFactory(person__department=world.department)
    period = {"agreed_start": TODAY(), "agreed_end": services.add_months(TODAY(), 6)}
    services.start_trajectory(interest, trainer=world.trainer, coach=world.coach, **period)

    refusal(services.start_trajectory, interest, trainer=world.trainer, coach=world.coach, **period)

    assert Trajectory.objects.filter(interest=interest).count() == 1


@pytest.mark.parametrize(
    ("days", "unusual"), [(90, True), (91, False), (182, False), (365, False), (366, True)]
)
def test_a_period_outside_the_trajectory_norms_is_unusual(days, unusual):
    start = datetime.date(2026, 1, 31)

    assert bool(services.unusual_period(start, start + datetime.timedelta(days=days))) == unusual


def test_the_form_warns_exactly_when_the_coach_gets_the_short_period_signal(db):
    start = datetime.date(2026, 1, 31)
    three_months = services.add_months(start, 3)  # 30 April: 89 days
    trajectory = TrajectoryFactory(agreed_start=start, agreed_end=three_months)

    signalled = Trajectory.objects.with_signals(today=start).get(pk=trajectory.pk).norm_short > 0

    assert signalled
    assert services.unusual_period(start, three_months)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (datetime.date(2026, 11, 25), 6, datetime.date(2027, 5, 25)),
        (datetime.date(2026, 8, 31), 6, datetime.date(2027, 2, 28)),
        (datetime.date(2027, 8, 31), 6, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 3, 15), 12, datetime.date(2027, 3, 15)),
    ],
)
def test_add_months_lands_on_the_same_day_or_the_end_of_a_shorter_month(start, months, end):
    assert services.add_months(start, months) == end


def test_choosing_skills_records_each_with_its_target_level(world):
    skills = [SkillFactory(), SkillFactory()]

    services.choose_skills(world.trajectory, {skills[0]: Level.A, skills[1]: Level.C})

    chosen = {row.skill: row.target_level for row in world.trajectory.skills.all()}
    assert chosen == {skills[0]: Level.A, skills[1]: Level.C}


def test_choosing_no_skill_is_refused(world):
    assert "minstens één skill" in refusal(services.choose_skills, world.trajectory, {})


def test_a_skill_with_work_done_stays_chosen(world, chosen):
    practising(chosen)

    message = refusal(services.choose_skills, world.trajectory, {SkillFactory(): Level.A})

    assert chosen.skill.name in message
    assert world.trajectory.skills.count() == 1


def test_skills_are_not_changed_after_the_learning_period(world, chosen):
    world.trajectory.phase = Phase.ASSESSMENT
    world.trajectory.save()

    assert "fase" in refusal(services.choose_skills, world.trajectory, {chosen.skill: Level.A})


# The assignment cycle


def test_introducing_the_first_assignment_starts_the_learning_period(world):
    world.trajectory.phase = Phase.START
    world.trajectory.save()
    chosen = TrajectorySkillFactory(trajectory=world.trajectory)

    progress = services.introduce_assignment(
        chosen, AssignmentFactory(skill=chosen.skill), on=TODAY()
    )

    world.trajectory.refresh_from_db()
    assert progress.status == ProgressStatus.INTRODUCED
    assert world.trajectory.phase == Phase.LEARNING


def test_one_assignment_at_a_time_per_skill(chosen):
    practising(chosen)
    other = AssignmentFactory(skill=chosen.skill, number=2)

    message = refusal(services.introduce_assignment, chosen, other, on=TODAY())

    assert "eerst afronden" in message or "loopt nog" in message


def test_an_assignment_of_another_skill_is_refused(chosen):
    message = refusal(services.introduce_assignment, chosen, AssignmentFactory(), on=TODAY())

    assert "andere skill" in message


def test_no_new_assignment_while_paused(world, chosen):
    PauseFactory(trajectory=world.trajectory)

    message = refusal(
        services.introduce_assignment, chosen, AssignmentFactory(skill=chosen.skill), on=TODAY()
    )

    assert "gepauzeerd" in message


def test_the_get_started_task_plans_the_look_back(chosen):
    progress = practising(
        chosen, status=ProgressStatus.INTRODUCED, get_started_on=None, look_back_due_on=None
    )

    services.record_get_started(
        progress, get_started_on=TODAY(), look_back_due_on=TODAY() + INDEPENDENT_WEEK
    )

    progress.refresh_from_db()
    assert progress.status == ProgressStatus.WORKING
    assert progress.look_back_due_on == TODAY() + INDEPENDENT_WEEK


@pytest.mark.parametrize(("days", "allowed"), [(6, False), (7, True), (14, True), (15, False)])
def test_the_look_back_is_1_to_2_weeks_after_the_get_started_task(chosen, days, allowed):
    progress = practising(
        chosen, status=ProgressStatus.INTRODUCED, get_started_on=None, look_back_due_on=None
    )
    step = {
        "get_started_on": TODAY(),
        "look_back_due_on": TODAY() + datetime.timedelta(days=days),
    }

    if allowed:
        services.record_get_started(progress, **step)
    else:
        assert "1 tot 2 weken" in refusal(services.record_get_started, progress, **step)


def test_the_look_back_needs_the_get_started_task_first(chosen):
    progress = practising(chosen, get_started_on=None, look_back_due_on=None)

    assert (
        "aan-de-slag"
        in refusal(services.record_look_back, progress, look_back_done_on=TODAY()).lower()
    )


def test_a_look_back_in_the_future_is_refused(chosen):
    progress = practising(chosen)

    assert "toekomst" in refusal(
        services.record_look_back, progress, look_back_done_on=TODAY() + INDEPENDENT_WEEK
    )


def test_learning_goal_reached_starts_the_independent_week(world, chosen):
    progress = practising(chosen, look_back_done_on=days_ago(2))

    hold(world.trajectory, progress, Outcome.GOAL_REACHED)

    progress.refresh_from_db()
    assert progress.status == ProgressStatus.INDEPENDENT_WEEK
    assert progress.independent_until == TODAY() + INDEPENDENT_WEEK


def test_the_goal_is_reached_only_after_the_look_back(world, chosen):
    progress = practising(chosen)

    message = refusal(hold, world.trajectory, progress, Outcome.GOAL_REACHED)

    assert "terugkijkopdracht" in message
    assert not GuidanceConversation.objects.filter(held_at__isnull=False).exists()


def test_passed_after_the_independent_week(world, chosen):
    progress = in_independent_week(chosen)

    hold(world.trajectory, progress, Outcome.PASSED, second_assessor=world.coach)

    progress.refresh_from_db()
    assert progress.status == ProgressStatus.PASSED
    assert progress.passed_on == TODAY()
    assert progress.second_assessor == world.coach


@pytest.mark.parametrize(("since_days", "allowed"), [(6, False), (7, True), (8, True)])
def test_the_follow_up_comes_when_the_week_is_over(world, chosen, since_days, allowed):
    progress = in_independent_week(chosen, since_days=since_days)

    if allowed:
        hold(world.trajectory, progress, Outcome.PASSED)
    else:
        assert "zelfstandige week loopt" in refusal(hold, world.trajectory, progress, "passed")


def test_not_yet_sends_the_participant_back_to_practising(world, chosen):
    progress = in_independent_week(chosen)

    hold(world.trajectory, progress, Outcome.NOT_YET)

    progress.refresh_from_db()
    assert progress.status == ProgressStatus.WORKING
    assert progress.independent_until is None


def test_passing_needs_an_independent_week(world, chosen):
    progress = practising(chosen, look_back_done_on=days_ago(1))

    assert "na de zelfstandige week" in refusal(hold, world.trajectory, progress, Outcome.PASSED)


def test_the_second_assessor_is_a_coach_of_the_department(world, chosen):
    progress = in_independent_week(chosen)

    message = refusal(
        hold, world.trajectory, progress, Outcome.PASSED, second_assessor=world.other_coach
    )

    assert "coach van deze afdeling" in message


def test_a_held_conversation_cannot_be_dated_in_the_future(world, chosen):
    progress = practising(chosen)

    message = refusal(
        hold, world.trajectory, progress, Outcome.CONTINUE, held_at=moment(days_from_now=1)
    )

    assert "toekomst" in message
    assert not GuidanceConversation.objects.exists()


def test_an_outcome_needs_its_assignment(world):
    assert "opdracht" in refusal(hold, world.trajectory, None, Outcome.CONTINUE)


def test_holding_the_planned_conversation_records_that_one(world, chosen):
    progress = practising(chosen)
    planned = GuidanceConversationFactory(trajectory=world.trajectory, planned_at=moment(-1))

    held = hold(world.trajectory, progress, Outcome.CONTINUE, planned=planned)

    assert held.pk == planned.pk
    assert GuidanceConversation.objects.count() == 1


def test_the_next_date_plans_the_next_conversation(world, chosen):
    progress = practising(chosen)

    hold(world.trajectory, progress, Outcome.CONTINUE, next_planned_at=moment(7))

    planned = GuidanceConversation.objects.planned().get()
    assert planned.planned_at == moment(7)
    assert planned.progress == progress


def test_a_conversation_is_corrected_within_the_window_and_its_history_kept(world, chosen):
    conversation = hold(world.trajectory, practising(chosen), Outcome.CONTINUE)

    services.edit_conversation(
        conversation, participant_account="Beter verwoord.", trainer_observations="Idem."
    )

    conversation.refresh_from_db()
    assert conversation.participant_account == "Beter verwoord."
    assert conversation.history.count() == 2
    assert conversation.history.earliest().participant_account == "Ik heb zelf om hulp gevraagd."


def test_an_old_conversation_is_the_record(world, chosen, settings):
    conversation = hold(world.trajectory, practising(chosen), Outcome.CONTINUE)
    GuidanceConversation.objects.filter(pk=conversation.pk).update(
        recorded_at=timezone.now() - datetime.timedelta(days=settings.WPO_CONVERSATION_EDIT_DAYS)
    )
    conversation.refresh_from_db()

    message = refusal(
        services.edit_conversation, conversation, participant_account="x", trainer_observations="y"
    )

    assert "tot 7 dagen" in message


def named(person, first_name, last_name, infix=""):
    person.first_name, person.infix, person.last_name = first_name, infix, last_name
    person.save()


def test_the_participant_confirms_with_initials(world, chosen):
    named(world.trajectory.participant, "Noor", "Haddou")
    conversation = hold(world.trajectory, practising(chosen), Outcome.CONTINUE)

    services.confirm_conversation(conversation, initials="N.H.")

    conversation.refresh_from_db()
    assert conversation.participant_initials == "N.H."
    assert conversation.participant_confirmed_at is not None


@pytest.mark.parametrize("initials", ["", "123", "<b>", "ABCDEFGHIJ"])
def test_initials_are_letters(world, chosen, initials):
    conversation = hold(world.trajectory, practising(chosen), Outcome.CONTINUE)

    assert "voorletters" in refusal(services.confirm_conversation, conversation, initials=initials)


def test_someone_elses_initials_are_refused(world, chosen):
    named(world.trajectory.participant, "Fatima", "Amrani", infix="el")
    conversation = hold(world.trajectory, practising(chosen), Outcome.CONTINUE)

    message = refusal(services.confirm_conversation, conversation, initials="XQ")

    assert "niet de voorletters van Fatima el Amrani" in message
    conversation.refresh_from_db()
    assert conversation.participant_confirmed_at is None


def test_a_planned_conversation_cannot_be_confirmed(world):
    planned = GuidanceConversationFactory(trajectory=world.trajectory)

    refusal(services.confirm_conversation, planned, initials="N.H.")


def test_a_floor_note_is_saved_without_surrounding_space(world):
    note = services.add_note(world.trajectory, text="  Vroeg zelf om hulp.  ")

    assert note.text == "Vroeg zelf om hulp."


def test_an_empty_floor_note_is_refused(world):
    assert "notitie" in refusal(services.add_note, world.trajectory, text="   ")


def test_nothing_is_added_to_a_closed_trajectory(world):
    world.trajectory.phase = Phase.CLOSING
    world.trajectory.closed_on = TODAY()
    world.trajectory.save()

    assert "afgelopen" in refusal(services.add_note, world.trajectory, text="Nog iets")


# Phases 3 and 4


def test_evaluation_stops_what_is_still_being_practised(world, chosen):
    practising(chosen, status=ProgressStatus.PASSED, passed_on=days_ago(3))
    other = TrajectorySkillFactory(trajectory=world.trajectory)
    still = practising(other)

    services.start_assessment(world.trajectory, on=TODAY())

    still.refresh_from_db()
    world.trajectory.refresh_from_db()
    assert world.trajectory.phase == Phase.ASSESSMENT
    assert still.status == ProgressStatus.STOPPED


def test_evaluation_waits_for_an_assignment_in_its_independent_week(world, chosen):
    in_independent_week(chosen)

    assert "zelfstandige week" in refusal(services.start_assessment, world.trajectory, on=TODAY())


def test_evaluation_needs_a_passed_assignment(world, chosen):
    practising(chosen)

    assert "gehaald" in refusal(services.start_assessment, world.trajectory, on=TODAY())


def assessing(world, chosen, level=Level.B):
    practising(
        chosen,
        assignment=AssignmentFactory(skill=chosen.skill, level=level),
        status=ProgressStatus.PASSED,
        passed_on=days_ago(3),
    )
    world.trajectory.phase = Phase.ASSESSMENT
    world.trajectory.save()


def test_a_skill_is_assessed_at_the_level_reached(world, chosen):
    assessing(world, chosen, Level.B)

    services.assess_skill(
        chosen,
        level=Level.B,
        assessed_on=TODAY(),
        assessed_by=world.trainer,
        second_assessor=world.coach,
    )

    chosen.refresh_from_db()
    assert (chosen.achieved_level, chosen.assessed_by) == (Level.B, world.trainer)


def test_a_skill_is_not_assessed_above_the_highest_level_passed(world, chosen):
    assessing(world, chosen, Level.A)

    message = refusal(
        services.assess_skill,
        chosen,
        level=Level.C,
        assessed_on=TODAY(),
        assessed_by=world.trainer,
    )

    assert "hoogste gehaalde niveau" in message


def test_assessing_waits_for_the_evaluation_phase(world, chosen):
    assessing(world, chosen)
    world.trajectory.phase = Phase.LEARNING
    world.trajectory.save()

    message = refusal(
        services.assess_skill,
        chosen,
        level=Level.A,
        assessed_on=TODAY(),
        assessed_by=world.trainer,
    )

    assert "Evaluatie en beoordeling" in message


def test_closing_needs_every_skill_with_a_passed_assignment_assessed(world, chosen):
    assessing(world, chosen)

    assert chosen.skill.name in refusal(services.start_closing, world.trajectory, on=TODAY())


def test_closing_follows_the_assessment(world, chosen):
    assessing(world, chosen)
    services.assess_skill(chosen, level=Level.B, assessed_on=TODAY(), assessed_by=world.trainer)

    services.start_closing(world.trajectory, on=TODAY())

    world.trajectory.refresh_from_db()
    assert world.trajectory.phase == Phase.CLOSING


def test_a_trajectory_is_closed_only_in_its_closing_phase(world):
    assert "fase" in refusal(services.close_trajectory, world.trajectory, on=TODAY())


def test_closing_the_trajectory_records_the_date(world):
    world.trajectory.phase = Phase.CLOSING
    world.trajectory.save()

    services.close_trajectory(world.trajectory, on=TODAY())

    world.trajectory.refresh_from_db()
    assert world.trajectory.closed_on == TODAY()


def test_stopping_needs_a_reason(world):
    assert "reden" in refusal(services.stop_trajectory, world.trajectory, on=TODAY(), reason=" ")


def test_stopping_stops_the_assignments_in_progress(world, chosen):
    progress = practising(chosen)

    services.stop_trajectory(world.trajectory, on=TODAY(), reason="Andere baan")

    progress.refresh_from_db()
    world.trajectory.refresh_from_db()
    assert progress.status == ProgressStatus.STOPPED
    assert world.trajectory.stopped_on == TODAY()


# Pause


def test_a_pause_needs_a_return_after_its_start(world):
    message = refusal(
        services.pause_trajectory,
        world.trajectory,
        starts_on=TODAY(),
        resume_on=TODAY(),
        reason="Ziek",
    )

    assert "na de start" in message


def test_a_paused_trajectory_cannot_be_paused_again(world):
    PauseFactory(trajectory=world.trajectory)

    message = refusal(
        services.pause_trajectory,
        world.trajectory,
        starts_on=TODAY(),
        resume_on=TODAY() + INDEPENDENT_WEEK,
        reason="Verlof",
    )

    assert "al gepauzeerd" in message


def test_resuming_moves_the_clocks_on_by_the_days_paused(world, chosen):
    progress = practising(chosen, look_back_due_on=days_ago(2))
    agreed_end = world.trajectory.agreed_end
    PauseFactory(trajectory=world.trajectory, starts_on=days_ago(10))

    services.resume_trajectory(world.trajectory, on=TODAY())

    progress.refresh_from_db()
    world.trajectory.refresh_from_db()
    assert progress.paused_days == 10
    assert progress.look_back_due_on == days_ago(2) + datetime.timedelta(days=10)
    assert world.trajectory.agreed_end == agreed_end + datetime.timedelta(days=10)


def test_while_paused_the_assignment_weeks_stand_still(world, chosen):
    practising(chosen, introduced_on=days_ago(30))
    PauseFactory(trajectory=world.trajectory, starts_on=days_ago(16))

    trajectory = Trajectory.objects.with_overview().get(pk=world.trajectory.pk)

    assert trajectory.current_progress[0].weeks_running == 2


def test_a_pause_stops_a_look_back_from_falling_due(world, chosen):
    practising(chosen, look_back_due_on=days_ago(3))
    PauseFactory(trajectory=world.trajectory, starts_on=days_ago(5))

    trajectory = Trajectory.objects.with_overview().get(pk=world.trajectory.pk)

    assert not trajectory.current_progress[0].look_back_deadline().is_late


def test_resuming_needs_a_pause(world):
    assert "niet gepauzeerd" in refusal(services.resume_trajectory, world.trajectory, on=TODAY())


def test_other_trajectories_are_untouched_by_a_step(world, chosen):
    other = TrajectoryFactory(department=world.department, trainer=world.trainer)

    services.stop_trajectory(world.trajectory, on=TODAY(), reason="Andere baan")

    other.refresh_from_db()
    assert other.is_open


# Dates that do not fit the story


def test_the_look_back_comes_a_week_after_the_get_started_task(chosen):
    progress = practising(chosen, get_started_on=days_ago(5), look_back_due_on=days_ago(-2))

    message = refusal(services.record_look_back, progress, look_back_done_on=TODAY())

    assert "1 tot 2 weken" in message


def test_a_stopped_assignment_takes_no_look_back(chosen):
    progress = practising(chosen, status=ProgressStatus.STOPPED, stopped_on=days_ago(1))

    assert "loopt niet meer" in refusal(
        services.record_look_back, progress, look_back_done_on=TODAY()
    )


def test_the_goal_is_not_reached_before_the_look_back(world, chosen):
    progress = practising(chosen, look_back_done_on=days_ago(2))

    refusal(hold, world.trajectory, progress, Outcome.GOAL_REACHED, held_at=moment(-3))

    progress.refresh_from_db()
    assert progress.status == ProgressStatus.WORKING


def test_a_conversation_before_the_trajectory_started_is_refused(world):
    message = refusal(hold, world.trajectory, None, "", held_at=moment(-400))

    assert "voor de start" in message or "vóór de start" in message


def test_two_conversations_with_the_same_words_are_both_stored(world, chosen):
    # a double post of one form is stored once by its token (tests/wpo/test_idempotency.py)
    progress = practising(chosen)
    held_at = moment(0, hour=0)

    first = hold(world.trajectory, progress, Outcome.CONTINUE, held_at=held_at)
    again = hold(world.trajectory, progress, Outcome.CONTINUE, held_at=held_at)

    assert first != again
    assert GuidanceConversation.objects.count() == 2


def test_the_same_note_written_again_on_purpose_is_stored_again(world):
    by = world.trainer.user

    services.add_note(world.trajectory, text="Goed gedaan.", by=by)
    services.add_note(world.trajectory, text="Goed gedaan.", by=by)

    assert world.trajectory.notes.count() == 2


def test_the_same_person_is_not_registered_twice_without_a_number(world):
    person = {"first_name": "Noor", "last_name": "Haddou", "department": world.department}
    services.register_interest(**person)

    assert "wachtlijst" in refusal(services.register_interest, **person)
    assert Interest.objects.count() == 1


def test_a_step_is_not_dated_before_the_last_phase_change(world, chosen):
    practising(chosen, status=ProgressStatus.PASSED, passed_on=days_ago(3))
    PhaseChange.objects.create(trajectory=world.trajectory, phase=2, changed_on=days_ago(10))

    message = refusal(services.start_assessment, world.trajectory, on=days_ago(20))

    assert "laatste stap" in message


def test_a_pause_does_not_overlap_the_previous_one(world):
    PauseFactory(trajectory=world.trajectory, starts_on=days_ago(10), resumed_on=days_ago(2))

    refusal(
        services.pause_trajectory,
        world.trajectory,
        starts_on=days_ago(5),
        resume_on=TODAY() + INDEPENDENT_WEEK,
        reason="Weer ziek",
    )

    assert world.trajectory.pauses.count() == 1


def test_a_trajectory_can_be_stopped_after_its_trainer_left_the_department(world):
    world.trainer.memberships.all().delete()

    services.stop_trajectory(world.trajectory, on=TODAY(), reason="Werkplekopleider vertrokken")

    world.trajectory.refresh_from_db()
    assert world.trajectory.stopped_on == TODAY()


def test_stopping_keeps_the_assignments_history(world, chosen):
    progress = practising(chosen)

    services.stop_trajectory(world.trajectory, on=TODAY(), reason="Andere baan", by=None)

    assert progress.history.first().status == ProgressStatus.STOPPED


def test_a_conversation_planned_long_ago_can_be_corrected_once_recorded(world, chosen):
    planned = GuidanceConversationFactory(trajectory=world.trajectory, planned_at=moment(-1))
    GuidanceConversation.objects.filter(pk=planned.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )

    held = hold(world.trajectory, practising(chosen), Outcome.CONTINUE, planned=planned)

    assert held.can_be_edited


def test_the_history_records_who_took_the_step(world, chosen):
    progress = practising(chosen)

    services.record_look_back(progress, look_back_done_on=TODAY(), by=world.trainer.user)

    assert progress.history.first().history_user == world.trainer.user


def test_a_planned_conversation_moves_to_a_later_moment(world):
    planned = GuidanceConversationFactory(trajectory=world.trajectory)

    services.reschedule_conversation(planned, planned_at=moment(3))

    planned.refresh_from_db()
    assert planned.planned_at == moment(3)


def test_a_conversation_is_not_moved_into_the_past(world):
    planned = GuidanceConversationFactory(trajectory=world.trajectory)

    refusal(services.reschedule_conversation, planned, planned_at=moment(-1))


def test_calling_off_a_planned_conversation_keeps_a_trace_in_its_history(world):
    planned = GuidanceConversationFactory(trajectory=world.trajectory)

    services.cancel_conversation(planned, by=world.trainer.user)

    assert not GuidanceConversation.objects.exists()
    gone = GuidanceConversation.history.get(history_type="-")
    assert gone.history_user == world.trainer.user


def test_a_held_conversation_is_not_called_off(world, chosen):
    held = hold(world.trajectory, practising(chosen), Outcome.CONTINUE)

    assert "al vastgelegd" in refusal(services.cancel_conversation, held)


@pytest.mark.parametrize("who", ["trainer", "other_trainer", "project_manager"])
def test_a_step_is_refused_by_the_state_whoever_takes_it(world, who):
    """Who may take a step is the page's question (tests/wpo/test_access_matrix.py answers
    403/404); the service refuses by the state alone, for anyone."""
    by = getattr(world, who).user

    message = refusal(services.close_trajectory, world.trajectory, on=TODAY(), by=by)

    assert "Dit kan alleen in de fase Afsluiting" in message
