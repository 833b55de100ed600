"""When the database is down or locked, people get a page that says so in Dutch, never a
traceback, and monitoring sees it at /health/."""

from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse

OUTAGES = [
    'connection to server at "127.0.0.1", port 5432 failed: Connection refused',
    "database is locked",
]


@contextmanager
def database_fails(message):
    with mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=OperationalError(message)):
        yield


@pytest.fixture
def browser():
    """A client that shows what a visitor sees when something fails, as in production."""
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("message", OUTAGES)
def test_a_trainer_gets_a_dutch_page_to_try_again_when_the_database_fails(browser, world, message):
    browser.force_login(world.trainer.user)

    with database_fails(message):
        response = browser.get("/")

    assert response.status_code == 503
    assert "Even niet bereikbaar" in response.content.decode()
    assert message not in response.content.decode()


def test_the_page_says_when_to_try_again(browser, world):
    browser.force_login(world.trainer.user)

    with database_fails(OUTAGES[0]):
        response = browser.get("/")

    assert response["Retry-After"] == "60"


def test_logging_in_while_the_database_is_down_gets_the_same_page(browser, db):
    with database_fails(OUTAGES[0]):
        response = browser.post(
            "/accounts/login/", {"username": "trainer1", "password": "wpo-demo"}
        )

    assert response.status_code == 503
    assert "Even niet bereikbaar" in response.content.decode()


def test_health_reports_the_database_down(browser, db):
    with database_fails(OUTAGES[0]):
        response = browser.get("/health/")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_a_broken_query_is_a_500_not_a_503(browser, world, monkeypatch):
    """ "No such table" after a missed migrate is an OperationalError too, but a defect: it must
    not hide behind "try again in a minute" while the database answers."""
    from trajects.views import trainer as views

    def broken(*args, **kwargs):
        raise OperationalError("no such table: trajects_trajectory")

    monkeypatch.setattr(views, "render", broken)
    browser.force_login(world.trainer.user)

    response = browser.get(reverse("trajects:trainer_home"))

    assert response.status_code == 500
