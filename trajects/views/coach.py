"""The coach's home: which departments, participants and trainers need the coach this week,
signals first; the participant list as CSV or XLSX."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from trajects import forms, norms
from trajects.models import AssignmentProgress, GuidanceConversation, Interest, Phase, Trajectory
from trajects.reports import exports
from trajects.reports.dashboards import department_figures
from wpo import access, audit
from wpo.http import wants_part
from wpo.models import AuditAction, Department, Person, Role

COACH_PAGE_SIZE = 50  # signals first, so the participants who need the coach are on page 1
WAITING_SHOWN = 25  # the longest waiting; the rest are counted


def _coach_participants(request):
    """The filter form and the coach's participants it selects, signals first."""
    departments = Department.objects.coached_by(request.user)
    trainers = Person.objects.in_role(Role.TRAINER, departments=departments)
    filters = forms.CoachFilterForm(request.GET, departments=departments, trainers=trainers)
    mine = Trajectory.objects.in_coached_departments(request.user).active().with_signals()
    trajectories = filters.filter(mine).with_overview().signals_first()
    return filters, mine, trajectories


@require_GET
@access.role_required(Role.COACH)
def coach_home(request):
    """Which departments, participants and trainers need the coach this week: signals first."""
    filters, mine, trajectories = _coach_participants(request)
    page = Paginator(trajectories, COACH_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filters": filters, "page": page, "trajectories": page.object_list}
    if wants_part(request):
        return render(request, "trajects/coach_home.html#participants", context)
    waiting = (
        Interest.objects.in_coached_departments(request.user)
        .waiting()
        .select_related("person", "department", "supervisor")
    )
    context |= {
        "severities": norms.count_by_severity(mine),
        "phases": Phase.choices,
        "departments": norms.department_load(department_figures(filters.departments)),
        "trainers": norms.trainer_load(filters.trainers, filters.departments),
        "waiting": norms.waiting(waiting, WAITING_SHOWN),
        "waiting_count": waiting.count(),
        "conversations": GuidanceConversation.objects.in_coached_departments(request.user)
        .coming_week()
        .select_related("trajectory__participant", "trajectory__trainer")
        .order_by("planned_at"),
        "independent_weeks": AssignmentProgress.objects.in_coached_departments(request.user)
        .independent_week_ending_this_week()
        .select_related("trajectory_skill__trajectory__participant", "assignment")
        .order_by("independent_until"),
    }
    return render(request, "trajects/coach_home.html", context)


@require_GET
@access.role_required(Role.COACH)
def coach_export(request, fmt):
    """The participant list as the filter shows it (every page), as CSV or XLSX."""
    if fmt not in exports.FORMATS:
        raise Http404
    trajectories = _coach_participants(request)[-1]
    audit.record(AuditAction.DOWNLOAD, user=request.user)
    filename = f"deelnemers-{timezone.localdate():%Y-%m-%d}"
    return exports.table_response(_participant_table(trajectories), fmt, filename)


def _participant_table(trajectories) -> exports.Table:
    return exports.Table(
        title=_("Participants"),
        columns=[
            _("Signal"),
            _("Reasons"),
            _("Participant"),
            _("Department"),
            _("Workplace trainer"),
            _("Phase"),
            _("Assignment"),
            _("Last conversation"),
            _("Next conversation"),
        ],
        rows=[
            [
                str(trajectory.severity.label),
                "; ".join(str(signal.reason) for signal in trajectory.signals),
                trajectory.participant.full_name,
                str(trajectory.department),
                trajectory.trainer.full_name,
                trajectory.get_phase_display(),
                "; ".join(progress.assignment.title for progress in trajectory.current_progress),
                _local_date(trajectory.last_conversation_at),
                _local_date(trajectory.next_conversation_at),
            ]
            for trajectory in trajectories
        ],
        header_column=2,
    )


def _local_date(moment):
    return timezone.localdate(moment) if moment else None
