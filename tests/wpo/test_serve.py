"""The production stack as `make serve` and docs/deploy.md run it: gunicorn with wpo/gunicorn.py,
debug off, static files collected and served by whitenoise."""

import re
import time
import urllib.error
import urllib.request

import pytest

from tests.serving import gunicorn, production_environment


@pytest.fixture(scope="module")
def server(tmp_path_factory, static_root):
    """A gunicorn serving the app, debug off, on a free port."""
    database = tmp_path_factory.mktemp("serve") / "db.sqlite3"
    environment = production_environment(static_root, f"sqlite:///{database}", WEB_CONCURRENCY="1")
    with gunicorn(environment) as running:
        yield running


def get(url, **headers):
    try:
        return urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30)
    except urllib.error.HTTPError as error:
        return error


def test_health_answers_under_gunicorn(server):
    response = get(f"{server.url}/health/")

    assert response.status == 200
    assert response.read() == b'{"status": "ok", "database": "ok"}'


def test_an_unknown_page_gets_the_dutch_404_not_the_debug_page(server):
    response = get(f"{server.url}/bestaat-niet/")

    assert response.status == 404
    assert "Deze pagina bestaat niet" in response.read().decode()


def test_static_files_are_hashed_compressed_and_cached_for_good(server):
    page = get(f"{server.url}/accounts/login/").read().decode()
    stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page)[1]

    response = get(server.url + stylesheet, **{"Accept-Encoding": "br"})

    assert response.headers["Content-Encoding"] == "br"
    assert response.headers["Cache-Control"] == "max-age=315360000, public, immutable"


def logged(server, text, seconds=10) -> str:
    """The server's log once `text` is in it (a line is written just after the answer)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in "".join(server.log):
            break
        time.sleep(0.1)
    return "".join(server.log)


def test_a_calendar_links_key_never_reaches_the_log(server):
    # shaped like a real one; an id this long is refused before the (empty) database is asked
    key = "9" * 19 + ".c2lnbmF0dXJlLW9mLWEtY2FsZW5kYXItbGluaw"

    assert get(f"{server.url}/calendar/{key}.ics").status == 404

    log = logged(server, 'path="/calendar/<token>.ics"')
    assert 'path="/calendar/<token>.ics" status=404' in log  # gunicorn's request line
    assert "Not Found: /calendar/<token>.ics" in log  # Django's own
    assert key.partition(".")[2] not in log


def test_the_icon_browsers_ask_for_unprompted_is_there(server):
    page = get(f"{server.url}/accounts/login/").read().decode()
    svg = re.search(r'<link rel="icon" href="(/static/root/favicon\.[0-9a-f]{12}\.svg)"', page)[1]

    assert get(f"{server.url}/favicon.ico").headers["Content-Type"] == "image/x-icon"
    assert get(f"{server.url}/apple-touch-icon.png").headers["Content-Type"] == "image/png"
    assert get(server.url + svg).headers["Content-Type"].startswith("image/svg+xml")


def test_the_service_worker_is_served_from_the_root_so_it_covers_every_page(server):
    answer = get(f"{server.url}/sw.js")

    assert answer.headers["Content-Type"].startswith("text/javascript")
