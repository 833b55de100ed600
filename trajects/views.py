from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from trajects.dashboards import department_figures, totals
from trajects.models import Interest, Trajectory
from wpo import access
from wpo.models import Department, Role


@require_GET
@access.role_required(Role.TRAINER)
def trainer_home(request):
    trajectories = (
        Trajectory.objects.visible_to(request.user)
        .active()
        .guided_by(access.scope_of(request.user).person_id)
        .with_overview()
        .order_by("participant__last_name", "participant__first_name")
    )
    return render(request, "trajects/trainer_home.html", {"trajectories": trajectories})


@require_GET
@access.role_required(Role.COACH)
def coach_home(request):
    departments = department_figures(Department.objects.coached_by(request.user))
    trajectories = (
        Trajectory.objects.in_coached_departments(request.user)
        .active()
        .with_overview()
        .order_by("department__name", "phase", "participant__last_name")
    )
    waiting = (
        Interest.objects.in_coached_departments(request.user)
        .waiting()
        .select_related("person", "department", "supervisor")
    )
    return render(
        request,
        "trajects/coach_home.html",
        {"departments": departments, "trajectories": trajectories, "waiting": waiting},
    )


@require_GET
@access.role_required(Role.PROJECT_MANAGER)
def organisation(request):
    departments = list(department_figures(Department.objects.visible_to(request.user)))
    return render(
        request,
        "trajects/organisation.html",
        {"departments": departments, "totals": totals(departments)},
    )


@require_GET
@login_required
def trajectory_detail(request, pk):
    trajectory = access.get_visible_or_404(Trajectory.objects.with_detail(), request.user, pk=pk)
    return render(request, "trajects/trajectory_detail.html", {"trajectory": trajectory})
