"""Do the manager's kept figures of past months (`trajects.reports.months`) still say what
their rows say? The receivers let a month go when one of its rows changes; a change made past
them (a repair in the database, a bulk load) would leave the report showing old figures. Lists
every month that differs and exits 1 when there is one; `--fix` lets those months go, to be
counted again when a report needs them."""

from django.core.management.base import BaseCommand, CommandError

from trajects.models import SummarizedMonth
from trajects.reports import months
from trajects.reports.figures import norm_settings


class Command(BaseCommand):
    help = (
        "Count every kept month of the manager's figures again and report each that differs "
        "(exit 1). --fix lets them go, to be counted again when needed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Let the months that differ go.")

    def handle(self, *args, fix, **options):
        found = months.drift(norm_settings())
        for month in found:
            self.stdout.write(f"{month:%Y-%m}: the kept figures differ from the rows")
        if found and fix:
            months.forget(found)
            self.stdout.write(f"{len(found)} month(s) let go; they are counted again when needed.")
        elif found:
            raise CommandError(f"{len(found)} kept month(s) differ from the rows.")
        else:
            kept = SummarizedMonth.objects.count()
            self.stdout.write(f"{kept} kept month(s): no drift.")
