import datetime
import io
import json

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from certificates.models import Certificate
from tests.factories import UserFactory
from trajects import norms
from trajects.consistency import contradictions
from trajects.models import (
    AssignmentProgress,
    FloorNote,
    GuidanceConversation,
    Interest,
    Pause,
    Phase,
    ProgressStatus,
    Trajectory,
)
from wpo.models import BusinessUnit, Department


@pytest.fixture
def summary(db, tmp_path):
    path = tmp_path / "demo.json"
    call_command("demo", "--summary-json", str(path), stdout=io.StringIO())
    return json.loads(path.read_text(encoding="utf-8"))


def test_demo_makes_the_organisation_the_contract_promises(summary):
    assert BusinessUnit.objects.count() >= 2
    assert Department.objects.count() >= 5
    assert Trajectory.objects.count() >= 30
    assert set(Trajectory.objects.values_list("phase", flat=True)) == {1, 2, 3, 4}
    assert GuidanceConversation.objects.held().exists()
    assert FloorNote.objects.exists()
    assert AssignmentProgress.objects.filter(status=ProgressStatus.PASSED).exists()
    assert Certificate.objects.exists()
    assert Interest.objects.waiting().exists()


def test_demo_logins_have_the_promised_roles(summary):
    roles = {login: facts["role"] for login, facts in summary.items()}

    assert roles["pm"] == "project_manager"
    assert roles["coach1"] == roles["coach2"] == "coach"
    assert all(roles[f"trainer{i}"] == "trainer" for i in range(1, 5))
    assert roles["admin"] == "admin"
    assert roles["manager1"] == "unit_manager"
    assert set(roles.values()) == {"trainer", "coach", "project_manager", "unit_manager", "admin"}


def test_each_business_unit_has_a_demo_manager_who_sees_its_departments(summary):
    managers = {login: facts for login, facts in summary.items() if facts["role"] == "unit_manager"}

    assert len(managers) == BusinessUnit.objects.count()
    for login, facts in managers.items():
        user = get_user_model().objects.get(username=login)
        seen = Department.objects.visible_to(user).values_list("name", flat=True)
        assert user.email == f"{login}@example.nl"
        assert sorted(seen) == sorted(facts["departments"]), login
        assert facts["participants"] == []


def test_every_demo_login_works_with_the_demo_password(summary):
    for login in summary:
        assert authenticate(username=login, password="wpo-demo") is not None, login


def test_each_trainer_sees_exactly_the_participants_the_summary_lists(summary, client):
    for login, facts in summary.items():
        if facts["role"] != "trainer":
            continue
        client.login(username=login, password="wpo-demo")
        page = client.get(reverse("trajects:trainer_home")).content.decode()
        for name in facts["participants"]:
            assert escape(name) in page, (login, name)
        assert page.count('class="card participant-card"') == len(facts["participants"])


def test_summary_lists_what_each_login_may_see(summary):
    users = {user.username: user for user in get_user_model().objects.all()}
    for login, facts in summary.items():
        if facts["role"] == "admin":
            continue
        visible = Trajectory.objects.visible_to(users[login])
        if facts["role"] != "project_manager":
            visible = visible.active()
        names = sorted(t.participant.full_name for t in visible.select_related("participant"))
        assert names == facts["participants"], login


def test_demo_reset_keeps_accounts_that_are_not_the_demos(summary):
    UserFactory(username="j.devries")

    call_command("demo", "--reset", stdout=io.StringIO())

    assert get_user_model().objects.filter(username="j.devries").exists()


def test_demo_refuses_to_run_twice_without_reset(summary):
    with pytest.raises(CommandError, match="--reset"):
        call_command("demo", stdout=io.StringIO())


def test_demo_if_empty_leaves_an_existing_organisation_alone(summary):
    count = Trajectory.objects.count()

    call_command("demo", "--if-empty", stdout=io.StringIO())

    assert Trajectory.objects.count() == count


def test_demo_reset_makes_a_fresh_organisation(summary):
    call_command("demo", "--reset", "--participants", "40", stdout=io.StringIO())

    assert Trajectory.objects.count() == 40
    assert authenticate(username="pm", password="wpo-demo") is not None


def test_demo_has_a_phase_history_and_a_participant_at_home_sick(db):
    call_command("demo", "--participants", "120", stdout=io.StringIO())

    paused = Pause.objects.current().select_related("trajectory")
    assert paused
    assert all(pause.trajectory.phase == Phase.LEARNING for pause in paused)
    assert all(pause.starts_on <= timezone.localdate() for pause in paused)
    for trajectory in Trajectory.objects.prefetch_related("phase_changes"):
        assert [c.phase for c in trajectory.phase_changes.all()] == list(
            range(1, trajectory.phase + 1)
        )


def test_demo_reset_leaves_no_history_of_the_old_organisation(summary):
    call_command("demo", "--reset", stdout=io.StringIO())

    assert not Trajectory.history.filter(history_type="-").exists()


def test_demo_password_can_be_changed(db):
    call_command("demo", "--password", "ander-wachtwoord-1", stdout=io.StringIO())

    assert authenticate(username="coach1", password="ander-wachtwoord-1") is not None


def test_a_benchmark_demo_holds_conversations_in_number_and_the_last_weeks_history(db):
    call_command("demo", "--participants", "40", "--conversations", "20", stdout=io.StringIO())

    four_weeks_ago = timezone.now() - datetime.timedelta(days=28)
    recent = GuidanceConversation.objects.filter(held_at__gte=four_weeks_ago)
    assert GuidanceConversation.objects.count() == 20 * 40
    assert GuidanceConversation.history.filter(held_at__gte=four_weeks_ago).count() == (
        recent.count()
    )
    assert not GuidanceConversation.history.filter(held_at__lt=four_weeks_ago).exists()


def test_no_demo_trajectory_contradicts_the_services_rules(summary):
    assert contradictions() == {}


@pytest.mark.parametrize("participants", ["40", "250"])
def test_a_demo_of_any_size_obeys_the_method(db, participants):
    call_command("demo", "--participants", participants, "--seed", "7", stdout=io.StringIO())

    assert contradictions() == {}


def test_the_checker_finds_a_goal_reached_before_the_look_back(summary):
    row = AssignmentProgress.objects.filter(status=ProgressStatus.INDEPENDENT_WEEK).first()
    row.goal_reached_on = row.look_back_done_on - datetime.timedelta(days=1)
    row.independent_until = row.goal_reached_on + datetime.timedelta(days=7)
    row.save()

    (problems,) = contradictions().values()
    assert problems == [
        f"assignment {row.assignment_id}: learning goal reached before the look-back task"
    ]


def test_the_checker_finds_an_assignment_in_progress_in_the_evaluation(summary):
    row = AssignmentProgress.objects.filter(status=ProgressStatus.WORKING).first()
    Trajectory.objects.filter(pk=row.trajectory.pk).update(phase=Phase.ASSESSMENT)

    problems = contradictions()[row.trajectory.pk]
    assert "in phase 3 with an assignment in progress" in problems


def test_only_trajectories_in_their_closing_hold_a_valid_certificate(summary):
    holders = Trajectory.objects.filter(
        certificates__isnull=False, certificates__revoked_at__isnull=True
    )

    assert set(holders.values_list("phase", flat=True)) == {Phase.CLOSING}
    assert not holders.filter(stopped_on__isnull=False).exists()


def test_the_demo_shows_each_of_the_coachs_seven_signals(summary):
    shown = {
        signal.rule
        for trajectory in Trajectory.objects.active().with_signals()
        for signal in norms.signals_of(trajectory)
    }

    assert shown == {rule.key for rule in norms.rules()}
    assert len(shown) == 7


def test_every_demo_login_has_an_address_at_example_nl(summary):
    addresses = dict(
        get_user_model().objects.filter(username__in=summary).values_list("username", "email")
    )

    assert addresses == {login: f"{login}@example.nl" for login in summary}


def test_the_summary_keeps_its_format(summary):
    for facts in summary.values():
        assert set(facts) >= {"role", "password", "departments", "participants"}
        assert isinstance(facts["departments"], list)
        assert all(isinstance(name, str) for name in facts["participants"])
