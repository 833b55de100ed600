"""A coach at a desk: every overdue situation shows its signal and its reason in words, and the
participant list filters in place (htmx) and by its URL (a filtered view can be shared)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import (
    AssignmentProgressFactory,
    GuidanceConversationFactory,
    InterestFactory,
    TrajectoryFactory,
    TrajectorySkillFactory,
)
from trajects.models import Phase, ProgressStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def participant(world, name, phase=Phase.START, **fields):
    fields.setdefault("agreed_start", days_ago(60))
    fields.setdefault("agreed_end", days_ago(60) + datetime.timedelta(days=200))
    return TrajectoryFactory(
        department=world.department,
        trainer=world.trainer,
        coach=world.coach,
        participant__first_name=name,
        participant__last_name="Test",
        participant__department=world.department,
        phase=phase,
        **fields,
    )


def working_on(trajectory, **fields):
    chosen = TrajectorySkillFactory(trajectory=trajectory)
    return AssignmentProgressFactory(trajectory_skill=chosen, **fields)


def overdue_situations(world):
    """Each norm broken once, by a participant named after it; one participant on track."""
    working_on(
        participant(world, "Lang"),
        status=ProgressStatus.WORKING,
        introduced_on=days_ago(49),
        assignment__title="Hulp vragen",
    )
    working_on(
        participant(world, "Terugkijk"),
        status=ProgressStatus.WORKING,
        get_started_on=days_ago(12),
        look_back_due_on=days_ago(5),
    )
    working_on(
        participant(world, "Zelfstandig"),
        status=ProgressStatus.INDEPENDENT_WEEK,
        goal_reached_on=days_ago(10),
        independent_until=days_ago(3),
    )
    participant(world, "Einde", agreed_start=days_ago(200), agreed_end=days_ago(14))
    participant(
        world,
        "Jaar",
        agreed_start=days_ago(400),
        agreed_end=days_ago(400) + datetime.timedelta(days=420),
    )
    participant(world, "Kort", agreed_end=days_ago(60) + datetime.timedelta(days=61))
    stil = participant(world, "Stil", phase=Phase.LEARNING)
    GuidanceConversationFactory(
        trajectory=stil, planned_at=None, held_at=timezone.now() - datetime.timedelta(days=28)
    )
    participant(world, "Rustig")
    for _ in range(8):
        InterestFactory(person__department=world.department, registered_on=days_ago(3))


def row(page, name):
    return page.locator("#participants tr", has_text=f"{name} Test")


def test_coach_sees_each_overdue_situation_with_its_signal_and_reason(page, world):
    overdue_situations(world)
    log_in(page, world.coach.user.username, "wpo-test-password")
    page.goto("/coach/")

    expected = {
        "Lang": ("aandacht nodig", "opdracht “Hulp vragen” loopt al 7 weken"),
        "Terugkijk": ("aandacht nodig", "terugkijkopdracht 5 dagen te laat"),
        "Zelfstandig": (
            "aandacht nodig",
            "zelfstandige week 3 dagen geleden afgelopen, nog geen vervolggesprek",
        ),
        "Einde": ("aandacht nodig", "traject 2 weken over de afgesproken einddatum"),
        "Jaar": ("nu actie nodig", "langer dan de norm van een jaar"),
        "Kort": ("aandacht nodig", "korter dan 3 maanden is ongebruikelijk"),
        "Stil": ("aandacht nodig", "geen begeleidingsgesprek sinds 4 weken"),
        "Rustig": ("op schema", None),
    }
    for name, (severity, reason) in expected.items():
        expect(row(page, name).locator(".signal")).to_contain_text(severity)
        if reason:
            expect(row(page, name)).to_contain_text(reason)
    expect(page.locator(".signal-summary")).to_contain_text("8 aanmeldingen wachten op een start")
    # red first, then orange, the participant on track last
    names = page.locator("#participants tbody tr td:nth-child(2) > a").all_inner_texts()
    assert names[0] == "Jaar Test"
    assert names[-1] == "Rustig Test"


def test_coach_filters_by_htmx_and_the_url_keeps_the_filter(page, world):
    overdue_situations(world)
    log_in(page, world.coach.user.username, "wpo-test-password")
    page.goto("/coach/")
    page.evaluate("window.wpoMarker = 'same page'")

    page.get_by_label("Signaal", exact=True).select_option(label="Over de afgesproken einddatum")

    expect(page.locator("#participants tbody tr")).to_have_count(1)
    expect(row(page, "Einde")).to_be_visible()
    assert page.evaluate("window.wpoMarker") == "same page", "the page was reloaded"
    assert "signal=past_end" in page.url

    shared = page.url
    page.goto("/coach/")
    # the eight above and the two participants the world starts with
    expect(page.locator("#participants tbody tr")).to_have_count(10)
    page.goto(shared)
    expect(page.locator("#participants tbody tr")).to_have_count(1)
    expect(page.get_by_label("Signaal", exact=True)).to_have_value("past_end")

    page.get_by_label("Fase", exact=True).select_option(label="Leer/werkperiode")
    expect(page.locator("#participants")).to_contain_text("Geen lopende deelnemers")
