import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from wpo.env import env_bool, env_int
from wpo.models import Department

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_with_debug_off():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k7#Qz" * 12,
        DJANGO_ALLOWED_HOSTS="wpo.example.nl",
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_secret_key_is_required_when_debug_is_off():
    result = manage("check", DJANGO_DEBUG="0")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_a_typo_in_a_boolean_setting_stops_the_start(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "ja")

    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG"):
        env_bool("DJANGO_DEBUG", False)


def test_a_number_setting_must_be_a_whole_number(monkeypatch):
    monkeypatch.setenv("WPO_SESSION_HOURS", "acht")

    with pytest.raises(ImproperlyConfigured, match="WPO_SESSION_HOURS"):
        env_int("WPO_SESSION_HOURS", 8)


def test_sqlite_file_runs_in_wal_mode(tmp_path):
    database = tmp_path / "wal.sqlite3"
    result = manage(
        "shell",
        "-c",
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]); "
        "print(connection.settings_dict['OPTIONS']['transaction_mode'])",
        DJANGO_DEBUG="1",
        DATABASE_URL=f"sqlite:///{database}",
    )

    assert result.stdout.split()[-2:] == ["wal", "IMMEDIATE"], result.stderr


def test_models_and_migrations_agree():
    result = manage("makemigrations", "--check", "--dry-run", DJANGO_DEBUG="1")

    assert result.returncode == 0, result.stdout + result.stderr


def test_a_negative_number_of_proxies_stops_the_start(monkeypatch):
    monkeypatch.setenv("WPO_TRUSTED_PROXIES", "-1")

    with pytest.raises(ImproperlyConfigured, match="WPO_TRUSTED_PROXIES"):
        env_int("WPO_TRUSTED_PROXIES", 1, minimum=0)


@pytest.mark.django_db
def test_the_suite_runs_on_an_sqlite_file_in_wal_mode_as_production_does():
    """Not Django's in-memory test database: the threads of the browser tests' live server share
    one cache in it, where a lock fails at once instead of waiting, and two of its requests once
    hung for 25 minutes. On a file each thread has a connection that waits (busy timeout)."""
    if connection.vendor != "sqlite":
        pytest.skip("on PostgreSQL every thread has its own connection")
    pragmas = ("journal_mode", "busy_timeout")
    with connection.cursor() as cursor:
        settings = [cursor.execute(f"PRAGMA {name}").fetchone()[0] for name in pragmas]

    assert settings == ["wal", 20_000]


@pytest.mark.django_db
def test_postgresql_plans_a_statement_once_per_connection():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no prepared statements to keep")
    for _ in range(2):
        list(Department.objects.filter(name="Inpak"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]

    assert any('FROM "wpo_department"' in statement for statement in prepared), prepared
