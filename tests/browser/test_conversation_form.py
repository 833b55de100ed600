"""The guidance conversation on a 360 x 780 phone, between two tasks: what is known is filled in
and shown as text, the outcomes that apply are large choices, the rarely used fields fold away,
and the form stays short enough to be filled in at a glance."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import (
    PASSWORD,
    AssignmentProgressFactory,
    FloorNoteFactory,
    GuidanceConversationFactory,
    TrajectorySkillFactory,
)
from trajects.models import Outcome, ProgressStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# From the form's heading to the bottom of its save button, in px. Measured at 1,454 before the
# form was made short and 935 after (960 in the fallback font, used when the web font is late).
HEIGHT_BUDGET = 980
TAP = 44


@pytest.fixture
def planned(world):
    """One assignment being practised, and its conversation planned for today, 14:00."""
    chosen = TrajectorySkillFactory(trajectory=world.trajectory)
    progress = AssignmentProgressFactory(trajectory_skill=chosen, status=ProgressStatus.WORKING)
    at_two = timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0)
    return GuidanceConversationFactory(
        trajectory=world.trajectory, progress=progress, planned_at=at_two
    )


@pytest.fixture
def form(phone, world, planned):
    log_in(phone, world.trainer.user.username, PASSWORD)
    phone.goto(f"/trajectories/{world.trajectory.pk}/")
    return phone.locator("#conversations form").first


def test_the_conversation_form_fits_its_height_budget_on_a_phone(phone, form):
    heading = phone.locator("#conversations details summary").first.bounding_box()
    save = form.get_by_role("button", name="Gesprek opslaan").bounding_box()

    height = save["y"] + save["height"] - heading["y"]

    assert height <= HEIGHT_BUDGET, height


def test_what_is_known_is_shown_as_text_with_its_fields_on_demand(form, planned):
    known = form.locator("details.known")
    title = planned.progress.assignment.title
    expect(known.locator("summary")).to_contain_text(f"WPO-opdracht: A · {title}, gehouden")
    expect(form.locator("[name=held_at]")).to_be_hidden()

    known.get_by_text("wijzigen").click()

    expect(form.locator("[name=held_at]")).to_be_visible()
    expect(form.locator("[name=progress]")).to_have_value(str(planned.progress.pk))


def test_the_outcomes_that_apply_are_choices_a_thumb_can_hit(form):
    choices = form.get_by_role("radio")

    expect(choices).to_have_count(2)
    expect(form.get_by_label("leerdoel gehaald: zelfstandige week", exact=True)).to_be_visible()
    for label in form.locator("label.choice").all():
        assert label.bounding_box()["height"] >= TAP


def test_the_rarely_used_fields_are_folded_away(form):
    expect(form.locator("[name=next_planned_at]")).to_be_hidden()

    form.get_by_text("Meer: coach erbij").click()

    expect(form.locator("[name=next_planned_at]")).to_be_visible()


def timeline_ids(page):
    return page.locator("#timeline-events > li").evaluate_all("items => items.map(i => i.id)")


def test_the_saved_conversation_stands_in_the_timeline_where_a_reload_puts_it(
    phone, world, planned
):
    now = timezone.now()
    for minutes in (0, 90, 24 * 60):
        FloorNoteFactory(trajectory=world.trajectory, written_at=now - timedelta(minutes=minutes))
    log_in(phone, world.trainer.user.username, PASSWORD)
    phone.goto(f"/trajectories/{world.trajectory.pk}/")
    form = phone.locator("#conversations form").first
    form.get_by_label("Gedaan en geleerd").fill("Ik heb zelf om uitleg gevraagd.")
    form.get_by_label("Wat zag je?").fill("Je vroeg meteen toen het misging.")
    form.get_by_label("leerdoel nog niet gehaald: verder oefenen", exact=True).check()
    phone.evaluate("window.notReloaded = true")

    form.get_by_role("button", name="Gesprek opslaan").click()

    expect(phone.locator(f"#timeline-conversation-{planned.pk}")).to_be_visible()
    assert phone.evaluate("window.notReloaded") is True
    saved = timeline_ids(phone)
    phone.reload()
    assert timeline_ids(phone) == saved


def test_a_planned_conversation_is_recorded_with_two_texts_and_an_outcome(form, planned):
    form.get_by_label("Gedaan en geleerd").fill("Ik heb zelf om uitleg gevraagd.")
    form.get_by_label("Wat zag je?").fill("Je vroeg meteen toen het misging.")
    form.get_by_label("leerdoel nog niet gehaald: verder oefenen", exact=True).check()

    form.get_by_role("button", name="Gesprek opslaan").click()

    expect(form.page.locator("#timeline")).to_contain_text("zelf om uitleg gevraagd")
    assignment = planned.progress_id
    planned.refresh_from_db()
    assert planned.held_at is not None
    assert planned.outcome == Outcome.CONTINUE
    assert planned.progress_id == assignment
