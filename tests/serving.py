"""The production stack in a test, as `make serve` and docs/deploy.md run it: gunicorn with
wpo/gunicorn.py, debug off, plain http, static files collected for whitenoise. For the tests that
need a real server: its own processes, each with its own database connection."""

import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def production_environment(static_root: Path, database_url: str, **extra: str) -> dict:
    """The environment of a production server on this machine, none of the caller's DJANGO_*."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO")}
    environment.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="serve-test-" + "s" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_STATIC_ROOT=str(static_root),
        DATABASE_URL=database_url,
        **extra,
    )
    return environment


def manage(environment: dict, *args: str) -> str:
    """What `manage.py <args>` prints, run with `environment`; a failure fails the test."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode:
        pytest.fail(f"manage.py {args[0]} failed:\n{result.stderr}")
    return result.stdout


@dataclass
class Server:
    url: str
    log: list[str] = field(default_factory=list)


@contextmanager
def gunicorn(environment: dict, *options: str) -> Iterator[Server]:
    """A gunicorn on a free port until the block ends; its log (access lines, errors) collects in
    `log`."""
    command = [sys.executable, "-m", "gunicorn", "--config", "wpo/gunicorn.py"]
    process = subprocess.Popen(
        [*command, "--bind", "127.0.0.1:0", *options],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for line in process.stdout:
            if listening := re.search(r"Listening at: (http://\S+)", line):
                break
        else:
            pytest.fail("gunicorn did not start")
        server = Server(listening[1])
        # keep reading: a full pipe would stop the server mid-test
        threading.Thread(target=server.log.extend, args=(process.stdout,), daemon=True).start()
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)
