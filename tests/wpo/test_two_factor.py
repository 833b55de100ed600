"""Two-step login: a code from an authenticator app after the password, for whoever linked one,
and for coaches, the project manager and administrators when the organisation requires it."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD
from wpo.models import AuditAction, AuditEvent


def code_for(device):
    return str(TOTP(device.bin_key, device.step, device.t0, device.digits).token()).zfill(6)


def log_in(client, person):
    client.post(reverse("login"), {"username": person.user.username, "password": PASSWORD})


@pytest.fixture
def linked_coach(world):
    TOTPDevice.objects.create(user=world.coach.user, name="WPO", confirmed=True)
    return world.coach


def test_after_the_password_a_linked_app_asks_for_its_code(client, linked_coach):
    log_in(client, linked_coach)

    response = client.get(reverse("trajects:coach_home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor"))


def test_the_right_code_lets_the_coach_in(client, linked_coach):
    log_in(client, linked_coach)
    device = TOTPDevice.objects.get(user=linked_coach.user)

    response = client.post(
        f"{reverse('two_factor')}?next={reverse('trajects:coach_home')}",
        {"code": code_for(device)},
    )

    assert response["Location"] == reverse("trajects:coach_home")
    assert client.get(reverse("trajects:coach_home")).status_code == 200


def test_a_wrong_code_says_so_in_dutch(client, linked_coach):
    log_in(client, linked_coach)

    response = client.post(reverse("two_factor"), {"code": "000000"})

    assert response.status_code == 422
    assert "Deze code klopt niet" in response.content.decode()
    assert client.get(reverse("trajects:coach_home")).status_code == 302


def test_a_next_page_elsewhere_is_not_followed(client, linked_coach):
    log_in(client, linked_coach)
    device = TOTPDevice.objects.get(user=linked_coach.user)

    response = client.post(
        f"{reverse('two_factor')}?next=https://elders.example/", {"code": code_for(device)}
    )

    assert response["Location"] == reverse("home")


def test_without_the_requirement_a_coach_without_an_app_just_logs_in(client, world):
    log_in(client, world.coach)

    assert client.get(reverse("trajects:coach_home")).status_code == 200


def test_when_required_a_coach_links_an_app_first(client, world, settings):
    settings.WPO_REQUIRE_2FA = True
    log_in(client, world.coach)

    sent = client.get(reverse("trajects:coach_home"))
    page = client.get(reverse("two_factor")).content.decode()
    device = TOTPDevice.objects.get(user=world.coach.user, confirmed=False)
    linked = client.post(reverse("two_factor"), {"code": code_for(device)})

    assert sent["Location"].startswith(reverse("two_factor"))
    assert 'src="data:image/svg+xml' in page
    assert linked.status_code == 302
    assert TOTPDevice.objects.get(user=world.coach.user).confirmed
    assert client.get(reverse("trajects:coach_home")).status_code == 200


def test_when_required_a_trainer_still_logs_in_with_a_password(client, world, settings):
    settings.WPO_REQUIRE_2FA = True
    log_in(client, world.trainer)

    assert client.get(reverse("trajects:trainer_home")).status_code == 200


def test_when_required_the_administrator_needs_the_code_for_the_admin(client, world, settings):
    settings.WPO_REQUIRE_2FA = True
    client.post(reverse("login"), {"username": world.admin.username, "password": PASSWORD})

    response = client.get(reverse("admin:index"))

    assert response["Location"].startswith(reverse("two_factor"))


def test_each_linking_shows_a_new_key(client, world):
    log_in(client, world.trainer)

    first = client.get(reverse("two_factor")).context["key"]
    second = client.get(reverse("two_factor")).context["key"]

    assert first != second
    assert TOTPDevice.objects.filter(user=world.trainer.user).count() == 1


def test_a_part_of_a_page_asked_for_before_the_code_sends_the_page_to_the_code(
    client, linked_coach
):
    log_in(client, linked_coach)
    page = reverse("trajects:coach_home")

    response = client.get(
        page, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=f"http://testserver{page}"
    )

    assert response["HX-Redirect"].startswith(reverse("two_factor"))


def test_linking_and_wrong_codes_are_in_the_audit_log(client, world):
    log_in(client, world.trainer)
    client.get(reverse("two_factor"))
    client.post(reverse("two_factor"), {"code": "000000"})
    device = TOTPDevice.objects.get(user=world.trainer.user)
    device.throttle_reset()  # django-otp makes a wrong code wait a moment before the next try
    client.post(reverse("two_factor"), {"code": code_for(device)})

    actions = set(
        AuditEvent.objects.filter(user=world.trainer.user).values_list("action", flat=True)
    )
    assert {AuditAction.SECOND_STEP_FAILED, AuditAction.APP_LINKED} <= actions


def after_wrong_codes(device, count, *, ago):
    """As if `count` wrong codes were typed, the last one `ago` (a timedelta) back."""
    device.throttling_failure_count = count
    device.throttling_failure_timestamp = timezone.now() - ago
    device.save()


def test_wrong_codes_never_hold_the_owner_out_longer_than_the_login_lockout(
    client, linked_coach, settings
):
    log_in(client, linked_coach)
    device = TOTPDevice.objects.get(user=linked_coach.user)
    after_wrong_codes(device, 30, ago=settings.AXES_COOLOFF_TIME)  # django-otp: 17 years

    response = client.post(reverse("two_factor"), {"code": code_for(device)})

    assert response.status_code == 302
    assert client.get(reverse("trajects:coach_home")).status_code == 200


def test_after_wrong_codes_the_page_says_when_to_try_again(client, linked_coach, settings):
    log_in(client, linked_coach)
    device = TOTPDevice.objects.get(user=linked_coach.user)
    after_wrong_codes(device, 30, ago=datetime.timedelta(0))

    page = client.get(reverse("two_factor")).content.decode()

    shown = re.search(r"Probeer het opnieuw om (\d\d):(\d\d)\.", page)
    now = timezone.localtime()
    at = now.replace(hour=int(shown[1]), minute=int(shown[2]), second=0, microsecond=0)
    at += datetime.timedelta(days=1) if at < now else datetime.timedelta(0)  # past midnight
    assert now < at <= now + settings.AXES_COOLOFF_TIME + datetime.timedelta(minutes=1)


def test_while_held_even_the_right_code_is_not_tried_and_the_wait_stays_as_it_was(
    client, linked_coach
):
    log_in(client, linked_coach)
    device = TOTPDevice.objects.get(user=linked_coach.user)
    after_wrong_codes(device, 8, ago=datetime.timedelta(seconds=10))  # held for 128 seconds
    before = device.throttling_failure_timestamp

    response = client.post(reverse("two_factor"), {"code": code_for(device)})

    assert response.status_code == 429
    assert "Probeer het opnieuw om" in response.content.decode()
    device.refresh_from_db()
    assert (device.throttling_failure_count, device.throttling_failure_timestamp) == (8, before)
    assert client.get(reverse("trajects:coach_home")).status_code == 302
