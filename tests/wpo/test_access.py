"""The access policy without HTTP: what each role's querysets hold."""

from tests.factories import (
    EscalationFactory,
    InterestFactory,
    MeetingAttendanceFactory,
    MeetingFactory,
    TrajectoryFactory,
)
from trajects.models import Escalation, Interest, Meeting, Trajectory
from wpo import access
from wpo.models import Department, Membership, Role


def test_trainer_sees_only_the_trajectories_they_guide(world):
    colleague_trajectory = TrajectoryFactory(
        department=world.department
    )  # same dept, other trainer

    visible = set(Trajectory.objects.visible_to(world.trainer.user))

    assert visible == {world.trajectory}
    assert colleague_trajectory not in visible


def test_trainer_cannot_see_other_departments_participant(world):
    assert world.other_trajectory not in Trajectory.objects.visible_to(world.trainer.user)


def test_coach_sees_every_trajectory_in_the_departments_they_coach(world):
    visible = set(Trajectory.objects.visible_to(world.coach.user))

    assert visible == {world.trajectory, world.colleague_trajectory}


def test_project_manager_sees_every_trajectory(world):
    assert set(Trajectory.objects.visible_to(world.project_manager.user)) == {
        world.trajectory,
        world.other_trajectory,
        world.colleague_trajectory,
    }


def test_administrator_without_a_role_sees_no_trajectory(world):
    assert not Trajectory.objects.visible_to(world.admin).exists()


def test_coach_who_also_trains_sees_both_scopes(world):
    Membership.objects.create(person=world.coach, role=Role.TRAINER, department=world.department)
    own = TrajectoryFactory(department=world.other_department, trainer=world.coach)

    visible = set(Trajectory.objects.visible_to(world.coach.user))

    assert own in visible
    assert world.trajectory in visible
    assert world.other_trajectory not in visible


def test_trainer_sees_interest_registrations_of_their_department(world):
    mine = InterestFactory(person__department=world.department)
    other = InterestFactory(person__department=world.other_department)

    visible = set(Interest.objects.visible_to(world.trainer.user))

    assert mine in visible
    assert other not in visible


def test_trainers_do_not_see_escalations(world):
    escalation = EscalationFactory(raised_by=world.coach, department=world.department)

    assert not Escalation.objects.visible_to(world.trainer.user).exists()
    assert escalation in Escalation.objects.visible_to(world.coach.user)
    assert escalation not in Escalation.objects.visible_to(world.other_coach.user)
    assert escalation in Escalation.objects.visible_to(world.project_manager.user)


def test_an_invitee_sees_the_meeting(world):
    meeting = MeetingFactory(organiser=world.coach)
    MeetingAttendanceFactory(meeting=meeting, person=world.trainer)

    assert meeting in Meeting.objects.visible_to(world.trainer.user)
    assert meeting not in Meeting.objects.visible_to(world.other_trainer.user)


def test_scope_is_read_once_per_request(world, django_assert_num_queries):
    user = world.coach.user
    with django_assert_num_queries(1):
        access.scope_of(user)
        access.scope_of(user)
        access.has_role(user, Role.COACH)


def test_inactive_user_has_no_scope(world):
    user = world.project_manager.user
    user.is_active = False

    assert access.scope_of(user) == access.Scope()


def test_departments_visible_to_each_role(world):
    assert set(Department.objects.visible_to(world.trainer.user)) == {world.department}
    assert set(Department.objects.visible_to(world.other_coach.user)) == {world.other_department}
    assert set(Department.objects.visible_to(world.project_manager.user)) == set(
        Department.objects.all()
    )
    assert not Department.objects.visible_to(world.admin).exists()


def test_coach_sees_interest_registrations_of_coached_departments_only(world):
    mine = InterestFactory(person__department=world.department)
    other = InterestFactory(person__department=world.other_department)

    visible = set(Interest.objects.visible_to(world.coach.user))

    assert mine in visible
    assert other not in visible


def test_coach_sees_meetings_for_the_departments_they_coach(world):
    meeting = MeetingFactory(organiser=world.other_coach)
    meeting.departments.add(world.department)

    assert meeting in Meeting.objects.visible_to(world.coach.user)
    assert meeting not in Meeting.objects.visible_to(world.trainer.user)


def test_coach_home_lists_only_coached_departments_interests_even_for_a_trainer_too(world):
    Membership.objects.create(
        person=world.coach, role=Role.TRAINER, department=world.other_department
    )
    InterestFactory(person__department=world.other_department, supervisor=world.coach)

    assert (
        not Interest.objects.in_coached_departments(world.coach.user)
        .filter(department=world.other_department)
        .exists()
    )
