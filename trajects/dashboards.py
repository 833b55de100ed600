"""Figures per department for the coach and project-manager home pages, counted in the database
in one query however many departments and participants there are."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from trajects.models import Interest, Phase, Trajectory

FIGURES = [f"phase_{phase.value}" for phase in Phase] + ["active", "closed_this_year", "waiting"]


def count_per(queryset, path: str):
    """How many rows of `queryset` point at the outer row through `path`: an annotation for a
    list of departments or skills, one subquery instead of a join that would multiply the other
    counts."""
    counted = (
        queryset.filter(**{path: OuterRef("pk")})
        .order_by()
        .values(path)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def department_figures(departments):
    """Each department with its open trajectories per phase (`phase_1`...), `active`,
    `closed_this_year` and registrations `waiting`. Counted by subqueries, not a join: a join
    would make every other figure added to these rows run once per trajectory."""
    year_start = timezone.localdate().replace(month=1, day=1)
    trajectories = Trajectory.objects.all()
    open_ = trajectories.filter(closed_on__isnull=True, stopped_on__isnull=True)
    by_phase = {
        f"phase_{phase.value}": count_per(open_.filter(phase=phase), "department")
        for phase in Phase
    }
    return departments.select_related("business_unit").annotate(
        **by_phase,
        active=count_per(open_, "department"),
        closed_this_year=count_per(trajectories.filter(closed_on__gte=year_start), "department"),
        waiting=count_per(Interest.objects.waiting(), "department"),
    )


def totals(rows) -> dict:
    return {name: sum(getattr(row, name) for row in rows) for name in FIGURES}
