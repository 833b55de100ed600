import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wpo import bench, demo
from wpo.serving import ServingError


def sizes(value: str) -> list[int]:
    try:
        first, second = (int(size) for size in value.split(","))
    except ValueError:
        raise CommandError("--compare takes two sizes, for example 30,5000.") from None
    return [first, second]


class Command(BaseCommand):
    help = (
        "Build (or reuse) a demo database of the given size, serve it with the production stack "
        "(gunicorn, debug off) and measure the main pages, a conversation save, parallel "
        "writers and certificates over HTTP, against the admin's trajectory list in the same "
        "run. Prints a table; --json also writes the figures."
    )

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, default=5000)
        parser.add_argument(
            "--compare", metavar="A,B", help="Measure two sizes and compare them (30,5000)."
        )
        parser.add_argument("--requests", type=int, default=20, help="Requests per page.")
        parser.add_argument(
            "--saves", type=int, default=25, help="Floor notes per parallel writer."
        )
        parser.add_argument("--batch", type=int, default=200, help="Certificates in one PDF.")
        parser.add_argument("--workers", type=int, default=3, help="gunicorn workers.")
        parser.add_argument(
            "--database-url",
            metavar="URL",
            help="postgres://… (made when missing). Default: an SQLite file in --directory.",
        )
        parser.add_argument(
            "--directory",
            type=Path,
            default=Path(settings.BASE_DIR) / "var" / "bench",
            help="Where the SQLite databases, static files and what was built are kept.",
        )
        parser.add_argument(
            "--rebuild", action="store_true", help="Build the database even if it is there."
        )
        parser.add_argument("--json", type=Path, metavar="PATH", help="Write the figures here.")

    def handle(self, *args, **options):
        wanted = sizes(options["compare"]) if options["compare"] else [options["participants"]]
        if min(wanted) < 1 or options["requests"] < 1:
            raise CommandError("Sizes and --requests must be at least 1.")
        runs, machine = [], bench.machine()  # the code and the load as the run begins
        try:
            for participants in wanted:
                run = bench.run_size(
                    participants,
                    directory=options["directory"].resolve(),
                    database_url=options["database_url"],
                    suffix=len(wanted) > 1,
                    requests=options["requests"],
                    saves=options["saves"],
                    batch=options["batch"],
                    workers=options["workers"],
                    rebuild=options["rebuild"],
                    password=demo.DEFAULT_PASSWORD,
                    say=lambda line: self.stderr.write(line),
                )
                runs.append(run)
                self.stdout.write("\n".join(["", *bench.table(run)]))
        except (bench.BenchError, ServingError) as error:
            raise CommandError(str(error)) from error
        if len(runs) == 2:
            self.stdout.write("\n".join(["", *bench.comparison(*runs)]))
        if options["json"]:
            figures = bench.as_json(runs, machine, " ".join(["manage.py", *sys.argv[1:]]))
            options["json"].write_text(json.dumps(figures, indent=2, ensure_ascii=False))
