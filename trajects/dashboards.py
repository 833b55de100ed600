"""Figures per department for the coach and project-manager home pages, counted in the database
in one query however many departments and participants there are."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from trajects.models import Interest, Phase, Trajectory

FIGURES = [f"phase_{phase.value}" for phase in Phase] + ["active", "waiting"]


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
    """Each department with its open trajectories per phase (`phase_1`...), `active`, and
    registrations `waiting`. Counted by subqueries, not a join: a join would make every other
    figure added to these rows run once per trajectory."""
    open_ = Trajectory.objects.active()
    by_phase = {
        f"phase_{phase.value}": count_per(open_.filter(phase=phase), "department")
        for phase in Phase
    }
    return departments.select_related("business_unit").annotate(
        **by_phase,
        active=count_per(open_, "department"),
        waiting=count_per(Interest.objects.waiting(), "department"),
    )
