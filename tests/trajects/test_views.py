"""The trainer's pages over HTTP: a save works with and without htmx, and bad input comes back
with a Dutch message, what was typed kept and nothing saved."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assignments.models import Level
from tests.factories import (
    AssignmentFactory,
    AssignmentProgressFactory,
    FloorNoteFactory,
    GuidanceConversationFactory,
    InterestFactory,
    PauseFactory,
    SkillFactory,
    TrajectorySkillFactory,
)
from trajects.models import (
    FloorNote,
    GuidanceConversation,
    Interest,
    Outcome,
    ProgressStatus,
    Trajectory,
)
from trajects.services import add_months
from trajects.views.trainer import TIMELINE_SHOWN

INVALID = 422
HTMX = {"HTTP_HX_REQUEST": "true"}
LONG = "x" * 4001


@pytest.fixture
def trainer(client, world):
    client.force_login(world.trainer.user)
    return client


def url(name, *args):
    return reverse(f"trajects:{name}", args=args)


def day(days_from_today=0):
    return timezone.localdate() + datetime.timedelta(days=days_from_today)


def local(days_from_today=0, hour=9):
    moment = datetime.datetime.combine(day(days_from_today), datetime.time(hour))
    return moment.strftime("%Y-%m-%dT%H:%M")


def minutes_ago(minutes):
    return (timezone.localtime() - datetime.timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M")


# Intake and start


def test_registering_an_employee_leads_to_starting_their_trajectory(trainer, world):
    response = trainer.post(
        url("interest_new"),
        {
            "department": world.department.pk,
            "first_name": "Noor",
            "last_name": "Haddou",
            "registered_on": day(),
        },
    )

    interest = Interest.objects.get(person__last_name="Haddou")
    assert response.status_code == 302
    assert response["Location"] == url("trajectory_start", interest.pk)


def test_a_registration_without_a_last_name_says_so_and_keeps_the_first_name(trainer, world):
    response = trainer.post(
        url("interest_new"),
        {"department": world.department.pk, "first_name": "Noor", "registered_on": day()},
    )

    assert response.status_code == INVALID
    assert "Dit veld is verplicht" in response.content.decode()
    assert 'value="Noor"' in response.content.decode()
    assert not Interest.objects.exists()


def test_a_trainer_registers_only_for_their_own_department(trainer, world):
    response = trainer.post(
        url("interest_new"),
        {
            "department": world.other_department.pk,
            "first_name": "Noor",
            "last_name": "Haddou",
            "registered_on": day(),
        },
    )

    assert response.status_code == INVALID
    assert not Interest.objects.exists()


def start(client, interest, **fields):
    data = {
        "agreed_start": day(),
        "agreed_end": add_months(day(), 6),
        **fields,
    }
    return client.post(url("trajectory_start", interest.pk), data)


def test_starting_with_an_end_before_the_start_is_refused(trainer, world):
    interest = InterestFactory(person__department=world.department)

    response = start(
        trainer, interest, trainer=world.trainer.pk, coach=world.coach.pk, agreed_end=day(-1)
    )

    assert response.status_code == INVALID
    assert "na de afgesproken start" in response.content.decode()
    assert not Trajectory.objects.filter(interest=interest).exists()


def test_a_period_of_two_months_asks_to_be_confirmed(trainer, world):
    interest = InterestFactory(person__department=world.department)
    people = {"trainer": world.trainer.pk, "coach": world.coach.pk}

    warned = start(trainer, interest, **people, agreed_end=add_months(day(), 2))
    confirmed = start(
        trainer, interest, **people, agreed_end=add_months(day(), 2), accept_period="on"
    )

    assert warned.status_code == INVALID
    assert "korter dan 3 maanden" in warned.content.decode()
    assert confirmed.status_code == 302
    assert Trajectory.objects.filter(interest=interest).count() == 1


def test_the_skill_choice_card_saves_the_ticked_skills(trainer, world):
    kept, skipped = SkillFactory(), SkillFactory()

    response = trainer.post(
        url("choose_skills", world.trajectory.pk),
        {f"skill_{kept.pk}": "on", f"level_{kept.pk}": "C", f"level_{skipped.pk}": "A"},
    )

    assert response.status_code == 302
    assert [(s.skill, s.target_level) for s in world.trajectory.skills.all()] == [(kept, "C")]


# Assignments


def test_introducing_an_assignment_opens_its_page_for_the_participant(trainer, world):
    chosen = TrajectorySkillFactory(trajectory=world.trajectory)
    assignment = AssignmentFactory(skill=chosen.skill, title="Om hulp vragen")

    response = trainer.post(
        url("introduce", chosen.pk), {"assignment": assignment.pk, "introduced_on": day()}
    )
    page = trainer.get(response["Location"]).content.decode()

    assert "Om hulp vragen" in page
    for part in ("Aan-de-slag-opdracht", "Terugkijkopdracht", "Samenvatting"):
        assert part in page


def test_the_get_started_button_plans_the_look_back_a_week_later(trainer, world):
    progress = AssignmentProgressFactory(trajectory_skill__trajectory=world.trajectory)

    response = trainer.post(
        url("get_started", progress.pk),
        {"get_started_on": day(), "look_back_due_on": day(7)},
    )

    progress.refresh_from_db()
    assert response.status_code == 302
    assert progress.look_back_due_on == day(7)


def test_a_look_back_date_in_the_future_comes_back_with_a_message(trainer, world):
    progress = AssignmentProgressFactory(
        trajectory_skill__trajectory=world.trajectory,
        status=ProgressStatus.WORKING,
        get_started_on=day(-7),
        look_back_due_on=day(),
    )

    response = trainer.post(url("look_back", progress.pk), {"look_back_done_on": day(3)})

    progress.refresh_from_db()
    assert response.status_code == INVALID
    assert "toekomst" in response.content.decode()
    assert progress.look_back_done_on is None


# Floor notes and conversations


def test_a_floor_note_with_htmx_goes_on_top_of_the_timeline_and_clears_the_form(trainer, world):
    response = trainer.post(
        url("add_note", world.trajectory.pk), {"text": "Vroeg zelf om uitleg."}, **HTMX
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert FloorNote.objects.get().text == "Vroeg zelf om uitleg."
    assert 'data-hx-swap-oob="afterbegin:#timeline-events"' in page
    assert 'id="timeline"' not in page  # the new note only, not the timeline again
    assert 'id="status"' in page
    assert "Vroeg zelf om uitleg." in page
    assert "<html" not in page


def test_a_floor_note_without_javascript_returns_to_the_participant_page(trainer, world):
    response = trainer.post(url("add_note", world.trajectory.pk), {"text": "Goed bezig."})

    assert response.status_code == 302
    assert response["Location"] == url("trajectory", world.trajectory.pk)


def test_an_over_long_floor_note_is_refused_and_kept(trainer, world):
    response = trainer.post(url("add_note", world.trajectory.pk), {"text": "y" * 1001}, **HTMX)

    assert response.status_code == INVALID
    assert "1000" in response.content.decode()
    assert "y" * 1001 in response.content.decode()
    assert not FloorNote.objects.exists()


def conversation(world, progress, **fields):
    return {
        "held_at": local(0, hour=0),
        "progress": progress.pk if progress else "",
        "participant_account": "Ik heb mijn taken op een briefje gezet.",
        "trainer_observations": "Je begon zelf met de lastigste klus.",
        "outcome": Outcome.CONTINUE,
        **fields,
    }


@pytest.fixture
def progress(world):
    chosen = TrajectorySkillFactory(trajectory=world.trajectory, target_level=Level.B)
    return AssignmentProgressFactory(trajectory_skill=chosen, status=ProgressStatus.WORKING)


def test_a_conversation_with_htmx_goes_on_top_of_the_timeline_with_the_status(trainer, world):
    data = conversation(world, None, outcome="", held_at=minutes_ago(1))

    response = trainer.post(url("hold_conversation", world.trajectory.pk), data, **HTMX)

    page = response.content.decode()
    assert response.status_code == 200
    held = GuidanceConversation.objects.held().get()
    assert page.lstrip().startswith('<section id="conversations"')
    assert 'data-hx-swap-oob="afterbegin:#timeline-events"' in page
    assert f'id="timeline-conversation-{held.pk}"' in page
    assert "Je begon zelf met de lastigste klus." in page
    assert 'id="status"' in page
    assert 'id="timeline"' not in page  # the new conversation only, not the timeline again
    assert "<html" not in page


def test_a_conversation_recorded_after_a_later_note_goes_in_its_place(trainer, world):
    earlier = FloorNoteFactory(
        trajectory=world.trajectory, written_at=timezone.now() - datetime.timedelta(minutes=40)
    )
    FloorNoteFactory(trajectory=world.trajectory, written_at=timezone.now())
    data = conversation(world, None, outcome="", held_at=minutes_ago(30))

    response = trainer.post(url("hold_conversation", world.trajectory.pk), data, **HTMX)

    page = response.content.decode()
    assert f'data-hx-swap-oob="beforebegin:#timeline-note-{earlier.pk}"' in page
    assert "afterbegin" not in page


def independent_week(progress):
    AssignmentProgressFactory._meta.model.objects.filter(pk=progress.pk).update(
        status=ProgressStatus.INDEPENDENT_WEEK,
        look_back_done_on=day(-9),
        goal_reached_on=day(-8),
        independent_until=day(-1),
    )


def test_a_conversation_that_passes_the_assignment_adds_that_step_too(trainer, world, progress):
    independent_week(progress)

    response = trainer.post(
        url("hold_conversation", world.trajectory.pk),
        conversation(world, progress, outcome=Outcome.PASSED),
        **HTMX,
    )

    page = response.content.decode()
    assert f'id="timeline-progress-{progress.pk}-passed_on"' in page
    assert "Opdracht gehaald" in page


def test_a_conversation_that_says_not_yet_takes_the_goal_reached_off(trainer, world, progress):
    independent_week(progress)

    response = trainer.post(
        url("hold_conversation", world.trajectory.pk),
        conversation(world, progress, outcome=Outcome.NOT_YET),
        **HTMX,
    )

    page = response.content.decode()
    assert f'data-hx-swap-oob="delete:#timeline-progress-{progress.pk}-goal_reached_on"' in page


def test_a_conversation_dated_in_the_future_is_refused_and_the_text_kept(trainer, world, progress):
    data = conversation(world, progress, held_at=local(2))

    response = trainer.post(url("hold_conversation", world.trajectory.pk), data, **HTMX)

    page = response.content.decode()
    assert response.status_code == INVALID
    assert "toekomst" in page
    assert "Je begon zelf met de lastigste klus." in page
    assert not GuidanceConversation.objects.exists()


def test_a_conversation_without_what_was_seen_is_refused(trainer, world, progress):
    data = conversation(world, progress, trainer_observations="")

    response = trainer.post(url("hold_conversation", world.trajectory.pk), data)

    assert response.status_code == INVALID
    assert "Dit veld is verplicht" in response.content.decode()
    assert not GuidanceConversation.objects.exists()


def test_an_over_long_conversation_text_is_refused(trainer, world, progress):
    data = conversation(world, progress, agreements=LONG)

    response = trainer.post(url("hold_conversation", world.trajectory.pk), data)

    assert response.status_code == INVALID
    assert "4000" in response.content.decode()
    assert not GuidanceConversation.objects.exists()


def conversation_form(trainer, world):
    response = trainer.get(url("trajectory", world.trajectory.pk))
    return response.context["conversation_form"], response.content.decode()


def test_a_conversation_planned_for_today_is_filled_in_with_its_assignment(
    trainer, world, progress
):
    planned = GuidanceConversationFactory(
        trajectory=world.trajectory, progress=progress, planned_at=timezone.now()
    )

    form, page = conversation_form(trainer, world)

    assert form["planned"].value() == planned.pk
    assert form["progress"].value() == progress.pk
    assert '<details class="known">' in page  # shown as a line of text, to change on demand


def test_a_conversation_is_held_now_to_five_minutes(trainer, world):
    form, _ = conversation_form(trainer, world)

    held_at = form["held_at"].value()  # as the field shows it: local time
    assert held_at.minute % 5 == 0
    assert held_at.second == held_at.microsecond == 0
    now = timezone.localtime().replace(tzinfo=None)
    assert datetime.timedelta(0) <= now - held_at < datetime.timedelta(minutes=5)


def test_the_assignment_is_asked_when_several_are_in_progress(trainer, world, progress):
    other = TrajectorySkillFactory(trajectory=world.trajectory)
    AssignmentProgressFactory(trajectory_skill=other, status=ProgressStatus.WORKING)

    form, page = conversation_form(trainer, world)

    assert form["progress"].value() is None
    assert '<details class="known" open>' in page


def test_only_the_outcomes_of_an_assignment_after_its_independent_week_are_offered(
    trainer, world, progress
):
    progress.status = ProgressStatus.INDEPENDENT_WEEK
    progress.independent_until = day(0)
    progress.save()

    form, _ = conversation_form(trainer, world)

    assert [value for value, _ in form.fields["outcome"].choices] == [
        Outcome.PASSED,
        Outcome.NOT_YET,
    ]


def test_the_rarely_used_fields_of_a_conversation_are_folded_away(trainer, world, progress):
    _, page = conversation_form(trainer, world)

    assert '<details class="more">' in page


@pytest.mark.parametrize(
    "more",
    [{"coach_present": "on"}, {"next_planned_at": local(-1)}],
    ids=["one is used", "one is refused"],
)
def test_the_rarely_used_fields_come_back_unfolded_when_one_is_used_or_refused(
    trainer, world, progress, more
):
    data = conversation(world, progress, trainer_observations="", **more)

    response = trainer.post(url("hold_conversation", world.trajectory.pk), data, **HTMX)

    assert response.status_code == INVALID
    assert '<details class="more" open>' in response.content.decode()


def test_a_planned_conversation_in_the_past_is_refused(trainer, world):
    response = trainer.post(
        url("plan_conversation", world.trajectory.pk), {"planned_at": local(-1)}, **HTMX
    )

    assert response.status_code == INVALID
    assert not GuidanceConversation.objects.exists()


def test_the_participant_confirms_on_the_trainers_phone(trainer, world, progress):
    held = GuidanceConversationFactory(
        trajectory=world.trajectory, held_at=timezone.now(), planned_at=None
    )

    participant = world.trajectory.participant
    initials = f"{participant.first_name[0]}.{participant.last_name[0]}."

    response = trainer.post(url("confirm_conversation", held.pk), {"initials": initials})

    held.refresh_from_db()
    assert response.status_code == 302
    assert held.participant_initials == initials


def test_the_participant_page_has_no_menu_and_keeps_what_they_typed(trainer, world):
    held = GuidanceConversationFactory(
        trajectory=world.trajectory, held_at=timezone.now(), planned_at=None
    )

    response = trainer.post(url("confirm_conversation", held.pk), {"initials": "XQ"})

    page = response.content.decode()
    assert response.status_code == INVALID
    assert f"niet de voorletters van {world.trajectory.participant.full_name}" in page
    assert 'value="XQ"' in page
    assert "Hoofdmenu" not in page
    assert url("trainer_home") not in page
    assert url("trajectory", world.trajectory.pk) in page  # one tap back for the trainer


def test_correcting_a_conversation_keeps_the_earlier_text(trainer, world, progress):
    trainer.post(url("hold_conversation", world.trajectory.pk), conversation(world, progress))
    held = GuidanceConversation.objects.get()

    trainer.post(
        url("edit_conversation", held.pk),
        {"participant_account": "Nieuw.", "trainer_observations": "Ook nieuw."},
    )

    held.refresh_from_db()
    assert held.participant_account == "Nieuw."
    assert held.history.earliest().participant_account.startswith("Ik heb mijn taken")


# The timeline and the steps


def test_the_timeline_filters_by_skill(trainer, world):
    first, second = (TrajectorySkillFactory(trajectory=world.trajectory) for _ in range(2))
    FloorNoteFactory(
        trajectory=world.trajectory,
        progress=AssignmentProgressFactory(trajectory_skill=first),
        text="Over de eerste skill",
    )
    FloorNoteFactory(
        trajectory=world.trajectory,
        progress=AssignmentProgressFactory(trajectory_skill=second),
        text="Over de tweede skill",
    )

    response = trainer.get(
        url("trajectory", world.trajectory.pk), {"skill": first.skill_id}, **HTMX
    )

    page = response.content.decode()
    assert "Over de eerste skill" in page
    assert "Over de tweede skill" not in page
    assert page.lstrip().startswith('<section id="timeline"')


def notes_written(trajectory, count):
    for number in range(count):
        FloorNoteFactory(
            trajectory=trajectory,
            text=f"Notitie {number}",
            written_at=timezone.now() - datetime.timedelta(days=count - number),
        )


def test_the_timeline_shows_the_latest_events_and_older_ones_on_request(trainer, world):
    notes_written(world.trajectory, TIMELINE_SHOWN + 5)

    latest = trainer.get(url("trajectory", world.trajectory.pk)).content.decode()
    everything = trainer.get(
        url("trajectory", world.trajectory.pk), {"timeline": "all"}, **HTMX
    ).content.decode()

    assert latest.count("event-note") == TIMELINE_SHOWN
    assert f"Notitie {TIMELINE_SHOWN + 4}" in latest
    assert "Notitie 4<" not in latest
    assert "?timeline=all" in latest
    assert everything.count("event-note") == TIMELINE_SHOWN + 5
    assert "?timeline=all" not in everything


def test_a_note_save_answers_the_same_however_long_the_trajectory(trainer, world):
    notes_written(world.trajectory, TIMELINE_SHOWN)
    short = queries_and_size_of_a_note(trainer, world)
    notes_written(world.trajectory, 3 * TIMELINE_SHOWN)
    long = queries_and_size_of_a_note(trainer, world)

    assert short[0] == long[0]
    assert long[1] < short[1] * 1.1  # the new note, not the whole history


def test_a_conversation_save_answers_the_same_however_long_the_trajectory(trainer, world):
    conversations_held(world.trajectory, TIMELINE_SHOWN)
    short = queries_and_size_of_a_conversation(trainer, world, minutes=1)
    conversations_held(world.trajectory, 3 * TIMELINE_SHOWN)
    long = queries_and_size_of_a_conversation(trainer, world, minutes=2)

    assert short[0] == long[0]
    assert long[1] < short[1] * 1.1
    assert short[2] == long[2] == 1  # the new conversation, not the latest events again


def conversations_held(trajectory, count):
    for number in range(count):
        GuidanceConversationFactory(
            trajectory=trajectory,
            planned_at=None,
            held_at=timezone.now() - datetime.timedelta(days=count - number),
            participant_account=f"Gesprek {number}",
            trainer_observations="Gaat goed.",
        )


def queries_and_size_of_a_conversation(trainer, world, minutes):
    data = conversation(world, None, outcome="", held_at=minutes_ago(minutes))
    with CaptureQueriesContext(connection) as context:
        response = trainer.post(url("hold_conversation", world.trajectory.pk), data, **HTMX)
    assert response.status_code == 200
    return len(context), len(response.content), response.content.count(b'<li class="event ')


def queries_and_size_of_a_note(trainer, world):
    with CaptureQueriesContext(connection) as context:
        response = trainer.post(
            url("add_note", world.trajectory.pk), {"text": "Vroeg zelf om uitleg."}, **HTMX
        )
    assert response.status_code == 200
    return len(context), len(response.content)


def test_an_unknown_step_is_not_found(trainer, world):
    assert trainer.get(url("trajectory_step", world.trajectory.pk, "fly")).status_code == 404


def test_stopping_early_names_its_consequence_before_it_is_done(trainer, world):
    GuidanceConversationFactory(
        trajectory=world.trajectory,
        planned_at=timezone.make_aware(datetime.datetime(2026, 12, 3, 10)),
    )

    page = trainer.get(url("trajectory_step", world.trajectory.pk, "stop")).content.decode()

    assert "Geplande gesprekken worden afgezegd" in page
    assert "donderdag 3 december, 10:00" in page
    assert 'class="button button-primary button-danger button-block"' in page


def test_stopping_early_looks_like_a_danger_on_the_participant_page(trainer, world):
    page = trainer.get(url("trajectory", world.trajectory.pk)).content.decode()

    stop = url("trajectory_step", world.trajectory.pk, "stop")
    assert f'<a class="button button-danger" href="{stop}">' in page


def test_pausing_comes_back_on_the_participant_page(trainer, world):
    response = trainer.post(
        url("trajectory_step", world.trajectory.pk, "pause"),
        {"starts_on": day(), "resume_on": day(14), "reason": "Ziek"},
        follow=True,
    )

    assert "Gepauzeerd sinds" in response.content.decode()


def test_a_passed_assignment_offers_the_next_one(trainer, world, progress):
    AssignmentProgressFactory._meta.model.objects.filter(pk=progress.pk).update(
        status=ProgressStatus.INDEPENDENT_WEEK,
        look_back_done_on=day(-9),
        goal_reached_on=day(-8),
        independent_until=day(-1),
    )

    trainer.post(
        url("hold_conversation", world.trajectory.pk),
        conversation(world, progress, outcome=Outcome.PASSED),
    )
    page = trainer.get(url("trajectory", world.trajectory.pk)).content.decode()

    assert url("introduce", progress.trajectory_skill_id) in page


# Input that must not break anything


def test_a_conversation_dated_in_year_one_gets_a_message_not_an_error(trainer, world, progress):
    data = conversation(world, progress, held_at="0001-01-01T00:00")

    response = trainer.post(url("hold_conversation", world.trajectory.pk), data)

    assert response.status_code == INVALID
    assert "tussen 2000 en 2099" in response.content.decode()


def test_an_agreed_period_in_the_far_future_gets_a_message_not_an_error(trainer, world):
    interest = InterestFactory(person__department=world.department)

    response = start(
        trainer,
        interest,
        trainer=world.trainer.pk,
        coach=world.coach.pk,
        agreed_start="9999-06-01",
        agreed_end="9999-12-31",
        accept_period="on",
    )

    assert response.status_code == INVALID
    assert not Trajectory.objects.filter(interest=interest).exists()


def test_starting_for_a_colleague_lands_on_the_home_page(trainer, world):
    interest = InterestFactory(person__department=world.department)
    colleague = world.colleague_trajectory.trainer

    response = start(trainer, interest, trainer=colleague.pk, coach=world.coach.pk)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_starting_twice_starts_one_trajectory(trainer, world):
    interest = InterestFactory(person__department=world.department)
    people = {"trainer": world.trainer.pk, "coach": world.coach.pk}

    start(trainer, interest, **people)
    again = start(trainer, interest, **people)

    trajectory = Trajectory.objects.get(interest=interest)
    assert again["Location"] == url("choose_skills", trajectory.pk)


def test_the_back_button_gets_the_whole_page(trainer, world):
    response = trainer.get(
        url("trajectory", world.trajectory.pk),
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )

    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_a_note_about_an_assignment_just_passed_is_still_saved(trainer, world, progress):
    AssignmentProgressFactory._meta.model.objects.filter(pk=progress.pk).update(
        status=ProgressStatus.PASSED, passed_on=day()
    )

    response = trainer.post(
        url("add_note", world.trajectory.pk), {"text": "Trots!", "progress": progress.pk}
    )

    assert response.status_code == 302
    assert FloorNote.objects.get().progress == progress


def test_a_part_asked_for_after_the_login_ran_out_sends_the_page_to_the_login(client, world):
    page = url("trajectory", world.trajectory.pk)

    response = client.post(
        url("add_note", world.trajectory.pk),
        {"text": "Nog even dit."},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{page}",
    )

    assert response["HX-Redirect"] == f"{reverse('login')}?next={page.replace('/', '%2F')}"


def test_calling_off_a_planned_conversation_returns_to_the_participant(trainer, world):
    planned = GuidanceConversationFactory(trajectory=world.trajectory)

    response = trainer.post(url("planned_conversation", planned.pk), {"cancel": "1"})

    assert response["Location"] == url("trajectory", world.trajectory.pk)
    assert not GuidanceConversation.objects.exists()


def test_the_history_shows_the_text_before_a_correction_and_who_changed_it(
    trainer, world, progress
):
    trainer.post(url("hold_conversation", world.trajectory.pk), conversation(world, progress))
    held = GuidanceConversation.objects.get()
    trainer.post(
        url("edit_conversation", held.pk),
        {"participant_account": "Nieuw verwoord.", "trainer_observations": "Ook nieuw."},
    )

    page = trainer.get(url("history", world.trajectory.pk)).content.decode()

    assert "Ik heb mijn taken op een briefje gezet." in page
    assert "Nieuw verwoord." in page
    assert world.trainer.full_name in page


def test_the_history_page_runs_a_fixed_number_of_queries(trainer, world, progress):
    def queries():
        with CaptureQueriesContext(connection) as context:
            trainer.get(url("history", world.trajectory.pk))
        return len(context)

    trainer.post(url("add_note", world.trajectory.pk), {"text": "Eerste."})
    few = queries()
    for n in range(5):
        trainer.post(url("add_note", world.trajectory.pk), {"text": f"Notitie {n}"})
        trainer.post(
            url("hold_conversation", world.trajectory.pk),
            conversation(world, progress, participant_account=f"Gesprek {n}"),
        )

    assert queries() == few


# The steps the page offers: those the trajectory's phase allows (the model says, not the page)

STEP_LINKS = {
    "choose skills": ("choose_skills",),
    "to assessment": ("trajectory_step", "assessment"),
    "to closing": ("trajectory_step", "closing"),
    "close": ("trajectory_step", "close"),
}


@pytest.mark.parametrize(
    ("phase", "offered"),
    [
        (1, {"choose skills"}),
        (2, {"choose skills", "to assessment"}),
        (3, {"to closing"}),
        (4, {"close"}),
    ],
)
def test_the_participant_page_offers_the_steps_of_its_phase(trainer, world, phase, offered):
    Trajectory.objects.filter(pk=world.trajectory.pk).update(phase=phase)
    pk = world.trajectory.pk

    page = trainer.get(url("trajectory", pk)).content.decode()

    shown = {step for step, (name, *args) in STEP_LINKS.items() if url(name, pk, *args) in page}
    assert shown == offered


def test_a_paused_trajectory_offers_no_phase_step(trainer, world):
    Trajectory.objects.filter(pk=world.trajectory.pk).update(phase=2)
    PauseFactory(trajectory=world.trajectory)

    page = trainer.get(url("trajectory", world.trajectory.pk)).content.decode()

    assert url("trajectory_step", world.trajectory.pk, "assessment") not in page
    assert url("trajectory_step", world.trajectory.pk, "resume") in page
