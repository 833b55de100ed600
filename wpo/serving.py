"""The production stack on this machine, as `make serve` and docs/deploy.md run it: gunicorn with
wpo/gunicorn.py, debug off, plain http, static files collected for whitenoise; and a browser-like
client for it. For the benchmark (`manage.py bench`) and the tests that need a real server."""

import http.client
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class ServingError(Exception):
    pass


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


def manage(environment: dict, *args: str, timeout: float = 120) -> str:
    """What `manage.py <args>` prints, run with `environment`."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode:
        raise ServingError(f"manage.py {args[0]} failed:\n{result.stderr}")
    return result.stdout


@dataclass
class Server:
    url: str
    pid: int
    log: list[str] = field(default_factory=list)

    def workers(self) -> list[int]:
        """The worker processes' ids (gunicorn's master forks them)."""
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return [int(pid) for pid in children.read_text().split()]


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
            raise ServingError("gunicorn did not start")
        server = Server(listening[1], process.pid)
        # keep reading: a full pipe would stop the server mid-run
        threading.Thread(target=server.log.extend, args=(process.stdout,), daemon=True).start()
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)


class Forms(HTMLParser):
    """The hidden fields (the CSRF token, and any other) of each form on a page, by the address
    the form posts to ("" for the page itself)."""

    def __init__(self, page):
        super().__init__()
        self.fields, self.action = {}, None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.action = attrs.get("action", "")
            self.fields[self.action] = {}
        elif tag == "input" and attrs.get("type") == "hidden" and self.action is not None:
            self.fields[self.action][attrs["name"]] = attrs.get("value", "")


@dataclass
class Answer:
    status: int
    seconds: float
    page: str
    headers: http.client.HTTPMessage | None = None


class Phone:
    """One phone (or browser): its own session, and each form's hidden fields as it last got
    them, so a save posts what the browser would (a form's answer brings that form back, fresh)."""

    def __init__(self, url):
        address = urllib.parse.urlsplit(url)
        self.connection = http.client.HTTPConnection(address.hostname, address.port, timeout=600)
        self.cookies, self.forms = {}, {}

    def request(self, method, path, fields=None, **headers) -> Answer:
        cookies = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        headers = {
            "Cookie": cookies,
            "Content-Type": "application/x-www-form-urlencoded",
            **headers,
        }
        body = urllib.parse.urlencode(fields) if fields is not None else None
        began = time.perf_counter()
        self.connection.request(method, path, body, headers)
        response = self.connection.getresponse()
        content = response.read()
        seconds = time.perf_counter() - began
        # by hand: the cookies are marked secure (debug off) and this is plain http
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.update((name, m.value) for name, m in SimpleCookie(header).items())
        page = ""
        if response.headers.get_content_type() == "text/html":
            page = content.decode()
            self.forms.update(Forms(page).fields)
        return Answer(response.status, seconds, page, response.headers)

    def log_in(self, username, password):
        self.request("GET", "/accounts/login/")
        fields = {**self.forms[""], "username": username, "password": password}
        if self.request("POST", "/accounts/login/", fields).status != 302:
            raise ServingError(f"{username} could not log in")

    def save(self, action, target, fields) -> Answer:
        """A form posted as htmx posts it: the answer is the changed part of the page."""
        htmx = {"HX-Request": "true", "HX-Target": target}
        return self.request("POST", action, {**self.forms[action], **fields}, **htmx)
