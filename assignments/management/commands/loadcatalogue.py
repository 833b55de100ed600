from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assignments import catalogue
from assignments.models import Skill


class Command(BaseCommand):
    help = (
        "Load the skill catalogue (8 skills x 6 assignments). Without a path, the catalogue that "
        "ships with the app; with one, the organisation's own file of the same format."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, default=catalogue.SHIPPED)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only when there is no catalogue yet (keeps an imported or edited one).",
        )

    def handle(self, *args, path, if_empty, **options):
        if if_empty and Skill.objects.exists():
            self.stdout.write("Catalogue already present; nothing to do.")
            return
        try:
            result = catalogue.load(catalogue.read(path))
        except catalogue.CatalogueError as error:
            raise CommandError(f"Catalogue not loaded: {error}") from error
        self.stdout.write(
            f"Catalogue loaded from {path.name}: "
            f"{result.skills_created} skills created, {result.skills_updated} updated; "
            f"{result.assignments_created} assignments created, "
            f"{result.assignments_updated} updated."
        )
