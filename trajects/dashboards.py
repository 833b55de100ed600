"""Figures per department for the coach and project-manager home pages, counted in the database
in one query however many departments and participants there are."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from trajects.models import Interest, Phase

OPEN = Q(trajectories__closed_on__isnull=True, trajectories__stopped_on__isnull=True)
FIGURES = [f"phase_{phase.value}" for phase in Phase] + ["active", "closed_this_year", "waiting"]


def department_figures(departments):
    year_start = timezone.localdate().replace(month=1, day=1)
    waiting = (
        Interest.objects.waiting()
        .filter(department=OuterRef("pk"))
        .order_by()
        .values("department")
        .annotate(n=Count("pk"))
        .values("n")
    )
    by_phase = {
        f"phase_{phase.value}": Count("trajectories", filter=OPEN & Q(trajectories__phase=phase))
        for phase in Phase
    }
    return departments.select_related("business_unit").annotate(
        **by_phase,
        active=Count("trajectories", filter=OPEN),
        closed_this_year=Count("trajectories", filter=Q(trajectories__closed_on__gte=year_start)),
        waiting=Coalesce(Subquery(waiting, output_field=IntegerField()), 0),
    )


def totals(rows) -> dict:
    return {name: sum(getattr(row, name) for row in rows) for name in FIGURES}
