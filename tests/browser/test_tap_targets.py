"""Every link and button on the trainer's pages can be hit by a thumb: at least 44 x 44 px on a
360 x 780 phone (WCAG 2.5.5). Exempt, as WCAG 2.5.8 allows, are links inside a sentence of
running text: none on these pages today."""

import datetime
from pprint import pformat

import pytest
from django.utils import timezone

from tests.browser.conftest import log_in
from tests.factories import (
    PASSWORD,
    AssignmentProgressFactory,
    GuidanceConversationFactory,
    TrajectorySkillFactory,
)
from trajects.models import ProgressStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TAP = 44
TARGETS = "a, button, summary, input[type=submit], select, input[type=radio], input[type=checkbox]"

# The box of every visible target, with its text, so a failure names what is too small.
MEASURE = """targets => targets
  .filter(el => el.checkVisibility())
  .map(el => {
    // a radio or checkbox is hit through its label as well
    const choice = (el.type === "radio" || el.type === "checkbox") && el.labels.length;
    const box = (choice ? el.labels[0] : el).getBoundingClientRect();
    const name = (el.innerText || el.value || el.name || el.tagName).trim().slice(0, 40);
    return [name, Math.round(box.width), Math.round(box.height)];
  })"""


def too_small(page) -> list:
    return [
        (name, width, height)
        for name, width, height in page.locator(TARGETS).evaluate_all(MEASURE)
        if width < TAP or height < TAP
    ]


def test_every_target_on_the_trainers_pages_is_a_thumb_wide(phone, world):
    chosen = TrajectorySkillFactory(trajectory=world.trajectory)
    progress = AssignmentProgressFactory(trajectory_skill=chosen)
    GuidanceConversationFactory(trajectory=world.trajectory)
    yesterday = timezone.now() - datetime.timedelta(days=1)
    GuidanceConversationFactory(
        trajectory=world.trajectory, planned_at=yesterday, held_at=yesterday
    )
    AssignmentProgressFactory(  # so the move to the assessment can be taken
        trajectory_skill=TrajectorySkillFactory(trajectory=world.trajectory),
        status=ProgressStatus.PASSED,
        introduced_on=timezone.localdate() - datetime.timedelta(days=20),
        passed_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    log_in(phone, world.trainer.user.username, PASSWORD)
    trajectory = world.trajectory.pk
    found = {}

    for path in [
        "/trainer/",
        f"/trajectories/{trajectory}/",
        f"/progress/{progress.pk}/",
        f"/trajectories/{trajectory}/steps/assessment/",
        f"/trajectories/{trajectory}/steps/pause/",
        f"/trajectories/{trajectory}/steps/stop/",
    ]:
        phone.goto(path)
        phone.locator("details").evaluate_all("all => all.forEach(d => { d.open = true; })")
        found[path] = too_small(phone)

    failures = {path: small for path, small in found.items() if small}
    assert not failures, pformat(failures)
