"""The coach's meetings: plan any kind, with invitees from the departments they coach; write
down a held meeting with who was there; the one-to-one shows the trainer's figures."""

import datetime

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AssignmentProgressFactory,
    DepartmentFactory,
    MeetingAttendanceFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    TrajectoryFactory,
    TrajectorySkillFactory,
    staff_member,
)
from trajects import services
from trajects.models import Meeting, MeetingAttendance, MeetingKind, ProgressStatus, Trajectory
from trajects.reports import dashboards
from wpo.models import Role
from wpo.services import StepRefused

INVALID = 422
HTMX = {"HTTP_HX_REQUEST": "true"}


def moment(days_from_now=0, hour=14):
    day = timezone.localdate() + datetime.timedelta(days=days_from_now)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def typed(days_from_now=0, hour=14):
    return moment(days_from_now, hour).strftime("%Y-%m-%dT%H:%M")


def refusal(step, *args, **kwargs) -> str:
    with pytest.raises(StepRefused) as caught:
        step(*args, **kwargs)
    return " ".join(caught.value.messages)


@pytest.fixture
def second(world):
    """A second department coached by `coach`, with its own trainer and participant."""
    department = DepartmentFactory(name="Montage")
    MembershipFactory(person=world.coach, role=Role.COACH, department=department)
    trainer = staff_member(Role.TRAINER, department, first_name="Bram")
    trajectory = TrajectoryFactory(department=department, trainer=trainer, coach=world.coach)
    return trajectory


def plan(world, **fields):
    values = {
        "kind": MeetingKind.KICKOFF,
        "scheduled_at": moment(14),
        "departments": [world.department],
        "invitees": [world.trainer],
        "by": world.coach.user,
    }
    return services.plan_meeting(**{**values, **fields})


def held(world, **fields):
    """A meeting of `coach` that took place yesterday, with `trainer` and the participant
    invited."""
    meeting = MeetingFactory(organiser=world.coach, scheduled_at=moment(-1), **fields)
    meeting.departments.add(world.department)
    for person in (world.trainer, world.trajectory.participant):
        MeetingAttendanceFactory(meeting=meeting, person=person)
    return meeting


# Planning


def test_coach_plans_a_kick_off_with_invitees_from_two_departments(world, second):
    meeting = plan(
        world,
        departments=[world.department, second.department],
        invitees=[world.trainer, world.trajectory.participant, second.trainer, second.participant],
    )

    assert set(meeting.departments.all()) == {world.department, second.department}
    assert set(meeting.attendances.values_list("person", flat=True)) == {
        world.trainer.pk,
        world.trajectory.participant_id,
        second.trainer_id,
        second.participant_id,
    }
    assert meeting.organiser == world.coach
    assert not meeting.attendances.filter(attended__isnull=False).exists()


def test_a_kick_off_needs_invitees(world):
    assert "Nodig minstens één persoon uit" in refusal(plan, world, invitees=[])


def test_coach_cannot_invite_a_participant_of_a_department_they_do_not_coach(world):
    message = refusal(plan, world, invitees=[world.other_trajectory.participant])

    assert world.other_trajectory.participant.full_name in message
    assert not Meeting.objects.exists()


def test_a_peer_review_meeting_is_for_trainers_only(world):
    message = refusal(
        plan,
        world,
        kind=MeetingKind.PEER_REVIEW,
        invitees=[world.trainer, world.trajectory.participant],
    )

    assert "intervisiebijeenkomst is voor werkplekopleiders" in message


def test_a_one_to_one_is_with_one_trainer_in_their_department(world, second):
    meeting = plan(
        world, kind=MeetingKind.ONE_TO_ONE, trainer=second.trainer, departments=[], invitees=[]
    )

    assert meeting.trainer == second.trainer
    assert list(meeting.departments.all()) == [second.department]
    assert list(meeting.attendances.values_list("person", flat=True)) == [second.trainer_id]


def test_a_one_to_one_with_a_trainer_of_another_department_is_refused(world):
    message = refusal(plan, world, kind=MeetingKind.ONE_TO_ONE, trainer=world.other_trainer)

    assert "geen werkplekopleider in een afdeling die jij coacht" in message


def test_two_meetings_of_a_kind_at_the_same_time_are_both_planned(world):
    """A double tap is caught by the form's one-time token, not by guessing from the contents:
    two visits written down afterwards may well share a time."""
    plan(world, kind=MeetingKind.DEPARTMENT_VISIT, scheduled_at=moment(-1), invitees=[])
    plan(world, kind=MeetingKind.DEPARTMENT_VISIT, scheduled_at=moment(-1), invitees=[])

    assert Meeting.objects.count() == 2


def test_a_department_visit_may_be_planned_afterwards_and_waits_to_be_written_down(world):
    meeting = plan(world, kind=MeetingKind.DEPARTMENT_VISIT, scheduled_at=moment(-1), invitees=[])

    assert list(Meeting.objects.to_record()) == [meeting]


def test_a_one_to_one_needs_a_trainer_in_the_database(world):
    with pytest.raises(IntegrityError):
        MeetingFactory(kind=MeetingKind.ONE_TO_ONE, trainer=None)


# Changing and calling off


def test_changing_a_planned_meeting_moves_it_and_changes_who_is_invited(world):
    meeting = plan(world, invitees=[world.trainer])

    services.change_meeting(
        meeting,
        scheduled_at=moment(21),
        location="Kantine",
        departments=[world.department],
        invitees=[world.trajectory.participant],
        by=world.coach.user,
    )

    meeting.refresh_from_db()
    assert (meeting.scheduled_at, meeting.location) == (moment(21), "Kantine")
    assert list(meeting.attendances.values_list("person", flat=True)) == [
        world.trajectory.participant_id
    ]


def test_a_held_meeting_cannot_be_called_off_whoever_asks(world):
    # who may change a meeting is the page's question (below: 403); the state is the service's
    meeting = held(world, held_on=timezone.localdate(), notes="Goed gesprek")

    assert "al gehouden" in refusal(services.cancel_meeting, meeting, by=world.trainer.user)


def test_calling_off_removes_the_meeting_and_its_invitations(world):
    meeting = plan(world)

    services.cancel_meeting(meeting, by=world.coach.user)

    assert not Meeting.objects.exists()
    assert not MeetingAttendance.objects.exists()


# Writing down a held meeting


def test_writing_down_records_who_was_there_and_who_was_not(world):
    meeting = held(world)

    services.record_meeting(
        meeting,
        held_on=timezone.localdate(),
        notes="  Vragen over de opdrachten besproken.  ",
        attended=[world.trainer],
        by=world.coach.user,
    )

    meeting.refresh_from_db()
    assert meeting.notes == "Vragen over de opdrachten besproken."
    assert dict(meeting.attendances.values_list("person", "attended")) == {
        world.trainer.pk: True,
        world.trajectory.participant_id: False,
    }


def test_a_meeting_still_to_come_cannot_be_written_down(world):
    meeting = plan(world)

    message = refusal(
        services.record_meeting,
        meeting,
        held_on=timezone.localdate(),
        notes="Alvast",
        by=world.coach.user,
    )

    assert "leg het vast als het is gehouden" in message


def test_writing_down_needs_what_was_discussed(world):
    message = refusal(
        services.record_meeting,
        held(world),
        held_on=timezone.localdate(),
        notes="  ",
        by=world.coach.user,
    )

    assert "Schrijf op wat is besproken" in message


def test_only_invitees_are_marked_present(world):
    message = refusal(
        services.record_meeting,
        held(world),
        held_on=timezone.localdate(),
        notes="Besproken",
        attended=[world.other_trainer],
        by=world.coach.user,
    )

    assert "Alleen genodigden" in message


# The one-to-one's talking points


def test_trainer_figures_count_participants_progress_and_results_in_one_query(world):
    chosen = TrajectorySkillFactory(
        trajectory=world.trajectory, achieved_level="", assessed_on=None
    )
    AssignmentProgressFactory(trajectory_skill=chosen, status=ProgressStatus.WORKING)
    AssignmentProgressFactory(
        trajectory_skill=chosen,
        assignment__number=2,
        status=ProgressStatus.PASSED,
        passed_on=timezone.localdate(),
    )
    TrajectoryFactory(
        department=world.department, trainer=world.trainer, phase=4, closed_on=timezone.localdate()
    )
    TrajectoryFactory(department=world.department, trainer=world.trainer, phase=1)

    with CaptureQueriesContext(connection) as queries:
        figures = dashboards.trainer_figures(Trajectory.objects.guided_by(world.trainer.pk))

    assert len(queries) == 1
    assert figures["active"] == 2
    assert (figures["phase_1"], figures["phase_2"], figures["phase_4"]) == (1, 1, 0)
    assert (figures["in_progress"], figures["passed"], figures["closed"]) == (1, 1, 1)


def test_the_one_to_one_page_shows_the_trainers_figures(client, world):
    meeting = plan(world, kind=MeetingKind.ONE_TO_ONE, trainer=world.trainer)
    TrajectoryFactory(department=world.department, trainer=world.trainer)
    client.force_login(world.coach.user)

    response = client.get(reverse("trajects:meeting", args=[meeting.pk]))

    assert response.context["figures"]["active"] == 2
    assert "Gespreksonderwerpen" in response.content.decode()


# Pages


def url(name, *args):
    return reverse(f"trajects:{name}", args=args)


@pytest.fixture
def coach(client, world):
    client.force_login(world.coach.user)
    return client


def test_the_meetings_page_shows_to_write_down_then_planned_then_held(coach, world):
    to_record = held(world, title="Gisteren")
    later = plan(world, scheduled_at=moment(30), title="Later")
    soon = plan(world, scheduled_at=moment(2), title="Binnenkort")
    done = held(world, title="Vorige maand", held_on=timezone.localdate(), notes="Goed")

    response = coach.get(url("meetings"))

    context = response.context
    assert list(context["to_record"]) == [to_record]
    assert list(context["upcoming"]) == [soon, later]
    assert list(context["held"]) == [done]
    page = response.content.decode()
    assert page.index("Gisteren") < page.index("Binnenkort") < page.index("Vorige maand")


def test_the_meetings_page_filters_by_kind_with_htmx(coach, world):
    plan(world, title="Start voorjaar")
    plan(world, kind=MeetingKind.PEER_REVIEW, title="Intervisie juni", scheduled_at=moment(3))

    response = coach.get(url("meetings"), {"kind": MeetingKind.PEER_REVIEW}, **HTMX)

    page = response.content.decode()
    assert "Intervisie juni" in page
    assert "Start voorjaar" not in page
    assert page.lstrip().startswith('<div id="meetings">')


def test_an_unknown_kind_in_the_filter_shows_every_kind(coach, world):
    plan(world, title="Start voorjaar")

    assert "Start voorjaar" in coach.get(url("meetings"), {"kind": "feest"}).content.decode()


def test_planning_a_kick_off_leads_to_its_page(coach, world):
    response = coach.post(
        url("meeting_plan", MeetingKind.KICKOFF),
        {
            "scheduled_at": typed(10),
            "title": "Start najaar",
            "departments": [world.department.pk],
            "invitees": [world.trainer.pk, world.trajectory.participant_id],
        },
    )

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("meeting", meeting.pk)
    assert meeting.attendances.count() == 2


def test_a_plan_with_an_invitee_from_elsewhere_comes_back_with_what_was_typed(coach, world):
    response = coach.post(
        url("meeting_plan", MeetingKind.KICKOFF),
        {
            "scheduled_at": typed(10),
            "title": "Start najaar",
            "departments": [world.department.pk],
            "invitees": [world.other_trainer.pk],
        },
    )

    assert response.status_code == INVALID
    assert "Start najaar" in response.content.decode()
    assert not Meeting.objects.exists()


def test_planning_an_unknown_kind_is_not_found(coach):
    assert coach.get(url("meeting_plan", "feest")).status_code == 404


def test_the_invitee_list_offers_only_the_coachs_departments(coach, world):
    response = coach.get(url("meeting_plan", MeetingKind.KICKOFF))

    page = response.content.decode()
    assert world.trajectory.participant.full_name in page
    assert world.other_trajectory.participant.full_name not in page
    assert world.other_trainer.full_name not in page


def test_writing_down_a_meeting_over_http(coach, world):
    meeting = held(world)

    response = coach.post(
        url("meeting_record", meeting.pk),
        {
            "held_on": timezone.localdate().isoformat(),
            "notes": "Iedereen weet wat de eerste opdracht is.",
            "attended": [world.trainer.pk],
        },
    )

    assert response.status_code == 302
    assert MeetingAttendance.objects.get(person=world.trainer).attended is True
    page = coach.get(url("meeting", meeting.pk)).content.decode()
    assert "was er niet" in page
    assert "Iedereen weet" in page


def test_calling_off_over_http(coach, world):
    meeting = plan(world)

    response = coach.post(url("meeting_edit", meeting.pk), {"cancel": "1"})

    assert response["Location"] == url("meetings")
    assert not Meeting.objects.exists()


def test_the_edit_page_of_a_held_meeting_leads_to_its_record(coach, world):
    meeting = held(world, held_on=timezone.localdate(), notes="Goed")

    response = coach.get(url("meeting_edit", meeting.pk))

    assert response["Location"] == url("meeting_record", meeting.pk)


def test_an_invited_trainer_reads_the_meeting_without_buttons_to_change_it(client, world):
    meeting = held(world)
    client.force_login(world.trainer.user)

    page = client.get(url("meeting", meeting.pk)).content.decode()

    assert world.trajectory.participant.full_name in page
    assert url("meeting_edit", meeting.pk) not in page


def add_meetings(world, count):
    """A third held, a third to write down, a third planned."""
    for index in range(count):
        past = index % 3 < 2
        meeting = MeetingFactory(
            organiser=world.coach,
            kind=MeetingKind.ONE_TO_ONE,
            trainer=world.trainer,
            scheduled_at=moment(-index - 1 if past else index + 1),
            held_on=timezone.localdate() if index % 3 == 0 else None,
        )
        meeting.departments.add(world.department)
        MeetingAttendanceFactory(meeting=meeting, person=world.trainer, attended=True)
        MeetingAttendanceFactory(meeting=meeting, person=PersonFactory(department=world.department))


def queries_for(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize("role", ["coach", "project_manager"])
def test_the_meetings_page_runs_the_same_number_of_queries_for_3_and_30_meetings(
    client, world, role
):
    client.force_login(world.user(role))
    add_meetings(world, 3)
    small = queries_for(client, url("meetings"))
    add_meetings(world, 27)
    large = queries_for(client, url("meetings"))

    assert small == large
    assert large <= 12


JUNK = [
    "",
    " ",
    "x",
    "-1",
    "9" * 40,
    "-" + "9" * 40,
    "2026-02-30",
    "0001-01-01T00:00",
    "<script>",
    "\x00",
]
FIELDS = ["scheduled_at", "title", "location", "trainer", "departments", "invitees"]
RECORD_FIELDS = ["held_on", "notes", "attended"]


@pytest.mark.parametrize("junk", JUNK)
def test_junk_in_the_meeting_forms_never_breaks_a_page(coach, world, junk):
    planned, done = plan(world), held(world)
    posts = [(url("meeting_plan", kind), FIELDS) for kind in MeetingKind.values]
    posts += [
        (url("meeting_edit", planned.pk), FIELDS),
        (url("meeting_record", done.pk), RECORD_FIELDS),
    ]

    for path, fields in posts:
        response = coach.post(path, dict.fromkeys(fields, junk))
        assert response.status_code in (302, INVALID), (path, junk)


def test_a_coach_of_one_department_sees_only_its_invitees_of_a_shared_kickoff(client, world):
    shared = plan(
        world,
        departments=[world.department],
        invitees=[world.trainer, world.trajectory.participant],
    )
    shared.departments.add(world.other_department)
    MeetingAttendance.objects.create(meeting=shared, person=world.other_trajectory.participant)
    client.force_login(world.other_coach.user)

    page = client.get(url("meeting", shared.pk)).content.decode()

    assert world.other_trajectory.participant.full_name in page
    assert world.trajectory.participant.full_name not in page


def test_held_meetings_come_a_page_at_a_time_newest_first(coach, world):
    for days_ago in range(1, 31):
        MeetingFactory(
            organiser=world.coach, scheduled_at=moment(-days_ago), held_on=moment(-days_ago).date()
        ).departments.add(world.department)

    first = coach.get(url("meetings")).context["held"]
    second = coach.get(url("meetings"), {"page": 2}).context["held"]

    assert len(first) == 25
    assert len(second) == 5
    assert first[0].held_on > second[0].held_on


# Who may: the pages answer by access (the services check only the state)


def test_a_trainer_cannot_plan_a_meeting(client, world):
    client.force_login(world.trainer.user)

    response = client.post(url("meeting_plan", MeetingKind.KICKOFF), {"scheduled_at": typed(10)})

    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_coach_cannot_plan_for_a_department_they_do_not_coach(coach, world):
    response = coach.post(
        url("meeting_plan", MeetingKind.KICKOFF),
        {
            "scheduled_at": typed(10),
            "departments": [world.other_department.pk],
            "invitees": [world.other_trainer.pk],
        },
    )

    assert response.status_code == INVALID
    assert not Meeting.objects.exists()


def test_only_the_organiser_changes_a_meeting(client, world):
    colleague = staff_member(Role.COACH, world.department)
    meeting = plan(world)
    client.force_login(colleague.user)

    response = client.post(url("meeting_edit", meeting.pk), {"cancel": "1"})

    assert response.status_code == 403
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_a_meeting_out_of_sight_answers_404(client, world):
    meeting = plan(world)
    client.force_login(world.other_coach.user)

    assert client.post(url("meeting_edit", meeting.pk), {"cancel": "1"}).status_code == 404


def test_attendance_is_indexed_by_person_and_by_meeting(db):
    """The meetings someone is invited to, and the invitees of a meeting, are looked up
    without reading every invitee of the organisation."""
    table = MeetingAttendance._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    leading = {tuple(c["columns"][:2]) for c in constraints.values() if c["index"] or c["unique"]}

    assert {("person_id", "meeting_id"), ("meeting_id", "person_id")} <= leading


def test_the_counts_stay_per_meeting_for_a_coach_who_is_also_invited(world):
    meeting = MeetingFactory(organiser=world.coach)
    meeting.departments.add(world.department, world.other_department)
    MeetingAttendanceFactory(meeting=meeting, person=world.coach, attended=True)
    MeetingAttendanceFactory(meeting=meeting, person=world.trainer, attended=False)

    [row] = Meeting.objects.visible_to(world.coach.user).for_list()

    assert (row.invited, row.present) == (2, 1)
