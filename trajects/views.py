from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render

from trajects.dashboards import department_figures, totals
from trajects.models import AssignmentProgress, Interest, Trajectory, TrajectorySkill
from wpo import access
from wpo.models import Department, Role


@access.role_required(Role.TRAINER)
def trainer_home(request):
    person_id = access.scope_of(request.user).person_id
    trajectories = (
        Trajectory.objects.visible_to(request.user)
        .active()
        .guided_by(person_id)
        .with_overview()
        .order_by("participant__last_name", "participant__first_name")
    )
    return render(request, "trajects/trainer_home.html", {"trajectories": trajectories})


@access.role_required(Role.COACH)
def coach_home(request):
    departments = department_figures(Department.objects.filter(access.coached_q(request.user)))
    trajectories = (
        Trajectory.objects.visible_to(request.user)
        .active()
        .filter(access.coached_q(request.user, "department__"))
        .with_overview()
        .order_by("department__name", "phase", "participant__last_name")
    )
    waiting = (
        Interest.objects.visible_to(request.user)
        .waiting()
        .select_related("person", "department", "supervisor")
    )
    return render(
        request,
        "trajects/coach_home.html",
        {"departments": departments, "trajectories": trajectories, "waiting": waiting},
    )


@access.role_required(Role.PROJECT_MANAGER)
def organisation(request):
    departments = list(
        department_figures(Department.objects.filter(access.department_q(request.user)))
    )
    return render(
        request,
        "trajects/organisation.html",
        {"departments": departments, "totals": totals(departments)},
    )


@login_required
def trajectory_detail(request, pk):
    trajectory = access.get_visible_or_404(
        Trajectory.objects.select_related(
            "participant", "department__business_unit", "trainer", "coach"
        ).prefetch_related(
            Prefetch(
                "skills",
                queryset=TrajectorySkill.objects.select_related("skill").prefetch_related(
                    Prefetch(
                        "progress",
                        queryset=AssignmentProgress.objects.select_related("assignment").order_by(
                            "assignment__number"
                        ),
                    )
                ),
            ),
            "conversations",
            "notes",
        ),
        request.user,
        pk=pk,
    )
    return render(request, "trajects/trajectory_detail.html", {"trajectory": trajectory})
