"""`manage.py bench` at a tiny size: the table and the JSON have every row and figure. No speed
is asserted here; the benchmark's figures are in docs/benchmarks.md."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from wpo import bench
from wpo.serving import production_environment

# a tiny demo built, every page, the PDFs and certificates rendered: minutes on a busy machine
pytestmark = [pytest.mark.timeout(600), pytest.mark.long]

PAGES = [
    "trainer home",
    "participant page",
    "coach home",
    "coach home, filtered",
    "meetings",
    "escalations",
    "organisation",
    "export CSV",
    "export XLSX",
    "organisation PDF",
    "certificate PDF",
    "conversation save",
]


def collected_already(manage):
    """`manage` without collectstatic: the bench's static folder is the run's, collected once
    (tests/conftest.py), and collecting them again is the slowest part of a tiny build."""

    def without_collectstatic(environment, *args, **kwargs):
        return "" if args[0] == "collectstatic" else manage(environment, *args, **kwargs)

    return without_collectstatic


@pytest.fixture(scope="module")
def measured(tmp_path_factory, static_root):
    folder = tmp_path_factory.mktemp("bench")
    (folder / "static").symlink_to(static_root)
    out = io.StringIO()
    # one gunicorn worker: one start of Django and one WeasyPrint warming up instead of three
    options = ["--participants", "30", "--requests", "1", "--saves", "1", "--batch", "2"]
    options += ["--workers", "1"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bench, "manage", collected_already(bench.manage))
        call_command(
            "bench", *options, "--directory", str(folder), "--json", str(folder / "bench.json"),
            stdout=out, stderr=io.StringIO(),
        )  # fmt: skip
    return out.getvalue(), json.loads((folder / "bench.json").read_text()), folder


def test_the_table_has_a_row_per_page_with_its_queries_and_the_ratio_to_the_admin(measured):
    table, _, _ = measured
    rows = {line.split(" | ")[0].lstrip("| "): line for line in table.splitlines()}

    heading = "| page | queries | p50 ms | p95 ms | admin p50 ms | ÷ admin | worker peak MiB |"
    assert heading in table
    for page in PAGES:
        assert rows[page].count("|") == 8


def test_the_json_holds_every_page_the_writers_and_the_certificates(measured):
    _, figures, _ = measured
    (run,) = figures["runs"]

    assert [page["name"] for page in run["pages"]] == PAGES
    assert all(page["queries"] > 0 and page["p50_ms"] > 0 for page in run["pages"])
    assert run["writers"]["errors"] == 0
    assert run["writers"]["lost"] == 0
    assert run["certificates"]["batch"] == 2
    assert run["volume"]["participants"] == 30
    assert figures["machine"]["cpus"] >= 1


def test_the_next_run_of_a_size_reuses_its_database(measured):
    _, figures, folder = measured
    database = bench.database_for(30, folder, None, suffix=False)
    environment = production_environment(folder / "static", database.url)
    said = []

    built = bench.build(database, 30, environment, rebuild=False, say=said.append)

    assert figures["runs"][0]["built_seconds"] > 0
    assert built is None
    assert said == ["Reusing the 30-participant database (sqlite)."]


def test_compare_takes_two_sizes():
    with pytest.raises(CommandError, match="two sizes"):
        call_command("bench", "--compare", "30", stdout=io.StringIO())


def test_only_postgresql_is_accepted_as_another_database(tmp_path):
    with pytest.raises(bench.BenchError, match="postgres"):
        bench.database_for(30, tmp_path, "mysql://localhost/wpo", suffix=False)


def test_the_percentile_of_few_requests_is_the_slowest_but_none():
    assert bench.p95([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]) == 19
    assert bench.p95([5, 1]) == 5


@override_settings(MIDDLEWARE=["wpo.middleware.QueryCountMiddleware"])
def test_with_the_benchmark_setting_every_answer_counts_its_queries(client, db):
    response = client.get("/health/")

    assert response["X-Queries"] == "1"  # is the database there?


def test_without_the_benchmark_setting_no_answer_counts_its_queries(client, db):
    response = client.get("/health/")

    assert "X-Queries" not in response
