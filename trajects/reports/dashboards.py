"""Figures for the coach's and the project manager's pages (per department, per trainer),
counted in the database in one query however many departments and participants there are."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from trajects.models import OPEN_STATUSES, Interest, Phase, ProgressStatus, Trajectory

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


def trainer_figures(trajectories) -> dict:
    """What a one-to-one is about (DOMAIN.md: number of participants, progress, results
    achieved), for the trajectories of one trainer, in one query."""
    running = Q(closed_on__isnull=True, stopped_on__isnull=True)
    progress = "skills__progress"
    return trajectories.aggregate(
        active=Count("pk", filter=running, distinct=True),
        **{
            f"phase_{phase}": Count("pk", filter=running & Q(phase=phase), distinct=True)
            for phase in Phase.values
        },
        in_progress=Count(
            progress, filter=running & Q(skills__progress__status__in=OPEN_STATUSES), distinct=True
        ),
        passed=Count(
            progress, filter=Q(skills__progress__status=ProgressStatus.PASSED), distinct=True
        ),
        assessed=Count("skills", filter=~Q(skills__achieved_level=""), distinct=True),
        closed=Count("pk", filter=Q(closed_on__isnull=False), distinct=True),
    )
