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
    assert set(roles.values()) == {"trainer", "coach", "project_manager", "admin"}


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
