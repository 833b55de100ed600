from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assignments.models import Assignment, Skill


@require_GET
@login_required
def catalogue(request):
    skills = Skill.objects.prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.order_by("number"))
    )
    return render(request, "assignments/catalogue.html", {"skills": skills})
