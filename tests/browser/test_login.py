import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_trainer_logs_in_on_a_phone_sees_own_participants_and_logs_out(phone, world):
    log_in(phone, world.trainer.user.username, PASSWORD)

    expect(phone.get_by_role("heading", name="Mijn deelnemers")).to_be_visible()
    expect(phone.get_by_text(world.trajectory.participant.full_name)).to_be_visible()
    expect(phone.get_by_text(world.other_trajectory.participant.full_name)).to_have_count(0)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    phone.get_by_role("button", name="Uitloggen").click()
    expect(phone.get_by_role("heading", name="Inloggen")).to_be_visible()
    phone.goto("/trainer/")
    expect(phone).to_have_url(re.compile(r"/accounts/login/\?next=/trainer/$"))


def test_wrong_password_says_so_in_dutch_and_keeps_the_username(page, world):
    log_in(page, "tineke", "niet-goed")

    expect(page.get_by_role("alert")).to_contain_text("wachtwoord")
    expect(page.locator("input[name=username]")).to_have_value("tineke")


def test_coach_and_project_manager_land_on_their_home(page, world):
    log_in(page, world.coach.user.username, PASSWORD)
    expect(page.get_by_role("heading", name="Mijn afdelingen")).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()
    # logged out for sure before the next login: otherwise the login page sends the coach on
    expect(page.locator("input[name=username]")).to_be_visible()

    log_in(page, world.project_manager.user.username, PASSWORD)
    expect(page.get_by_role("heading", name="De organisatie in cijfers")).to_be_visible()
