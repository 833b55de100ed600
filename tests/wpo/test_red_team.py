"""Red-team replay: every URL of the app, taken from the URL resolver (a new URL is replayed
without anyone adding it here, the admin's included), requested with GET and with POST by each
visitor that holds no login: the participant with their own session, with the session of a
link that a newer one ended, with another participant's session, and with none.

The anonymous visitor is the measure. The others get exactly what it gets, except on the
participant's own pages, where a working session gets its own page; there, another
participant gets nothing of `world.trajectory`'s. No visitor sees more of the participant than
the anonymous one does, and none gets a 500. The arguments of a URL come from its row in the
access matrix (the world's objects) where it has one, else from its converters.

Then the other way round: no login of staff reaches the participant's own pages, also not on a
shared tablet where the participant did not press "Klaar"."""

import re
from functools import partial
from http.cookies import SimpleCookie

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern

from tests.conftest import open_personal_link
from tests.factories import ParticipantWordsFactory
from tests.wpo.test_access_matrix import MATRIX, STAFF, outcome
from trajects.services.participant import make_link

pytestmark = pytest.mark.long

SECRET = "Mijn geheime antwoord"
NOT_FOUND, NOT_ALLOWED = 404, 405


def fill(pattern) -> str:
    """A pattern's text with each argument replaced by 1."""
    if isinstance(pattern, RegexPattern):
        text = str(pattern).removeprefix("^").removesuffix("$")
        return re.sub(r"\(\?P<\w+>[^)]*\)", "1", text)
    return re.sub(r"<[^>]+>", "1", str(pattern))


def every_url(world, resolver=None, prefix="/", namespace=""):
    """(name, its path made when called, whether it is a page of the participant's own,
    whether it names an object) for every URL pattern."""
    for pattern in (resolver or get_resolver()).url_patterns:
        path = prefix + fill(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from every_url(world, pattern, path, inner)
            continue
        name = f"{namespace}{pattern.name or pattern.pattern}"
        path = partial(matrix_path, name, world) if name in MATRIX else partial(str, path)
        own_page = getattr(pattern.callback, "participant_page", False)
        yield name, path, own_page, "pk" in pattern.pattern.regex.groupindex


def matrix_path(name, world):
    return reverse(name, kwargs=MATRIX[name][1](world))


def own_session(client, world):
    open_personal_link(client, world.trajectory)


def ended_session(client, world):
    open_personal_link(client, world.trajectory)
    make_link(world.trajectory)


def other_session(client, world):
    open_personal_link(client, world.other_trajectory)


def no_session(client, world):
    pass


VISITORS = {
    "own session": own_session,
    "ended link": ended_session,
    "another participant": other_session,
    "no session": no_session,
}


@pytest.fixture
def secrets(world):
    """What only the participant of `world.trajectory` and their staff may see: their name
    (made unlike any other) and what they wrote."""
    world.trajectory.participant.last_name = "Verborgen-Achternaam"
    world.trajectory.participant.save()
    ParticipantWordsFactory(
        trajectory=world.trajectory, progress=None, kind="question", question=0, text=SECRET
    )
    return ["Verborgen-Achternaam", SECRET]


def shown(response, secrets) -> set[str]:
    body = b"" if response.streaming else response.content
    return {secret for secret in secrets if secret.encode() in body}


class Visitor:
    """A client holding one session all along: every request is sent with it again, as a
    request before may have ended it (Klaar, logging out, opening a link). Each URL's changes
    are rolled back, the session's too."""

    def __init__(self, world, enter):
        self.client = Client()
        enter(self.client, world)
        self.cookies = self.client.cookies

    def send(self, method, path):
        self.client.cookies = SimpleCookie(self.cookies)
        return getattr(self.client, method)(path)


def check(visitor, response, anonymous, own_page, names_object, secrets) -> list[str]:
    """What is wrong with the answer `visitor` got, measured by the anonymous one."""
    wrong = []
    if response.status_code >= 500:
        wrong.append(str(response.status_code))
    if visitor != "own session" and (leak := shown(response, secrets) - shown(anonymous, secrets)):
        wrong.append(f"shows {sorted(leak)}")
    if own_page and visitor == "own session":
        return wrong
    if own_page and visitor == "another participant":
        if names_object and response.status_code not in (NOT_FOUND, NOT_ALLOWED):
            wrong.append(f"{response.status_code} on what is not theirs")
    elif outcome(response) != outcome(anonymous):
        wrong.append(f"{outcome(response)} where the anonymous visitor gets {outcome(anonymous)}")
    return wrong


@pytest.mark.parametrize("visitor", VISITORS)
def test_no_url_gives_a_visitor_without_a_login_more_than_their_own(world, secrets, visitor):
    urls = list(every_url(world))
    holder = Visitor(world, VISITORS[visitor])
    found = []
    for name, make_path, own_page, names_object in urls:
        with transaction.atomic():  # each URL's objects apart, as in the access matrix
            path = make_path()
            for method in ("get", "post"):
                response = holder.send(method, path)
                anonymous = response if visitor == "no session" else getattr(Client(), method)(path)
                for wrong in check(visitor, response, anonymous, own_page, names_object, secrets):
                    found.append(f"{method.upper()} {path} ({name}): {wrong}")
            transaction.set_rollback(True)

    assert len(urls) > len(MATRIX)  # the admin's too
    assert found == []


@pytest.mark.parametrize("tablet", ["own device", "left open by the participant"])
@pytest.mark.parametrize("role", STAFF)
def test_no_staff_login_reaches_the_participants_own_pages(world, secrets, role, tablet):
    """Not their trainer either: the participant's pages are the participant's, and a login
    on a tablet the participant did not press "Klaar" on is not the participant."""
    own_pages = [url for url in every_url(world) if url[2]]
    found = []
    for name, make_path, _, _ in own_pages:
        with transaction.atomic():
            path = make_path()
            for method in ("get", "post"):
                client = Client()
                if tablet != "own device":
                    open_personal_link(client, world.trajectory)
                client.force_login(world.user(role))
                response = getattr(client, method)(path)
                if response.status_code not in (NOT_FOUND, NOT_ALLOWED) or shown(response, secrets):
                    found.append(f"{method.upper()} {path} ({name}): {response.status_code}")
            transaction.set_rollback(True)

    assert len(own_pages) >= 6
    assert found == []
