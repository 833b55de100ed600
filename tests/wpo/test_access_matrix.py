"""Every URL pattern x every role: who gets the page, who is sent to log in, who gets 403 (in
scope, not their action) and who gets 404 (outside their scope). A URL pattern without a row
here fails `test_every_url_pattern_has_a_row`."""

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import CertificateFactory

ROLES = [
    "anonymous",
    "trainer",
    "other_trainer",
    "coach",
    "other_coach",
    "project_manager",
    "admin",
]
LOGIN = "login"  # a redirect to the login page
OK, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 302, 403, 404, 405


def everyone(status):
    return dict.fromkeys(ROLES, status)


def logged_in(status, **overrides):
    return {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], status), **overrides}


# name: (method, kwargs from the world, expected outcome per role)
MATRIX = {
    "home": ("get", lambda w: {}, logged_in(REDIRECT)),
    "login": ("get", lambda w: {}, logged_in(REDIRECT, anonymous=OK)),
    "logout": ("post", lambda w: {}, everyone(LOGIN)),
    "health": ("get", lambda w: {}, everyone(OK)),
    "set_language": ("post", lambda w: {}, everyone(REDIRECT)),
    "assignments:catalogue": ("get", lambda w: {}, logged_in(OK)),
    "certificates:verify": (
        "get",
        lambda w: {"code": CertificateFactory(trajectory=w.trajectory).code},
        everyone(OK),
    ),
    "trajects:trainer_home": (
        "get",
        lambda w: {},
        logged_in(FORBIDDEN, trainer=OK, other_trainer=OK),
    ),
    "trajects:coach_home": (
        "get",
        lambda w: {},
        logged_in(FORBIDDEN, coach=OK, other_coach=OK),
    ),
    "trajects:organisation": (
        "get",
        lambda w: {},
        logged_in(FORBIDDEN, project_manager=OK),
    ),
    "trajects:trajectory": (
        "get",
        lambda w: {"pk": w.trajectory.pk},
        logged_in(NOT_FOUND, trainer=OK, coach=OK, project_manager=OK),
    ),
}
# The same pattern once more with other objects: scope is per object, not per department.
OBJECT_ROWS = {
    "a colleague's participant": (
        "trajects:trajectory",
        lambda w: {"pk": w.colleague_trajectory.pk},
        logged_in(NOT_FOUND, coach=OK, project_manager=OK),
    ),
    "another department's participant": (
        "trajects:trajectory",
        lambda w: {"pk": w.other_trajectory.pk},
        logged_in(NOT_FOUND, other_trainer=OK, other_coach=OK, project_manager=OK),
    ),
}


def url_names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # walked model by model in test_admin_*
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from url_names(pattern, namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{prefix}{pattern.name}" if pattern.name else f"unnamed: {pattern.pattern}"


def test_every_url_pattern_has_a_row():
    names = list(url_names())

    assert len(names) == len(set(names)), "two URL patterns share a name"
    assert sorted(names) == sorted(MATRIX)


def outcome(response):
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(client, world, name, role):
    method, make_kwargs, expected = MATRIX[name]
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(reverse(name, kwargs=make_kwargs(world)))
    assert outcome(response) == expected[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", sorted(OBJECT_ROWS))
def test_access_to_each_object(client, world, row, role):
    name, make_kwargs, expected = OBJECT_ROWS[row]
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    response = client.get(reverse(name, kwargs=make_kwargs(world)))
    assert outcome(response) == expected[role]


READ_ONLY = sorted(name for name, (method, _, _) in MATRIX.items() if method == "get")


@pytest.mark.parametrize("name", [name for name in READ_ONLY if name != "login"])
def test_pages_that_only_show_refuse_a_post(client, world, name):
    client.force_login(world.project_manager.user)
    _, make_kwargs, _ = MATRIX[name]

    assert client.post(reverse(name, kwargs=make_kwargs(world))).status_code == NOT_ALLOWED


ADMIN_PAGES = ["admin:index"] + [
    f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
    for model in admin.site._registry
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_is_for_the_administrator_only(client, world, name, role):
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    response = client.get(reverse(name))
    if role == "admin":
        assert response.status_code == OK
    else:
        assert response.status_code == REDIRECT
        assert response["Location"].startswith(reverse("admin:login"))
