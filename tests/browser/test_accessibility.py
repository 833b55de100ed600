"""axe-core finds no serious or critical accessibility problem on the trainer's pages, forms
opened and with their error messages showing, nor on the participant's own pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import log_in, log_out
from tests.factories import (
    PASSWORD,
    AssignmentProgressFactory,
    GuidanceConversationFactory,
    TrajectorySkillFactory,
)
from trajects.services.participant import make_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.long]


def serious(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_the_trainers_pages_have_no_serious_accessibility_problem(phone, world):
    chosen = TrajectorySkillFactory(trajectory=world.trajectory)
    progress = AssignmentProgressFactory(trajectory_skill=chosen)
    GuidanceConversationFactory(trajectory=world.trajectory)
    held = GuidanceConversationFactory(
        trajectory=world.trajectory, planned_at=None, held_at=timezone.now()
    )
    log_in(phone, world.trainer.user.username, PASSWORD)
    found = {}

    for path in [
        "/trainer/",
        f"/trajectories/{world.trajectory.pk}/skills/",
        f"/progress/{progress.pk}/",
        "/interests/new/",
        f"/trajectories/{world.trajectory.pk}/history/",
        f"/trajectories/{world.trajectory.pk}/steps/closing/",
        f"/trajectories/{world.trajectory.pk}/steps/pause/",
        f"/trajectories/{world.trajectory.pk}/steps/stop/",
        f"/conversations/{held.pk}/confirm/",
    ]:
        phone.goto(path)
        found[path] = serious(phone)
    phone.goto(f"/trajectories/{world.trajectory.pk}/")
    phone.get_by_text("Gesprek vastleggen").first.click()
    phone.get_by_role("button", name="Gesprek opslaan").click()
    phone.locator("#conversations .form-error").wait_for()
    found["participant page, conversation with errors"] = serious(phone)

    assert {page: problems for page, problems in found.items() if problems} == {}


def test_the_coach_and_project_manager_pages_have_no_serious_accessibility_problem(page, world):
    found = {}
    for role, path in [("coach", "/coach/"), ("project_manager", "/organisation/")]:
        log_in(page, world.user(role).username, PASSWORD)
        page.goto(path)
        found[path] = serious(page)
        log_out(page)

    assert {path: problems for path, problems in found.items() if problems} == {}


def test_the_participants_own_pages_have_no_serious_accessibility_problem(phone, world):
    progress = AssignmentProgressFactory(trajectory_skill__trajectory=world.trajectory)
    GuidanceConversationFactory(trajectory=world.trajectory)
    GuidanceConversationFactory(
        trajectory=world.trajectory, planned_at=None, held_at=timezone.now(), agreements="Oefenen"
    )
    assignment = reverse("trajects:mine_assignment", args=[progress.pk])
    phone.goto(reverse("trajects:participant_open", args=[make_link(world.trajectory)]))
    found = {}

    for path in [reverse("trajects:mine"), assignment]:
        phone.goto(path)
        found[path] = serious(phone)
    phone.locator("#question-1").get_by_role("button", name="Opslaan").click()
    phone.locator("#question-1 .field-error").wait_for()
    found["assignment, an empty answer"] = serious(phone)
    phone.get_by_role("button", name="Klaar").click()
    found["done"] = serious(phone)
    phone.goto(reverse("trajects:mine"))
    found["link ended"] = serious(phone)

    assert {page: problems for page, problems in found.items() if problems} == {}
