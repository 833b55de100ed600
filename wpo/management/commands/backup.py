"""Back up the database into a folder, keeping the newest few: meant for a daily cron job
(docs/deploy.md), which may start it on several machines: one of them makes the day's backup.
`manage.py restore FILE` puts a backup back."""

import os
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from wpo import scheduling

# A backup's name says when it was made and what kind of database it holds: restore refuses a
# file of the other kind.
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}
PATTERN = "wpo-????????-??????"


def suffix_for(connection) -> str:
    if connection.vendor not in SUFFIXES:
        raise CommandError(f"Backups of a {connection.vendor} database are not supported.")
    return SUFFIXES[connection.vendor]


def run_postgresql_tool(connection, *arguments: str) -> None:
    """pg_dump or pg_restore, connected as Django is. The password goes in the environment,
    where other users of the machine cannot see it (they can see a command line)."""
    params = connection.settings_dict
    environment = dict(os.environ)
    for key, variable in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ]:
        if params[key]:
            environment[variable] = str(params[key])
    if "sslmode" in params["OPTIONS"]:
        environment["PGSSLMODE"] = params["OPTIONS"]["sslmode"]
    try:
        result = subprocess.run(
            [*arguments, "--dbname", params["NAME"]],
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise CommandError(
            f"{arguments[0]} is not installed: install postgresql-client of the same major "
            "version as the server."
        ) from None
    if result.returncode != 0:
        raise CommandError(f"{arguments[0]} failed:\n{result.stderr.strip()}")


class Command(BaseCommand):
    help = "Back up the database to a new file in FOLDER and remove all but the newest --keep."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--keep", type=int, default=14, help="how many backups to keep (default 14)"
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--again",
            action="store_true",
            help="Make a backup even when today's was made (by hand, e.g. before an update).",
        )

    def handle(self, *, folder, keep, database, again, **options):
        if keep < 1:
            raise CommandError("--keep must be 1 or more: the new backup is always kept.")
        if again:
            self.back_up(folder, keep, database)
            return
        with scheduling.once("backup", scheduling.today()) as run:
            if run is None:
                done = scheduling.done_by("backup", scheduling.today())
                self.stdout.write(f"Nothing to do: {done}.")
                return
            self.back_up(folder, keep, database)

    def back_up(self, folder, keep, database):
        connection = connections[database]
        suffix = suffix_for(connection)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        target = folder / f"wpo-{timezone.localtime():%Y%m%d-%H%M%S}{suffix}"
        if target.exists():
            raise CommandError(f"{target} exists already: wait a second and try again.")
        # Written under another name first, so a backup cut off half-way never looks complete
        # and never counts among the ones kept. It holds personal data: for its owner only.
        partial = target.with_name(target.name + ".partial")
        partial.touch(mode=0o600)
        try:
            if connection.vendor == "sqlite":
                self._sqlite(connection, partial)
            else:
                run_postgresql_tool(
                    connection, "pg_dump", "--format=custom", "--file", str(partial)
                )
        except BaseException:
            partial.unlink()
            raise
        partial.replace(target)
        for old in sorted(folder.glob(PATTERN + suffix))[:-keep]:
            old.unlink()
        self.stdout.write(str(target))

    def _sqlite(self, connection, partial: Path) -> None:
        """SQLite's online backup: a consistent copy while the app goes on reading and writing."""
        connection.ensure_connection()
        with closing(sqlite3.connect(partial)) as copy:
            connection.connection.backup(copy)
            # one self-contained file, without the -wal and -shm files WAL mode needs
            copy.execute("PRAGMA journal_mode=DELETE")
