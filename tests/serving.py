"""The production stack in a test (wpo/serving.py): gunicorn with wpo/gunicorn.py, debug off,
plain http, static files collected for whitenoise. For the tests that need a real server: its own
processes, each with its own database connection. A server that fails to start or a manage.py
command that fails fails the test."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from wpo import serving
from wpo.serving import ROOT, Server, production_environment

__all__ = ["ROOT", "gunicorn", "manage", "production_environment"]


def manage(environment: dict, *args: str) -> str:
    try:
        return serving.manage(environment, *args)
    except serving.ServingError as error:
        pytest.fail(str(error))


@contextmanager
def gunicorn(environment: dict, *options: str) -> Iterator[Server]:
    try:
        server = serving.gunicorn(environment, *options)
        with server as started:
            yield started
    except serving.ServingError as error:
        pytest.fail(str(error))
