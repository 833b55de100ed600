"""How long a closed trajectory and a passed assignment took, in whole days, pauses left out
(DOMAIN.md, norms), and what the manager's figures count of them: the report's rows and the kept
months (`trajects.reports.months`) count them alike."""

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from trajects.models import Pause
from trajects.norms import DaysBetween


def trajectory_days():
    """A closed trajectory's length in days, from the agreed start to the closing, its pauses
    left out."""
    paused = (
        Pause.objects.filter(trajectory=OuterRef("pk"))
        .order_by()
        .values("trajectory")
        .annotate(
            days=Sum(DaysBetween(Coalesce("resumed_on", "trajectory__closed_on"), "starts_on"))
        )
        .values("days")
    )
    return DaysBetween("closed_on", "agreed_start") - Coalesce(
        Subquery(paused, output_field=IntegerField()), 0
    )


def assignment_days():
    """A passed assignment's length in days, from introduction to passed, pauses left out."""
    return DaysBetween("passed_on", "introduced_on") - F("paused_days")


def closed_figures(norms: dict) -> dict:
    """What the report counts of closed trajectories annotated with their `days`
    (`trajectory_days()`): how many, their days added up (for the average), and how many ran
    shorter or longer than the norms allow."""
    return {
        "closed": Count("pk"),
        "trajectory_days_sum": Sum("days"),
        "shorter": Count("pk", filter=Q(days__lt=norms["trajectory_min_days"])),
        "longer": Count("pk", filter=Q(days__gt=norms["trajectory_max_days"])),
    }


def passed_figures(norms: dict) -> dict:
    """What the report counts of passed assignments annotated with their `days`
    (`assignment_days()`): how many, their days added up, and how many took longer than the
    norm."""
    return {
        "passed": Count("pk"),
        "assignment_days_sum": Sum("days"),
        "over_norm": Count("pk", filter=Q(days__gt=norms["assignment_weeks"] * 7)),
    }
