"""The benchmark (`manage.py bench`): a demo database of a given size, the production stack on
it, and the main pages, saves and certificates measured over HTTP, each page interleaved request
by request with the Django admin's trajectory list as the framework's baseline.

The command runs outside the measured site: the database is built and queried with `manage.py`
in the site's environment (the functions at the end of this module run there, in `manage.py
shell`), and the site is asked over loopback HTTP like a browser would. Speed targets live in the
issue and in docs/benchmarks.md, not in tests."""

import datetime
import hashlib
import json
import math
import os
import platform
import statistics
import subprocess
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.utils import timezone

from wpo.forms import DATETIME_FORMAT
from wpo.serving import ROOT, Phone, gunicorn, manage, production_environment

CONVERSATIONS_PER_PARTICIPANT = 20
BASELINE = ("admin", "/admin/trajects/trajectory/")
# The organisation's PDF takes seconds at any size above a few hundred: a few requests tell.
HEAVY_REQUESTS = 3
WRITERS = 8
BUILD_SECONDS = 3 * 3600  # 50,000 participants on a slow day


class BenchError(Exception):
    pass


@dataclass
class Page:
    name: str
    login: str
    path: str
    heavy: bool = False


@dataclass
class Measured:
    name: str
    login: str
    path: str
    requests: int
    queries: int | None
    p50_ms: float
    p95_ms: float
    admin_p50_ms: float
    ratio: float
    worker_peak_mib: float


@dataclass
class Run:
    participants: int
    database: str
    built_seconds: float | None
    volume: dict
    pages: list[Measured] = field(default_factory=list)
    writers: dict = field(default_factory=dict)
    certificates: dict = field(default_factory=dict)


def pages(facts: dict) -> list[Page]:
    participant = f"/trajectories/{facts['participant']}/"
    return [
        Page("trainer home", "trainer1", "/trainer/"),
        Page("participant page", "trainer1", participant),
        Page("coach home", "coach1", "/coach/"),
        Page("coach home, filtered", "coach1", "/coach/?signal=any"),
        Page("meetings", "coach1", "/meetings/"),
        Page("escalations", "coach1", "/escalations/"),
        Page("organisation", "pm", "/organisation/"),
        Page("export CSV", "pm", "/organisation/export/?format=csv"),
        Page("export XLSX", "pm", "/organisation/export/?format=xlsx"),
        Page("organisation PDF", "pm", "/organisation/report.pdf", heavy=True),
        Page("certificate PDF", "pm", f"/certificates/{facts['certificate']}/pdf/"),
    ]


# ---- the database ------------------------------------------------------------------------------


@dataclass
class Database:
    url: str
    key: Path  # what was built into it, so the next run of the same size reuses it

    @property
    def kind(self) -> str:
        return "sqlite" if self.url.startswith("sqlite") else "postgresql"


def database_for(participants: int, directory: Path, database_url: str | None, suffix: bool):
    """The database of this size: an SQLite file in `directory`, or the PostgreSQL database
    named by `database_url` (with the size appended when several sizes are compared)."""
    if not database_url:
        name = f"wpo-bench-{participants}"
        return Database(f"sqlite:///{directory / name}.sqlite3", directory / f"{name}.json")
    address = urllib.parse.urlsplit(database_url)
    if address.scheme not in ("postgres", "postgresql"):
        raise BenchError("--database-url: give a postgres://… address (SQLite is the default).")
    name = address.path.strip("/") or "wpo_bench"
    if suffix:
        name = f"{name}_{participants}"
    url = address._replace(path=f"/{name}").geturl()
    return Database(url, directory / f"{address.hostname}-{address.port}-{name}.json")


def demo_version() -> str:
    """The demo generator's code and words: a database made by another version is made again."""
    digest = hashlib.sha256()
    for path in (ROOT / "wpo" / "demo.py", ROOT / "wpo" / "data" / "demo.json"):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _postgres(url: str, *statements: str):
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def _fresh(database: Database):
    if database.kind == "sqlite":
        path = Path(urllib.parse.urlsplit(database.url).path)
        for stale in path.parent.glob(path.name + "*"):  # with its -wal and -shm
            stale.unlink()
        return
    address = urllib.parse.urlsplit(database.url)
    name = address.path.strip("/")
    server = address._replace(path="/postgres").geturl()
    _postgres(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')


def _analyze(database: Database):
    """Fresh planner statistics, as autovacuum keeps them in production."""
    if database.kind == "postgresql":
        _postgres(database.url, "ANALYZE")
    else:
        import sqlite3

        with sqlite3.connect(urllib.parse.urlsplit(database.url).path) as connection:
            connection.execute("ANALYZE")


def build(database: Database, participants: int, environment: dict, rebuild: bool, say):
    """Make the demo organisation of this size, unless the database holds it already. Returns
    the seconds the demo took, None when reused."""
    wanted = {"participants": participants, "demo": demo_version()}
    reusable = database.key.exists() and json.loads(database.key.read_text()) == wanted
    if reusable and not rebuild:
        say(f"Reusing the {participants}-participant database ({database.kind}).")
        manage(environment, "migrate", "--no-input", "-v0", timeout=BUILD_SECONDS)
        return None
    say(f"Building a {participants}-participant database ({database.kind})…")
    database.key.unlink(missing_ok=True)
    _fresh(database)
    manage(environment, "migrate", "--no-input", "-v0", timeout=BUILD_SECONDS)
    manage(environment, "loadcatalogue", "--if-empty", timeout=BUILD_SECONDS)
    began = time.perf_counter()
    manage(
        environment,
        "demo",
        f"--participants={participants}",
        f"--conversations={CONVERSATIONS_PER_PARTICIPANT}",
        timeout=BUILD_SECONDS,
    )
    seconds = time.perf_counter() - began
    _analyze(database)
    database.key.write_text(json.dumps(wanted))
    return seconds


def in_site(environment: dict, call: str):
    """What `wpo.bench.<call>` prints, as JSON, run in the site's environment."""
    output = manage(
        environment, "shell", "-v0", "-c", f"from wpo import bench; bench.{call}", timeout=3600
    )
    return json.loads(output)


# ---- measuring ---------------------------------------------------------------------------------


def p95(values: list[float]) -> float:
    """The nearest-rank 95th percentile: with few requests, the slowest but none."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def worker_peak_mib(server) -> float:
    """The largest peak resident memory (VmHWM) among the server's workers."""
    peaks = []
    for pid in server.workers():
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks, default=0.0)


def timed(phone: Phone, method: str, path: str, fields=None, **headers):
    answer = (
        phone.save(path, headers.pop("target"), fields)
        if method == "POST"
        else phone.request(method, path)
    )
    if answer.status != 200:
        raise BenchError(f"{method} {path} answered {answer.status}")
    queries = answer.headers.get("X-Queries")
    return answer.seconds * 1000, int(queries) if queries is not None else None


def measure(name, login, path, phones, server, requests, ask) -> Measured:
    """`requests` of `ask` (one request on `phones[login]`), each followed by one of the admin's
    trajectory list: the ratio compares the two as the machine was at that moment."""
    admin = phones[BASELINE[0]]
    ask(), timed(admin, "GET", BASELINE[1])  # warm: the first request of a worker is not typical
    times, baseline, queries = [], [], []
    for _ in range(requests):
        ms, count = ask()
        times.append(ms)
        queries.append(count)
        baseline.append(timed(admin, "GET", BASELINE[1])[0])
    counted = [count for count in queries if count is not None]
    return Measured(
        name=name,
        login=login,
        path=path,
        requests=requests,
        queries=max(counted) if counted else None,
        p50_ms=statistics.median(times),
        p95_ms=p95(times),
        admin_p50_ms=statistics.median(baseline),
        ratio=statistics.median(times) / statistics.median(baseline),
        worker_peak_mib=worker_peak_mib(server),
    )


def conversation_saves(phone: Phone, trajectory: int, requests: int):
    """A function that holds one conversation on `trajectory`, each with the form's fresh
    one-time token, a minute earlier than the one before (never in the future)."""
    page = f"/trajectories/{trajectory}/"
    action = f"{page}conversations/"
    now = timezone.localtime().replace(second=0, microsecond=0)
    moments = iter(now - datetime.timedelta(minutes=n) for n in range(1, requests + 10))

    def save():
        if action not in phone.forms:
            phone.request("GET", page)
        token = phone.forms[action].get("submission_token")
        fields = {
            "held_at": next(moments).strftime(DATETIME_FORMAT),
            "participant_account": "Geoefend met het plannen van de dag.",
            "trainer_observations": "Vroeg zelf om hulp toen het druk werd.",
        }
        answer = timed(phone, "POST", action, fields, target="conversations")
        if phone.forms.get(action, {}).get("submission_token") == token:
            phone.forms.pop(action)  # the answer brought no fresh form: the page has it
        return answer

    return save


def writers(url: str, password: str, logins: list, saves: int, run_id: str) -> tuple[list, float]:
    """`WRITERS` trainers saving floor notes at once, each on their own participant. Returns
    [(status, ms)] and the wall time."""
    start = threading.Barrier(len(logins) + 1, timeout=300)

    def shift(number, username, trajectory):
        phone = Phone(url)
        phone.log_in(username, password)
        phone.request("GET", f"/trajectories/{trajectory}/")
        start.wait()
        action = f"/trajectories/{trajectory}/notes/"
        done = []
        for save in range(saves):
            text = f"{run_id} writer {number} note {save}"
            answer = phone.save(action, "note-form", {"text": text})
            done.append((answer.status, answer.seconds * 1000))
        return done

    with ThreadPoolExecutor(len(logins)) as pool:
        shifts = [pool.submit(shift, n, *login) for n, login in enumerate(logins)]
        start.wait()
        began = time.perf_counter()
        saved = [save for done in shifts for save in done.result()]
        return saved, time.perf_counter() - began


def run_size(participants, *, directory, database_url, suffix, requests, saves, batch, workers,
             rebuild, password, say) -> Run:  # fmt: skip
    directory.mkdir(parents=True, exist_ok=True)
    database = database_for(participants, directory, database_url, suffix)
    environment = production_environment(
        directory / "static", database.url, WPO_BENCH="1", WEB_CONCURRENCY=str(workers)
    )
    if database.kind == "postgresql":
        _create_missing(database)
    built = build(database, participants, environment, rebuild, say)
    manage(environment, "collectstatic", "--no-input", "-v0")
    facts = in_site(environment, "facts()")
    run = Run(participants, database.kind, built, facts["volume"])
    say(f"Measuring over HTTP ({requests} requests a page, {workers} gunicorn workers)…")
    with gunicorn(environment) as server:
        phones = {}
        for login in {"trainer1", "coach1", "pm", BASELINE[0]}:
            phones[login] = Phone(server.url)
            phones[login].log_in(login, password)
        for page in pages(facts):
            phone = phones[page.login]
            count = min(requests, HEAVY_REQUESTS) if page.heavy else requests
            measured = measure(
                page.name,
                page.login,
                page.path,
                phones,
                server,
                count,
                lambda phone=phone, page=page: timed(phone, "GET", page.path),
            )
            run.pages.append(measured)
            say(f"  {measured.name}: p50 {measured.p50_ms:.0f} ms")
        save = conversation_saves(phones["trainer1"], facts["participant"], requests + 1)
        run.pages.append(
            measure(
                "conversation save",
                "trainer1",
                f"/trajectories/{facts['participant']}/conversations/",
                phones,
                server,
                requests,
                save,
            )
        )
        run_id = f"bench-{time.time_ns()}"
        saved, seconds = writers(server.url, password, facts["writers"], saves, run_id)
        errors = [line for line in server.log if "ERROR" in line]
    succeeded = sum(1 for status, _ in saved if status == 200)
    stored = in_site(environment, f"stored({run_id!r})")
    times = [ms for _, ms in saved]
    run.writers = {
        "writers": len(facts["writers"]),
        "saves": len(saved),
        "saves_per_second": len(saved) / seconds,
        "p50_ms": statistics.median(times),
        "p95_ms": p95(times),
        "errors": len(saved) - succeeded + len(errors),
        "lost": succeeded - stored,
    }
    say("Rendering certificates in the site's environment…")
    run.certificates = in_site(environment, f"certificates({facts['batch']!r}, {batch})")
    return run


def _create_missing(database: Database):
    import psycopg

    address = urllib.parse.urlsplit(database.url)
    name = address.path.strip("/")
    server = address._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not found.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def machine() -> dict:
    memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "date": timezone.localtime().isoformat(timespec="minutes"),
        "cpus": os.cpu_count(),
        "memory_gib": round(int(memory) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "load_average": [round(load, 1) for load in os.getloadavg()],
        "commit": commit,
    }


def as_json(runs: list[Run], machine: dict, command: str) -> dict:
    return {"machine": machine, "command": command, "runs": [asdict(run) for run in runs]}


# ---- the tables --------------------------------------------------------------------------------


def _ms(value: float) -> str:
    return f"{value:,.0f}"


def table(run: Run) -> list[str]:
    volume = ", ".join(f"{value:,} {name}" for name, value in run.volume.items())
    built = f"built in {run.built_seconds:.0f} s" if run.built_seconds else "reused"
    lines = [
        f"{run.participants:,} participants on {run.database} ({built}): {volume}",
        "",
        "| page | queries | p50 ms | p95 ms | admin p50 ms | ÷ admin | worker peak MiB |",
        "|---|---|---|---|---|---|---|",
    ]
    for page in run.pages:
        queries = "-" if page.queries is None else str(page.queries)
        lines.append(
            f"| {page.name} | {queries} | {_ms(page.p50_ms)} | {_ms(page.p95_ms)} | "
            f"{_ms(page.admin_p50_ms)} | {page.ratio:.2f} | {page.worker_peak_mib:.0f} |"
        )
    w, c = run.writers, run.certificates
    lines += [
        "",
        f"{w['writers']} parallel writers, {w['saves']} floor notes: "
        f"{w['saves_per_second']:.0f} saves/s, p50 {_ms(w['p50_ms'])} ms, "
        f"p95 {_ms(w['p95_ms'])} ms, {w['errors']} errors, {w['lost']} lost",
        f"One certificate: {_ms(c['one_cold_ms'])} ms cold, {_ms(c['one_warm_p50_ms'])} ms warm "
        f"(p50); {c['batch']} in one PDF: {c['batch_seconds']:.1f} s, "
        f"{c['batch_kib']:,} KiB, process peak {c['peak_mib']:.0f} MiB",
    ]
    return lines


def comparison(first: Run, second: Run) -> list[str]:
    a, b = f"{first.participants:,}", f"{second.participants:,}"
    lines = [
        f"| page | queries {a} / {b} | p50 {a} | p50 {b} | p95 {a} | p95 {b} | {b} ÷ {a} (p50) |",
        "|---|---|---|---|---|---|---|",
    ]
    for one, other in zip(first.pages, second.pages, strict=True):
        lines.append(
            f"| {one.name} | {one.queries} / {other.queries} | {_ms(one.p50_ms)} | "
            f"{_ms(other.p50_ms)} | {_ms(one.p95_ms)} | {_ms(other.p95_ms)} | "
            f"{other.p50_ms / one.p50_ms:.2f} |"
        )
    return lines


# ---- in the site's environment (manage.py shell) -----------------------------------------------


def facts():
    """Who and what the benchmark asks for, and how much the database holds."""
    from django.db.models import Count

    from certificates.models import Certificate
    from trajects.models import GuidanceConversation, Meeting, Trajectory
    from wpo.models import Department, Membership, Role

    trajectory = (
        Trajectory.objects.active()
        .filter(trainer__user__username="trainer1")
        .annotate(events=Count("conversations", distinct=True) + Count("notes", distinct=True))
        .order_by("-events", "pk")
        .first()
    )
    if trajectory is None:
        raise BenchError("trainer1 guides nobody: the demo organisation is missing.")
    writers = {}
    for pk, username in (
        Trajectory.objects.active()
        .exclude(pk=trajectory.pk)
        .order_by("pk")
        .values_list("pk", "trainer__user__username")
    ):
        writers.setdefault(username, pk)
        if len(writers) == WRITERS:
            break
    certificates = list(Certificate.objects.valid().order_by("pk").values_list("pk", flat=True))
    volume = {
        "participants": Trajectory.objects.count(),
        "conversations": GuidanceConversation.objects.count(),
        "history rows": GuidanceConversation.history.count(),
        "departments": Department.objects.count(),
        "trainers": Membership.objects.filter(role=Role.TRAINER).count(),
        "meetings": Meeting.objects.count(),
        "certificates": len(certificates),
    }
    print(
        json.dumps(
            {
                "participant": trajectory.pk,
                "writers": list(writers.items()),
                "certificate": certificates[0],
                "batch": certificates[:200],
                "volume": volume,
            }
        )
    )


def stored(run_id: str):
    """How many of this run's floor notes the database holds."""
    from trajects.models import FloorNote

    print(json.dumps(FloorNote.objects.filter(text__startswith=f"{run_id} ").count()))


def certificates(ids: list[int], size: int):
    """One certificate rendered cold, then warm, and a batch of `size` in one PDF (the
    worker's task, run here): times and the process's peak memory."""
    import resource

    from certificates import documents
    from certificates.models import Certificate

    chosen = list(Certificate.objects.filter(pk__in=ids).order_by("pk"))
    site = "https://wpo.example.nl"
    began = time.perf_counter()
    documents.certificates_pdf(chosen[:1], site_url=site)
    cold = (time.perf_counter() - began) * 1000
    warm = []
    for _ in range(5):
        began = time.perf_counter()
        documents.certificates_pdf(chosen[:1], site_url=site)
        warm.append((time.perf_counter() - began) * 1000)
    batch = (chosen * math.ceil(size / len(chosen)))[:size]
    began = time.perf_counter()
    pdf = documents.certificates_pdf(batch, site_url=site)
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "one_cold_ms": cold,
        "one_warm_p50_ms": statistics.median(warm),
        "batch": size,
        "batch_seconds": seconds,
        "batch_kib": len(pdf) // 1024,
        "peak_mib": peak,
    }
    print(json.dumps(result))
