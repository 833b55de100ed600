import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wpo import demo


class Command(BaseCommand):
    help = (
        "Make a realistic demo organisation: business units, departments, trainers, coaches, a "
        "project manager, an administrator and participants in every phase. Prints the logins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--participants",
            type=int,
            default=36,
            help="How many participants with a trajectory (default 36).",
        )
        parser.add_argument(
            "--password",
            default=demo.DEFAULT_PASSWORD,
            help="The password of every demo login (default: wpo-demo).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Remove the existing organisation and demo logins first.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when an organisation exists already.",
        )
        parser.add_argument(
            "--summary-json",
            type=Path,
            metavar="PATH",
            help="Also write who is who as JSON to PATH.",
        )
        parser.add_argument(
            "--conversations",
            type=int,
            metavar="N",
            help=(
                "Held conversations per participant on average, with history rows for the last "
                "four weeks' (the benchmark's volume: 20). Default: the few a demo needs."
            ),
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")

    def handle(self, *args, **options):
        if options["participants"] < 1:
            raise CommandError("--participants must be at least 1.")
        if demo.already_loaded():
            if options["if_empty"]:
                self.stdout.write("Demo organisation already present; nothing to do.")
                return
            if not options["reset"]:
                raise CommandError(
                    "This database already holds an organisation. Use --reset to replace it "
                    "with a fresh demo (this deletes all trajectories)."
                )
            demo.reset()
        started = time.monotonic()
        generator = demo.Generator(
            options["participants"],
            options["password"],
            options["seed"],
            conversations=options["conversations"],
        )
        summary = generator.run()
        seconds = time.monotonic() - started
        if options["summary_json"]:
            options["summary_json"].write_text(
                json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8"
            )
        self.print_table(summary)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo organisation made in {seconds:.1f} s, "
                f"{options['participants']} participants. "
                f"Every login's password: {options['password']}"
            )
        )

    def print_table(self, summary: dict):
        self.stdout.write(f"{'login':<12} {'role':<16} {'departments':<40} participants")
        for login, facts in summary.items():
            departments = ", ".join(facts["departments"]) or "—"
            if len(departments) > 40:
                departments = departments[:37] + "..."
            people = facts["participants"]
            if facts["role"] == "trainer":
                shown = ", ".join(people) or "—"
            else:
                shown = f"{len(people)} participants" if people else "—"
            self.stdout.write(f"{login:<12} {facts['role']:<16} {departments:<40} {shown}")
