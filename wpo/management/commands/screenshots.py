"""The README's pictures, made again from the demo: a site of its own on a free port with a fresh
demo organisation in a temporary database, Chromium (Playwright) logged in as the demo users,
and a certificate drawn by pdftoppm. Needs the dev dependencies, Debian's Chromium and
poppler-utils."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wpo import demo
from wpo.chromium import CHROMIUM, CHROMIUM_ARGS

PHONE = {"viewport": {"width": 360, "height": 780}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
# login, browser, page, file: what a newcomer should see first
SHOTS = [
    ("trainer1", PHONE, "/trainer/", "trainer-phone.png"),
    ("trainer1", PHONE, "a participant at work", "trainer-participant-phone.png"),
    ("coach1", DESKTOP, "/coach/", "coach.png"),
]
CERTIFICATE = "certificate.png"
FIRST_CERTIFICATE = (
    "from certificates.models import Certificate;"
    "print(Certificate.objects.order_by('pk').values_list('pk', flat=True).first())"
)


class Command(BaseCommand):
    help = "Make the screenshots in docs/screenshots/ from a fresh demo organisation."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=settings.BASE_DIR / "docs" / "screenshots",
            help="Where the PNG files go (default: docs/screenshots).",
        )

    def handle(self, *args, output: Path, **options):
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as error:
            raise CommandError("Playwright is missing: install the dev dependencies.") from error
        if not shutil.which("pdftoppm") or not CHROMIUM.exists():
            raise CommandError("apt-get install chromium poppler-utils, then try again.")
        output.mkdir(parents=True, exist_ok=True)
        with (
            tempfile.TemporaryDirectory() as folder,
            demo_site(Path(folder)) as (url, run),
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for username, device, path, name in SHOTS:
                self.page(browser, url, username, device, path, output / name)
            certificate = run("shell", "--no-imports", "-c", FIRST_CERTIFICATE).strip()
            self.certificate(browser, url, certificate, Path(folder), output)
            browser.close()
        self.stdout.write(f"Screenshots written to {output}")

    def page(self, browser, url, username, device, path, target: Path):
        context = browser.new_context(base_url=url, locale="nl-NL", **device)
        page = context.new_page()
        log_in(page, username)
        if path == "a participant at work":
            page.locator("a.card-link", has_text="fase 2").first.click()
            page.wait_for_url("**/trajectories/*/")
        else:
            page.goto(path)
        page.screenshot(path=str(target))
        context.close()
        small_png(target)
        self.stdout.write(f"  {target.name}: {username} on {page.url.removeprefix(url)}")

    def certificate(self, browser, url, pk: str, folder: Path, output: Path):
        context = browser.new_context(base_url=url)
        page = context.new_page()
        log_in(page, "pm")
        pdf = folder / "certificate.pdf"
        response = context.request.get(f"/certificates/{pk}/pdf/")
        if response.headers.get("content-type") != "application/pdf":
            raise CommandError(
                f"Certificate {pk!r} came back as {response.status}: {response.text()[:300]}"
            )
        pdf.write_bytes(response.body())
        context.close()
        target = output / CERTIFICATE
        # pdftoppm adds the .png itself
        stem = str(target.with_suffix(""))
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), stem], check=True)
        small_png(target)
        self.stdout.write(f"  {CERTIFICATE}: the first demo certificate")


@contextmanager
def demo_site(folder: Path):
    """A development server on a free port over a new database with the demo organisation;
    yields its address and a way to run other manage.py commands on the same database."""
    environment = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite3'}",
        "WPO_SITE_URL": "https://wpo.example.nl",  # the QR code's address, not a port of today
    }

    def run(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            raise CommandError(f"manage.py {args[0]} failed:\n{result.stderr}")
        return result.stdout

    for command in (["migrate", "--no-input"], ["loadcatalogue", "--if-empty"], ["demo"]):
        run(*command)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for(f"{url}/health/")
        yield url, run
    finally:
        server.terminate()
        server.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise CommandError(f"The demo site did not answer at {url}.") from None
            time.sleep(0.25)


def log_in(page, username: str):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", demo.DEFAULT_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda address: "/accounts/login/" not in address)
    page.wait_for_load_state("load")


def small_png(path: Path):
    """256 colours are plenty for a page of text: a third of the bytes."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)
