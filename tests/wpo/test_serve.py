"""The production stack as `make serve` and docs/deploy.md run it: gunicorn with wpo/gunicorn.py,
debug off, static files collected and served by whitenoise."""

import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The address of a gunicorn serving the app, debug off, on a free port."""
    folder = tmp_path_factory.mktemp("serve")
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO")}
    environment.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="serve-test-" + "s" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_STATIC_ROOT=str(folder / "static"),
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        WEB_CONCURRENCY="1",
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env=environment,
        check=True,
        timeout=120,
    )
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "wpo/gunicorn.py", "--bind", "127.0.0.1:0"],
        cwd=ROOT,
        env=environment,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for line in gunicorn.stderr:
            if listening := re.search(r"Listening at: (http://\S+)", line):
                break
        else:
            pytest.fail("gunicorn did not start")
        yield listening[1]
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)


def get(url, **headers):
    try:
        return urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30)
    except urllib.error.HTTPError as error:
        return error


def test_health_answers_under_gunicorn(server):
    response = get(f"{server}/health/")

    assert response.status == 200
    assert response.read() == b'{"status": "ok", "database": "ok"}'


def test_an_unknown_page_gets_the_dutch_404_not_the_debug_page(server):
    response = get(f"{server}/bestaat-niet/")

    assert response.status == 404
    assert "Deze pagina bestaat niet" in response.read().decode()


def test_static_files_are_hashed_compressed_and_cached_for_good(server):
    page = get(f"{server}/accounts/login/").read().decode()
    stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page)[1]

    response = get(server + stylesheet, **{"Accept-Encoding": "br"})

    assert response.headers["Content-Encoding"] == "br"
    assert response.headers["Cache-Control"] == "max-age=315360000, public, immutable"
