"""How long a closed trajectory and a passed assignment took, in whole days, pauses left out
(DOMAIN.md, norms): what the manager's figures average and hold against the norms."""

from django.db.models import F, IntegerField, OuterRef, Subquery, Sum
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
