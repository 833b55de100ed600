"""Put a backup made by `manage.py backup` back. Stop the app (and the background worker)
first; afterwards run `manage.py migrate` in case the code is newer than the backup."""

import sqlite3
from contextlib import closing
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from wpo.management.commands.backup import run_postgresql_tool, suffix_for


class Command(BaseCommand):
    help = (
        "Restore a backup into the database. A database that has tables already is only "
        "replaced with --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="replace what the database holds now"
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *, file, force, database, **options):
        connection = connections[database]
        if not file.is_file():
            raise CommandError(f"{file} does not exist.")
        if file.suffix != suffix_for(connection):
            raise CommandError(f"{file} is not a backup of a {connection.vendor} database.")
        tables = connection.introspection.table_names()
        if tables and not force:
            raise CommandError(
                f"The database {connection.settings_dict['NAME']} is not empty "
                f"({len(tables)} tables). Add --force to replace its contents with the backup."
            )
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            with closing(sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)) as backup:
                backup.backup(connection.connection)
        else:
            # one transaction: a restore that fails half-way leaves the database as it was
            run_postgresql_tool(
                connection,
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                str(file),
            )
        self.stdout.write(f"Restored {file} into {connection.settings_dict['NAME']}.")
