"""The Content-Security-Policy allows no inline script or style, and the app (htmx included)
works under it: a save and a filter go through, and the browser reports no violation."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import PASSWORD, TrajectorySkillFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_htmx_saves_and_filters_under_the_content_security_policy(phone, world):
    violations = []
    phone.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    chosen = TrajectorySkillFactory(trajectory=world.trajectory)
    log_in(phone, world.trainer.user.username, PASSWORD)
    response = phone.goto(f"/trajectories/{world.trajectory.pk}/")

    page_url = phone.url
    phone.locator("#skill-filter").select_option(str(chosen.skill_id))
    expect(phone).to_have_url(f"{page_url}?skill={chosen.skill_id}")
    phone.locator("#note-form [name=text]").fill("Onder een strenge CSP opgeslagen.")
    phone.get_by_role("button", name="Notitie opslaan").click()
    expect(phone.locator("#note-form")).to_contain_text("Notitie opgeslagen.")

    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert violations == []
