"""Who may see and do what: the one place that answers it.

Lists start from a model's `visible_to(user)` queryset, which filters with the Q objects made
here; single objects come through `get_visible_or_404`, so an object outside your scope answers
404 (we do not reveal that it exists). Pages meant for one role use `role_required`, which answers
403 to a logged-in user without that role.

The rules (DESIGN.md, "Access"):
- a workplace trainer sees the trajectories they guide;
- a coach sees everything in the departments they coach;
- the project manager sees everything (and answers escalations);
- a business-unit manager sees the figures of their unit, counted over trajectories they do
  not see (`counted_q`): its departments, and no participant, trainer, meeting or escalation;
- an invitee sees the meeting they are invited to: who else is, and the attendance of their own
  participants;
- the administrator works in the Django admin.
A person with several roles sees the union.

Who checks what, once: the views check what the user may do, here (the getters, `role_required`,
the `may_*` questions, the scoped choices of a form); the services check the state (the phase,
the pause, what was recorded before) and take the user only to record who acted. So a service
called with any user still refuses a step the state does not allow, and a view never repeats a
state rule: it calls the service and shows its refusal.

The rules are written against field paths (`prefix`), not models, so this module depends on
nothing but the organisation: the apps that hold trajectories and certificates ask it, never the
other way round.
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from wpo.models import Person, Role

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Scope:
    person_id: int | None = None
    trainer_of: frozenset[int] = frozenset()
    coach_of: frozenset[int] = frozenset()
    manager_of: frozenset[int] = frozenset()  # business units
    is_project_manager: bool = False
    is_admin: bool = False

    @property
    def roles(self) -> set[str]:
        roles = set()
        if self.trainer_of:
            roles.add(Role.TRAINER)
        if self.coach_of:
            roles.add(Role.COACH)
        if self.is_project_manager:
            roles.add(Role.PROJECT_MANAGER)
        if self.manager_of:
            roles.add(Role.UNIT_MANAGER)
        return roles


def scope_of(user) -> Scope:
    """The user's roles and departments, read once per request (cached on the user object)."""
    if not user.is_authenticated or not user.is_active:
        return Scope()
    cached = getattr(user, "_wpo_scope", None)
    if cached is not None:
        return cached
    rows = Person.objects.filter(user=user).values_list(
        "pk", "memberships__role", "memberships__department_id", "memberships__business_unit_id"
    )
    person_id, is_pm = None, False
    places = {Role.TRAINER: set(), Role.COACH: set(), Role.UNIT_MANAGER: set()}
    for pk, role, department_id, unit_id in rows:
        person_id = pk
        if role == Role.PROJECT_MANAGER:
            is_pm = True
        elif role in places:
            places[role].add(unit_id if role == Role.UNIT_MANAGER else department_id)
    scope = Scope(
        person_id=person_id,
        trainer_of=frozenset(places[Role.TRAINER]),
        coach_of=frozenset(places[Role.COACH]),
        manager_of=frozenset(places[Role.UNIT_MANAGER]),
        is_project_manager=is_pm,
        is_admin=user.is_superuser,
    )
    user._wpo_scope = scope
    return scope


def trajectory_q(user, prefix: str = "") -> Q:
    """Trajectories, and everything that belongs to one (skills, progress, conversations, notes,
    certificates: pass the path to the trajectory as `prefix`)."""
    if scope_of(user).is_project_manager:
        return Q()
    return guidance_q(user, prefix)


def outside_trajectories_q(user, prefix: str = "") -> Q:
    """What `trajectory_q` leaves out: for a rule such as "only while every part is in scope".
    Not `~trajectory_q(...)`: the project manager's `Q()` negated is `Q()` again, which would
    put everything outside."""
    if scope_of(user).is_project_manager:
        return NOTHING
    return ~guidance_q(user, prefix)


def counted_q(user, prefix: str = "") -> Q:
    """What the user's figures count (trajectories, or what belongs to one at `prefix`): what
    they see, and for a business-unit manager every trajectory of their units, which they count
    without seeing one (DESIGN.md: their unit's figures, without names)."""
    scope = scope_of(user)
    if scope.is_project_manager:
        return Q()
    return guidance_q(user, prefix) | _in_managed_units(scope, f"{prefix}department__")


def counted_escalations_q(user) -> Q:
    """The escalations the user's figures count: those they see, and a business-unit manager's
    units' open ones, as a number only."""
    scope = scope_of(user)
    if scope.is_project_manager:
        return Q()
    return escalation_q(user) | _in_managed_units(scope, "department__")


def _in_managed_units(scope: Scope, department: str) -> Q:
    """The rows whose department (at `department`) lies in a unit the user manages."""
    if not scope.manager_of:
        return NOTHING
    return Q(**{f"{department}business_unit__in": scope.manager_of})


def may_name_participants(user) -> bool:
    """The report with participants' names is the project manager's; a business-unit manager
    gets the figures only."""
    return scope_of(user).is_project_manager


def guidance_q(user, prefix: str = "") -> Q:
    """The trajectories the user may work on: those they guide as trainer, and all of the
    departments they coach (a coach may do everything a trainer does there)."""
    scope = scope_of(user)
    q = NOTHING
    if scope.coach_of:
        q |= Q(**{f"{prefix}department__in": scope.coach_of})
    if scope.trainer_of:
        q |= Q(**{f"{prefix}trainer_id": scope.person_id})
    return q


def may_guide(user, trajectory) -> bool:
    """`guidance_q` for one trajectory in hand."""
    scope = scope_of(user)
    return trajectory.department_id in scope.coach_of or (
        bool(scope.trainer_of) and trajectory.trainer_id == scope.person_id
    )


def may_certify(user, trajectory) -> bool:
    """A coach of the trajectory's department, or the project manager, issues and revokes its
    certificate; the trainer prints what was issued."""
    scope = scope_of(user)
    return scope.is_project_manager or trajectory.department_id in scope.coach_of


def may_organise(user, meeting) -> bool:
    """Only the coach who organised a meeting changes it and writes it down."""
    return meeting.organiser_id is not None and meeting.organiser_id == scope_of(user).person_id


def may_answer_escalations(user) -> bool:
    return scope_of(user).is_project_manager


def sees_whole_meeting(user, meeting) -> bool:
    """The organiser and the project manager see every invitee's attendance and the notes."""
    return scope_of(user).is_project_manager or may_organise(user, meeting)


def own_people_q(user, prefix: str = "") -> Q:
    """Whose attendance at a meeting an invitee sees: their own, and that of the participants
    they may see (a trainer the ones they guide). An invitee sees who else is invited, but not
    whether someone else's participant came (DESIGN.md, "Access")."""
    person_id = scope_of(user).person_id
    own = Q(**{f"{prefix}pk": person_id}) if person_id else NOTHING
    return own | person_q(user, prefix)


def meeting_invitees_shown(user, meeting, invited_ids) -> tuple[set, set]:
    """Of a meeting's invitees, whom `user` sees on its page and whose attendance: the
    organiser and the project manager everyone and everything; an invitee everyone, with the
    attendance of their own people only; a coach of one of its departments only their own."""
    invited = set(invited_ids)
    if sees_whole_meeting(user, meeting):
        return invited, invited
    own = set(
        Person.objects.filter(own_people_q(user))
        .filter(pk__in=invited)
        .values_list("pk", flat=True)
    )
    return (invited if scope_of(user).person_id in invited else own), own


def may_read_meeting_notes(user, meeting, department_ids) -> bool:
    """The notes of a meeting speak of everyone who came: the organiser, the project manager
    and the coaches of its departments read them; an invitee only of a meeting that has no
    participants (a one-to-one, a peer review), where nothing in them is about another
    trainer's participant."""
    from trajects.models import MeetingKind

    if sees_whole_meeting(user, meeting) or scope_of(user).coach_of & set(department_ids):
        return True
    return meeting.kind in (MeetingKind.ONE_TO_ONE, MeetingKind.PEER_REVIEW)


def intake_departments_q(user, prefix: str = "") -> Q:
    """Departments where the user registers interest and starts trajectories: those they train
    or coach. The project manager follows, and does not take intakes."""
    scope = scope_of(user)
    departments = scope.coach_of | scope.trainer_of
    return Q(**{f"{prefix}pk__in": departments}) if departments else NOTHING


def department_q(user, prefix: str = "") -> Q:
    """Departments: those the user trains or coaches, and those of the units they manage."""
    scope = scope_of(user)
    if scope.is_project_manager:
        return Q()
    departments = scope.coach_of | scope.trainer_of
    q = Q(**{f"{prefix}pk__in": departments}) if departments else NOTHING
    return q | _in_managed_units(scope, prefix)


def coached_q(user, prefix: str = "") -> Q:
    """The departments the user coaches (not all they may see, as a project manager)."""
    coach_of = scope_of(user).coach_of
    return Q(**{f"{prefix}pk__in": coach_of}) if coach_of else NOTHING


def interest_q(user) -> Q:
    """Interest registrations: a trainer sees those of the departments they train and those that
    name them as supervisor; a coach those of the departments they coach."""
    scope = scope_of(user)
    if scope.is_project_manager:
        return Q()
    q = NOTHING
    if scope.coach_of | scope.trainer_of:
        q |= Q(department__in=scope.coach_of | scope.trainer_of)
    if scope.person_id:
        q |= Q(supervisor_id=scope.person_id)
    return q


def person_q(user, prefix: str = "") -> Q:
    """People: the participants of the trajectories the user may see, and everyone in the
    departments they coach."""
    scope = scope_of(user)
    if scope.is_project_manager:
        return Q()
    q = NOTHING
    if scope.coach_of:
        q |= Q(**{f"{prefix}department__in": scope.coach_of})
        q |= Q(**{f"{prefix}trajectories__department__in": scope.coach_of})
    if scope.trainer_of:
        q |= Q(**{f"{prefix}trajectories__trainer_id": scope.person_id})
    return q


def may_handle_personal_data(user, person) -> bool:
    """A participant's data subject access request is answered by the coach of their
    department or by the project manager, not by the trainer on the floor. Staff (people with a
    login) ask the administrator."""
    scope = scope_of(user)
    if person.user_id is not None:
        return False
    return scope.is_project_manager or person.department_id in scope.coach_of


def meeting_q(user) -> Q:
    """Meetings: a coach sees those they organise and those for the departments they coach;
    anyone sees the meetings they are invited to. Each part is its own indexed subquery, not
    a join: so a list costs what the user's meetings cost, not every invitee of the
    organisation, and counts over the invitees stay per meeting."""
    from trajects.models import Meeting, MeetingAttendance

    scope = scope_of(user)
    if scope.is_project_manager:
        return Q()
    q = NOTHING
    if scope.coach_of:
        for_departments = Meeting.departments.through.objects.filter(
            department_id__in=scope.coach_of
        )
        q |= Q(pk__in=for_departments.values("meeting_id"))
    if scope.person_id:
        invited = MeetingAttendance.objects.filter(person_id=scope.person_id)
        q |= Q(organiser_id=scope.person_id) | Q(pk__in=invited.values("meeting_id"))
    return q


def requested_by_q(user) -> Q:
    """A print job or download the user asked for themselves: nobody else sees it."""
    return Q(requested_by_id=user.pk) if user.is_authenticated else NOTHING


def escalation_q(user) -> Q:
    """Escalations go from a coach to the project manager; trainers do not see them."""
    scope = scope_of(user)
    if scope.is_project_manager:
        return Q()
    if not scope.coach_of:
        return NOTHING
    return Q(department__in=scope.coach_of) | Q(raised_by_id=scope.person_id)


# The participant has no login: their personal link opens a short session of its own, which
# holds the link it was opened with (not the token) and when. It opens that participant's own
# pages and nothing else: it is no login, so every staff page sends it to log in.
PARTICIPANT_SESSION = "wpo.participant"
PARTICIPANT_HOURS = 2


def open_participant_session(request, link_id: int, now):
    """After a working link: a fresh session (whoever was logged in on this device is logged
    out first, so a shared tablet never mixes a staff login with a participant's pages), ended
    when the browser closes or after `PARTICIPANT_HOURS`."""
    logout(request)
    request.session[PARTICIPANT_SESSION] = {"link": link_id, "since": now.timestamp()}
    request.session.set_expiry(0)


def close_participant_session(request):
    request.session.pop(PARTICIPANT_SESSION, None)


def participant_trajectory(request, queryset, now):
    """The trajectory whose personal link opened this session, from `queryset`, or None: no
    session, a session older than `PARTICIPANT_HOURS`, a link replaced by a newer one, or a
    trajectory that was closed or stopped since. Nor for a login: someone who logs in on a
    shared tablet the participant did not press "Klaar" on is not that participant (a login
    keeps the session's data)."""
    opened = request.session.get(PARTICIPANT_SESSION)
    if not isinstance(opened, dict):
        return None
    if request.user.is_authenticated:
        close_participant_session(request)
        return None
    if now.timestamp() - opened.get("since", 0) > PARTICIPANT_HOURS * 3600:
        close_participant_session(request)
        return None
    return queryset.filter(
        participant_link__pk=opened.get("link"), closed_on__isnull=True, stopped_on__isnull=True
    ).first()


def get_visible_or_404(queryset, user, **lookup):
    """The one way a view fetches a single scoped object."""
    return get_object_or_404(queryset.visible_to(user), **lookup)


def get_guided_or_404(queryset, user, *, trajectory_of=lambda obj: obj, **lookup):
    """An object of a trajectory the user works on: 404 when they may not see it, 403 when they
    may only look (the project manager). `trajectory_of` leads from the object to its
    trajectory."""
    obj = get_visible_or_404(queryset, user, **lookup)
    if not may_guide(user, trajectory_of(obj)):
        raise PermissionDenied
    return obj


def may_take_intake(user, department_id) -> bool:
    scope = scope_of(user)
    return department_id in scope.coach_of | scope.trainer_of


def has_role(user, *roles: str) -> bool:
    return bool(scope_of(user).roles.intersection(roles))


def role_required(*roles: str):
    """Limit a view to users with one of `roles`; others who are logged in get 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def admin_required(view):
    """Pages for the administrator (people and roles); others who are logged in get 403."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not scope_of(request.user).is_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def home_url_name(user) -> str | None:
    """The page a user lands on after logging in, by their most encompassing role."""
    scope = scope_of(user)
    if scope.is_project_manager:
        return "trajects:organisation"
    if scope.coach_of:
        return "trajects:coach_home"
    if scope.trainer_of:
        return "trajects:trainer_home"
    if scope.manager_of:
        return "trajects:organisation"
    if scope.is_admin:
        return "admin:index"
    return None
