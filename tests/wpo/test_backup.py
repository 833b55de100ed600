"""Backups: what `manage.py backup` writes, `manage.py restore` puts back, table for table, on
SQLite and on PostgreSQL alike (the suite runs on both)."""

import io
import os
import time
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connections

from tests.factories import (
    AssignmentProgressFactory,
    CertificateFactory,
    FloorNoteFactory,
    GuidanceConversationFactory,
)
from trajects.models import FloorNote


@pytest.fixture
def fresh_database(transactional_db, tmp_path):
    """A second, empty database of the same kind, as on a new server: the alias to restore to.
    Transactional: pg_dump sees only what is committed."""
    default = connections["default"]
    fresh = default.copy(alias="fresh")  # not in settings: the test case allows it
    if default.vendor == "sqlite":
        fresh.settings_dict["NAME"] = str(tmp_path / "fresh.sqlite3")
    else:
        fresh.settings_dict["NAME"] = f"{default.settings_dict['NAME']}_fresh"
        with default.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh.settings_dict["NAME"]}"')
            cursor.execute(f'CREATE DATABASE "{fresh.settings_dict["NAME"]}"')
    connections["fresh"] = fresh
    yield "fresh"
    fresh.close()
    del connections["fresh"]
    if default.vendor == "postgresql":
        with default.cursor() as cursor:
            cursor.execute(f'DROP DATABASE "{fresh.settings_dict["NAME"]}"')


def every_row(alias: str) -> dict:
    """Every row of every model's table, the many-to-many tables and history included."""
    return {
        model._meta.db_table: list(model._base_manager.using(alias).order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def back_up(folder, *args) -> Path:
    """`manage.py backup`; it prints the new file's name."""
    out = io.StringIO()
    call_command("backup", folder, *args, stdout=out)
    return Path(out.getvalue().strip())


def test_a_restored_backup_holds_every_row_of_every_table(world, fresh_database, tmp_path):
    GuidanceConversationFactory(trajectory=world.trajectory, participant_account="Vroeg om hulp")
    FloorNoteFactory(trajectory=world.trajectory)
    AssignmentProgressFactory(trajectory_skill__trajectory=world.trajectory)
    CertificateFactory()

    # by hand: a scheduled backup holds the record of its own run, still going
    backup = back_up(tmp_path / "backups", "--again")
    call_command("restore", backup, database=fresh_database, stdout=io.StringIO())

    default, fresh = connections["default"], connections[fresh_database]
    assert fresh.introspection.table_names() == default.introspection.table_names()
    assert every_row(fresh_database) == every_row("default")
    assert len(every_row(fresh_database)["trajects_guidanceconversation"]) == 1


def test_restore_refuses_a_database_that_has_tables(transactional_db, tmp_path):
    backup = back_up(tmp_path)

    with pytest.raises(CommandError, match="--force"):
        call_command("restore", backup)


def test_restore_with_force_replaces_what_the_database_holds(transactional_db, tmp_path):
    note = FloorNoteFactory()
    backup = back_up(tmp_path)
    note.delete()

    call_command("restore", backup, "--force", stdout=io.StringIO())

    assert FloorNote.objects.filter(text=note.text).exists()


def test_restore_refuses_a_backup_of_the_other_kind_of_database(transactional_db, tmp_path):
    other = ".pgdump" if connections["default"].vendor == "sqlite" else ".sqlite3"
    backup = tmp_path / f"wpo-20250101-020000{other}"
    backup.write_bytes(b"not this kind")

    with pytest.raises(CommandError, match="is not a backup of a"):
        call_command("restore", backup, "--force")


def test_backup_keeps_only_the_newest_and_leaves_other_files_alone(transactional_db, tmp_path):
    suffix = ".sqlite3" if connections["default"].vendor == "sqlite" else ".pgdump"
    for day in ("01", "02", "03"):
        (tmp_path / f"wpo-202501{day}-020000{suffix}").write_bytes(b"old")
    (tmp_path / "notes.txt").write_text("mine")

    newest = back_up(tmp_path, "--keep", "2")

    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [f"wpo-20250103-020000{suffix}", newest.name, "notes.txt"]
    )


def test_the_days_backup_is_made_once_however_often_cron_starts_it(transactional_db, tmp_path):
    back_up(tmp_path)
    out = io.StringIO()

    call_command("backup", tmp_path, stdout=out)

    assert len(list(tmp_path.glob("wpo-*"))) == 1
    assert "Nothing to do: backup for" in out.getvalue()


def test_a_backup_by_hand_is_made_even_after_the_days(transactional_db, tmp_path):
    back_up(tmp_path)
    time.sleep(1)  # the file's name has the second it was made

    back_up(tmp_path, "--again")

    assert len(list(tmp_path.glob("wpo-*"))) == 2


def test_a_backup_is_readable_by_its_owner_only(transactional_db, tmp_path):
    backup = back_up(tmp_path)

    assert os.stat(backup).st_mode & 0o777 == 0o600
