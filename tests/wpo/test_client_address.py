"""Behind the proxy, limits count the visitor, not the proxy: a lockout after wrong passwords and
the limit on guessing certificate codes. A visitor cannot escape a limit with a header of their
own."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import PASSWORD
from wpo.proxy import client_ip

PROXY = "127.0.0.1"  # nginx on the same machine, as in docs/deploy.md
VISITOR, OTHER_VISITOR = "203.0.113.9", "198.51.100.7"


def via(address, proxy=PROXY):
    """A request as the documented nginx passes it on (`X-Forwarded-For $remote_addr`)."""
    return {"REMOTE_ADDR": proxy, "HTTP_X_FORWARDED_FOR": address}


def address_of(**meta):
    return client_ip(RequestFactory().get("/", **meta))


def log_in(client, world, password, **meta):
    data = {"username": world.trainer.user.username, "password": password}
    return client.post(reverse("login"), data, **meta)


def lock_out(client, world, settings, **meta):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, world, "niet-goed-123", **meta)


def guess_codes(client, settings, **meta):
    for _ in range(settings.WPO_VERIFY_MISSES_PER_HOUR):
        client.get("/certificates/verify/AAAA-BBBB-CCCC/", **meta)


@pytest.fixture
def behind_nginx(settings):
    settings.WPO_TRUSTED_PROXIES = 1


@pytest.fixture
def no_proxy(settings):
    settings.WPO_TRUSTED_PROXIES = 0


def test_behind_a_trusted_proxy_the_visitor_is_the_address_the_proxy_saw(behind_nginx):
    assert address_of(**via(VISITOR)) == VISITOR


def test_the_entries_a_visitor_sent_themselves_are_passed_over(behind_nginx):
    # a load balancer that appends: the visitor's own "1.2.3.4" stands to the left
    assert address_of(**via(f"1.2.3.4, {VISITOR}")) == VISITOR


def test_with_two_proxies_the_visitor_is_the_one_the_outer_proxy_saw(settings):
    settings.WPO_TRUSTED_PROXIES = 2

    assert address_of(**via(f"1.2.3.4, {VISITOR}, 10.0.0.2")) == VISITOR


@pytest.mark.parametrize("header", ["", "geen-adres", f"{VISITOR}:51234"])
def test_a_header_that_names_no_address_counts_as_the_proxy(behind_nginx, header):
    assert address_of(**via(header)) == PROXY


def test_a_request_past_fewer_proxies_than_trusted_counts_as_the_proxy(settings):
    settings.WPO_TRUSTED_PROXIES = 2

    assert address_of(**via(VISITOR)) == PROXY


def test_one_ipv6_visitor_is_one_address_however_written(behind_nginx):
    assert address_of(**via("2001:DB8::1")) == address_of(**via("2001:0db8:0:0::1"))


def test_without_a_trusted_proxy_the_header_is_ignored(no_proxy):
    assert address_of(**via(VISITOR, proxy=OTHER_VISITOR)) == OTHER_VISITOR


def test_behind_a_proxy_a_lockout_leaves_another_visitor_alone(
    client, world, settings, behind_nginx
):
    lock_out(client, world, settings, **via(VISITOR))

    assert log_in(client, world, PASSWORD, **via(VISITOR)).status_code == 429
    assert log_in(client, world, PASSWORD, **via(OTHER_VISITOR)).status_code == 302


def test_without_a_proxy_a_spoofed_header_does_not_escape_the_lockout(
    client, world, settings, no_proxy
):
    lock_out(client, world, settings, **via(VISITOR, proxy=VISITOR))

    response = log_in(client, world, PASSWORD, **via(OTHER_VISITOR, proxy=VISITOR))

    assert response.status_code == 429


def test_behind_a_proxy_a_guesser_leaves_another_visitor_alone(client, db, settings, behind_nginx):
    settings.WPO_VERIFY_MISSES_PER_HOUR = 3
    guess_codes(client, settings, **via(VISITOR))
    url = "/certificates/verify/AAAA-BBBB-CCCC/"

    assert client.get(url, **via(VISITOR)).status_code == 429
    assert client.get(url, **via(OTHER_VISITOR)).status_code == 200


def test_without_a_proxy_a_spoofed_header_does_not_escape_the_guessing_limit(
    client, db, settings, no_proxy
):
    settings.WPO_VERIFY_MISSES_PER_HOUR = 3
    guess_codes(client, settings, **via(VISITOR, proxy=VISITOR))

    response = client.get("/certificates/verify/AAAA-BBBB-CCCC/", **via("1.2.3.4", proxy=VISITOR))

    assert response.status_code == 429
