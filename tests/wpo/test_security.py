"""Security settings and login protection: headers on every page, lockout after repeated wrong
passwords, an inactivity clock on the session, and an audit trail without personal data in
the application log."""

import logging
import time

import pytest
from django.urls import reverse

from tests.factories import PASSWORD
from wpo.middleware import InactivityMiddleware
from wpo.models import AuditAction, AuditEvent


def test_every_page_carries_the_security_headers(client, world):
    client.force_login(world.trainer.user)

    response = client.get(reverse("trajects:trajectory", args=[world.trajectory.pk]))

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def wrong_password(client, username):
    return client.post(reverse("login"), {"username": username, "password": "niet-goed-123"})


def test_five_wrong_passwords_lock_the_login_with_a_dutch_message(client, world, settings):
    username = world.trainer.user.username
    for _ in range(settings.AXES_FAILURE_LIMIT):
        wrong_password(client, username)

    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})

    assert response.status_code == 429
    assert "te vaak verkeerd" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_still_let_the_right_one_in(client, world, settings):
    username = world.trainer.user.username
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        wrong_password(client, username)

    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})

    assert response.status_code == 302


def test_a_lockout_of_one_login_leaves_a_colleague_alone(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        wrong_password(client, world.trainer.user.username)

    response = client.post(
        reverse("login"), {"username": world.coach.user.username, "password": PASSWORD}
    )

    assert response.status_code == 302


def test_logins_and_failed_logins_are_audited_by_id_only(client, world, caplog):
    user = world.trainer.user
    with caplog.at_level(logging.INFO, logger="wpo.audit"):
        wrong_password(client, user.username)
        client.post(reverse("login"), {"username": user.username, "password": PASSWORD})

    actions = list(AuditEvent.objects.filter(user=user).values_list("action", flat=True))
    assert sorted(actions) == sorted([AuditAction.LOGIN_FAILED, AuditAction.LOGIN])
    assert user.username not in caplog.text
    assert f"user={user.pk}" in caplog.text


def test_a_mistyped_username_is_not_stored(client, world):
    wrong_password(client, "tineke.janssen")

    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.user is None
    assert event.object_id == ""


def test_working_renews_the_session_after_a_few_minutes_only(client, world):
    client.force_login(world.trainer.user)
    page = reverse("trajects:trainer_home")
    started = client.session["renewed_at"]

    client.get(page)
    assert client.session["renewed_at"] == started

    session = client.session
    session["renewed_at"] = int(time.time()) - InactivityMiddleware.RENEW_AFTER - 1
    session.save()
    client.get(page)
    assert client.session["renewed_at"] >= int(time.time()) - 5


@pytest.mark.parametrize("path", ["/health/", "/accounts/login/"])
def test_public_pages_carry_the_policy_too(client, db, path):
    assert "default-src 'self'" in client.get(path)["Content-Security-Policy"]


def test_the_privacy_page_says_how_long_data_is_kept(client, world, settings):
    settings.WPO_RETENTION_YEARS = 3
    client.force_login(world.trainer.user)

    page = client.get(reverse("privacy")).content.decode()

    assert "3 jaar na het afsluiten" in page


def test_a_login_ends_after_the_longest_session_however_active(client, world, settings):
    client.force_login(world.trainer.user)
    session = client.session
    session["logged_in_at"] = int(time.time()) - settings.WPO_SESSION_MAX_HOURS * 3600 - 1
    session.save()

    response = client.get(reverse("trajects:trainer_home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_lockout_is_in_the_audit_log(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        wrong_password(client, world.trainer.user.username)

    assert AuditEvent.objects.filter(
        action=AuditAction.LOCKED_OUT, user=world.trainer.user
    ).exists()
