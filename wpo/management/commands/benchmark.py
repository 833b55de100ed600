import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trajects.models import Trajectory

# (login, page) pairs of the demo organisation: every role's home and the shared pages
PAGES = [
    ("trainer1", "/trainer/"),
    ("coach1", "/coach/"),
    ("coach1", "/coach/?signal=any"),
    ("coach1", "/meetings/"),
    ("coach1", "/escalations/"),
    ("pm", "/organisation/"),
    ("pm", "/catalogue/"),
]
# The project manager's report draws every department of the organisation into tables and SVG
# charts (128 departments in the 5,000-participant demo): rendering, not SQL, sets its time.
SLOWER_PAGES = {"/organisation/": 3}  # times the budget


def participant_page() -> tuple[str, str]:
    """The participant page of trainer1's participant with the longest history."""
    trajectory = (
        Trajectory.objects.active()
        .filter(trainer__user__username="trainer1")
        .annotate(events=Count("conversations", distinct=True) + Count("notes", distinct=True))
        .order_by("-events", "pk")
        .first()
    )
    if trajectory is None:
        raise CommandError("trainer1 guides nobody: load the demo organisation first.")
    return "trainer1", reverse("trajects:trajectory", args=[trajectory.pk])


class Command(BaseCommand):
    help = (
        "Time the main pages against this database (load it first with, for example, "
        "`manage.py demo --participants 5000`). Prints queries and median time per page and "
        "fails when a page is slower than --budget-ms. Speed targets live here, not in tests."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", default="wpo-demo")
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument(
            "--budget-ms",
            type=float,
            default=300.0,
            help="Slowest acceptable median per page (default 300 ms).",
        )

    def handle(self, *args, password, repeat, budget_ms, **options):
        host = (settings.ALLOWED_HOSTS or ["localhost"])[0].lstrip(".")
        if host == "*":
            host = "localhost"
        over_budget = []
        self.stdout.write(f"{'login':<10} {'page':<20} {'queries':>7} {'median':>9}")
        for login, url in [*PAGES, participant_page()]:
            client = Client(HTTP_HOST=host, secure=not settings.DEBUG)
            if not client.login(username=login, password=password):
                raise CommandError(f"Cannot log in as {login}: load the demo organisation first.")
            client.get(url)  # warm up caches and connections
            timings = []
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{url} as {login} answered {response.status_code}")
            median = statistics.median(timings)
            self.stdout.write(f"{login:<10} {url:<20} {len(queries):>7} {median:>6.0f} ms")
            if median > budget_ms * SLOWER_PAGES.get(url, 1):
                over_budget.append(f"{url} ({median:.0f} ms)")
        if over_budget:
            raise CommandError(f"Over the {budget_ms:.0f} ms budget: {', '.join(over_budget)}")
        self.stdout.write(
            self.style.SUCCESS(f"All pages within {budget_ms:.0f} ms (the report within 3 times).")
        )
