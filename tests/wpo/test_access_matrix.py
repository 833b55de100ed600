"""Every URL pattern x every role: who gets the page, who is sent to log in, who gets 403 (in
scope, not their action) and who gets 404 (outside their scope). A URL pattern without a row
here fails `test_every_url_pattern_has_a_row`.

The business-unit manager (`unit_manager`, of `world.department`'s unit) reads its figures:
the organisation pages of their unit, and nothing with a name in it.

The participant is a role of its own: no login, but the session their personal link opened
(for `world.trajectory`). Every staff page sends them to log in; their own pages show only
their own trajectory."""

import copy
import uuid

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.conftest import open_personal_link
from tests.factories import (
    AssignmentProgressFactory,
    CertificateBatchFactory,
    CertificateFactory,
    EscalationFactory,
    GuidanceConversationFactory,
    InterestFactory,
    MeetingAttendanceFactory,
    MeetingFactory,
    ReportPdfFactory,
    TrajectorySkillFactory,
)
from trajects.calendar import feed_token
from trajects.services.participant import make_link

ROLES = [
    "anonymous",
    "participant",
    "trainer",
    "other_trainer",
    "coach",
    "other_coach",
    "project_manager",
    "unit_manager",
    "admin",
]
LOGIN = "login"  # a redirect to the login page
OK, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_ALLOWED, INVALID = 200, 302, 403, 404, 405, 422


def everyone(status):
    return dict.fromkeys(ROLES, status)


STAFF = ROLES[2:]


def logged_in(status, **overrides):
    return {"anonymous": LOGIN, "participant": LOGIN, **dict.fromkeys(STAFF, status), **overrides}


def own_page(status):
    """A page of the participant's own: theirs only; everyone else gets the page that says
    the link does not work (404), as for a link that ended."""
    return {**everyone(NOT_FOUND), "participant": status}


def enter(client, world, role):
    """The visitor of a row: logged in, holding the participant's session, or neither."""
    if role == "participant":
        open_personal_link(client, world.trajectory)
        return
    user = world.user(role)
    if user is not None:
        client.force_login(user)


def guides(status):
    """Work on `trajectory`: its trainer and its department's coach may; the project manager
    sees it but may not (403); everyone else does not see it (404)."""
    return logged_in(NOT_FOUND, trainer=status, coach=status, project_manager=FORBIDDEN)


def progress(w):
    return AssignmentProgressFactory(trajectory_skill__trajectory=w.trajectory)


def printed_batch(w):
    """A coach's batch of certificates of their department, ready to download: only they
    see it."""
    batch = CertificateBatchFactory(
        requested_by=w.coach.user, pdf=b"%PDF", finished_at=timezone.now()
    )
    batch.certificates.add(CertificateFactory(trajectory=w.trajectory))
    return batch


def large_report(w, role="project_manager"):
    """A large PDF report, made by the worker: only who asked for it sees it."""
    return ReportPdfFactory(
        requested_by=getattr(w, role).user, step="ready", pdf=b"%PDF", finished_at=timezone.now()
    )


def failed_batch(w):
    """A coach's batch whose task is gone (the worker gave up on it): only they retry it."""
    batch = CertificateBatchFactory(requested_by=w.coach.user, task_id=str(uuid.uuid4()))
    batch.certificates.add(CertificateFactory(trajectory=w.trajectory))
    return batch


def held_conversation(w):
    return GuidanceConversationFactory(
        trajectory=w.trajectory, held_at=timezone.now(), planned_at=None, recorded_at=timezone.now()
    )


def forged_token(w):
    """`other_trainer`'s signature with `trainer`'s id."""
    signature = feed_token(w.other_trainer).partition(".")[2]
    return f"{w.trainer.pk}.{signature}"


def replaced_link(w):
    """A link of `other_trajectory` that a newer one ended."""
    old = make_link(w.other_trajectory)
    make_link(w.other_trajectory)
    return old


def kick_off(w):
    """A kick-off `coach` organises for their department, with its trainer invited."""
    meeting = MeetingFactory(organiser=w.coach)
    meeting.departments.add(w.department)
    MeetingAttendanceFactory(meeting=meeting, person=w.trainer)
    return meeting


def escalation(w):
    return EscalationFactory(raised_by=w.coach, department=w.department)


@pytest.fixture
def world(module_world, db):
    """The module's world (tests/conftest.py), built once for its hundreds of rows: each row's
    objects and requests are undone before the next, and each row has its own copy."""
    return copy.deepcopy(module_world)


# name: (method, kwargs from the world, expected outcome per role). "get" is a page that only
# shows; "form" a page that shows a form and takes its post; "post" only takes a post.
MATRIX = {
    "home": ("get", lambda w: {}, logged_in(REDIRECT)),
    "login": ("get", lambda w: {}, logged_in(REDIRECT, anonymous=OK, participant=OK)),
    "logout": ("post", lambda w: {}, everyone(LOGIN)),
    "health": ("get", lambda w: {}, everyone(OK)),
    "web_manifest": ("get", lambda w: {}, everyone(OK)),
    # participants have no login, and may read what is kept about them
    "privacy": ("get", lambda w: {}, everyone(OK)),
    # a forgotten password: for anyone; a made-up link gets the page that says it does not work
    "password_reset": ("form", lambda w: {}, everyone(OK)),
    "password_reset_done": ("get", lambda w: {}, everyone(OK)),
    "password_reset_confirm": (
        "form",
        lambda w: {"uidb64": "MQ", "token": "set-password"},
        everyone(OK),
    ),
    "password_reset_complete": ("get", lambda w: {}, everyone(OK)),
    "two_factor": ("form", lambda w: {}, logged_in(OK)),
    "set_language": ("post", lambda w: {}, everyone(REDIRECT)),
    # the administrator's pages for people and roles
    "people": ("get", lambda w: {}, logged_in(FORBIDDEN, admin=OK)),
    "person_new": ("form", lambda w: {}, logged_in(FORBIDDEN, admin=OK)),
    "people_import": ("form", lambda w: {}, logged_in(FORBIDDEN, admin=OK)),
    "person_roles": ("form", lambda w: {"pk": w.trainer.pk}, logged_in(FORBIDDEN, admin=OK)),
    "assignments:catalogue": ("get", lambda w: {}, logged_in(OK)),
    "certificates:verify": (
        "get",
        lambda w: {"code": CertificateFactory(trajectory=w.trajectory).code},
        everyone(OK),
    ),
    # certificates: the trainer prints them; a coach of the department or the project manager
    # issues and revokes
    "certificates:trajectory": (
        "get",
        lambda w: {"pk": w.trajectory.pk},
        logged_in(NOT_FOUND, trainer=OK, coach=OK, project_manager=OK),
    ),
    "certificates:issue": (
        "form",
        lambda w: {"pk": w.trajectory.pk},
        logged_in(NOT_FOUND, trainer=FORBIDDEN, coach=OK, project_manager=OK),
    ),
    "certificates:download": (
        "get",
        lambda w: {"pk": CertificateFactory(trajectory=w.trajectory).pk},
        logged_in(NOT_FOUND, trainer=OK, coach=OK, project_manager=OK),
    ),
    "certificates:revoke": (
        "form",
        lambda w: {"pk": CertificateFactory(trajectory=w.trajectory).pk},
        logged_in(NOT_FOUND, trainer=FORBIDDEN, coach=OK, project_manager=OK),
    ),
    "certificates:progress_sheet": (
        "get",
        lambda w: {"pk": w.trajectory.pk},
        logged_in(NOT_FOUND, trainer=OK, coach=OK, project_manager=OK),
    ),
    "certificates:batch_new": (
        "form",
        lambda w: {},
        logged_in(FORBIDDEN, coach=OK, other_coach=OK, project_manager=OK),
    ),
    "certificates:batch": (
        "get",
        lambda w: {"pk": printed_batch(w).pk},
        logged_in(NOT_FOUND, coach=OK),
    ),
    "certificates:batch_pdf": (
        "get",
        lambda w: {"pk": printed_batch(w).pk},
        logged_in(NOT_FOUND, coach=OK),
    ),
    "certificates:batch_retry": (
        "post",
        lambda w: {"pk": failed_batch(w).pk},
        logged_in(NOT_FOUND, coach=REDIRECT),
    ),
    "trajects:trainer_home": (
        "get",
        lambda w: {},
        logged_in(FORBIDDEN, trainer=OK, other_trainer=OK),
    ),
    "trajects:calendar": (
        "get",
        lambda w: {},
        logged_in(FORBIDDEN, trainer=OK, other_trainer=OK),
    ),
    "trajects:calendar_renew": (
        "post",
        lambda w: {},
        logged_in(FORBIDDEN, trainer=REDIRECT, other_trainer=REDIRECT),
    ),
    # a phone's calendar subscribes without a login: the signed token is the key
    "trajects:calendar_feed": (
        "get",
        lambda w: {"token": feed_token(w.trainer)},
        everyone(OK),
    ),
    # the participant's personal link: whoever holds it gets in (and is logged out first)
    "trajects:participant_open": (
        "get",
        lambda w: {"token": make_link(w.trajectory)},
        everyone(REDIRECT),
    ),
    "trajects:mine": ("get", lambda w: {}, own_page(OK)),
    "trajects:mine_assignment": ("get", lambda w: {"pk": progress(w).pk}, own_page(OK)),
    # an empty post: let in, and refused in plain words (422), nothing saved
    "trajects:mine_answer": (
        "post",
        lambda w: {"pk": progress(w).pk, "number": 1},
        own_page(INVALID),
    ),
    "trajects:mine_look_back": ("post", lambda w: {"pk": progress(w).pk}, own_page(INVALID)),
    "trajects:mine_write": ("post", lambda w: {"kind": "question"}, own_page(INVALID)),
    "trajects:mine_confirm": (
        "post",
        lambda w: {"pk": held_conversation(w).pk},
        own_page(REDIRECT),
    ),
    # "Klaar": anyone may forget the participant's session; the page after it holds nothing
    "trajects:mine_done": ("form", lambda w: {}, everyone(OK)),
    # made by the trainer or coach: the page shows the new link once; the card is printed
    # from it (an empty post prints nothing and goes back)
    "trajects:participant_link": ("post", lambda w: {"pk": w.trajectory.pk}, guides(OK)),
    "trajects:participant_card": ("post", lambda w: {"pk": w.trajectory.pk}, guides(REDIRECT)),
    "trajects:coach_home": (
        "get",
        lambda w: {},
        logged_in(FORBIDDEN, coach=OK, other_coach=OK),
    ),
    "trajects:coach_export": (
        "get",
        lambda w: {"fmt": "xlsx"},
        logged_in(FORBIDDEN, coach=OK, other_coach=OK),
    ),
    "trajects:organisation": (
        "get",
        lambda w: {},
        logged_in(FORBIDDEN, project_manager=OK, unit_manager=OK),
    ),
    # a business unit's departments
    "trajects:organisation_unit": (
        "get",
        lambda w: {"pk": w.department.business_unit.pk},
        logged_in(FORBIDDEN, project_manager=OK, unit_manager=OK),
    ),
    # a large PDF report, made by the worker, and its file
    "trajects:organisation_report": (
        "get",
        lambda w: {"pk": large_report(w).pk},
        logged_in(FORBIDDEN, project_manager=OK, unit_manager=NOT_FOUND),
    ),
    "trajects:organisation_report_pdf": (
        "get",
        lambda w: {"pk": large_report(w).pk},
        logged_in(FORBIDDEN, project_manager=OK, unit_manager=NOT_FOUND),
    ),
    # the organisation's figures as a workbook, and as a PDF report
    "trajects:organisation_export": (
        "get",
        lambda w: {},
        logged_in(FORBIDDEN, project_manager=OK, unit_manager=OK),
    ),
    # made now when small; a large one is posted, for the worker
    "trajects:organisation_pdf": (
        "form",
        lambda w: {},
        logged_in(FORBIDDEN, project_manager=OK, unit_manager=OK),
    ),
    "trajects:trajectory": (
        "get",
        lambda w: {"pk": w.trajectory.pk},
        logged_in(NOT_FOUND, trainer=OK, coach=OK, project_manager=OK),
    ),
    "trajects:history": (
        "get",
        lambda w: {"pk": w.trajectory.pk},
        logged_in(NOT_FOUND, trainer=OK, coach=OK, project_manager=OK),
    ),
    "trajects:personal_data": (
        "get",
        lambda w: {"pk": w.trajectory.participant_id},
        logged_in(NOT_FOUND, trainer=FORBIDDEN, coach=OK, project_manager=OK),
    ),
    # erasing on request: as the personal data, a coach of the department or the project
    # manager (the running trajectory's participant: the page says why not yet)
    "trajects:erase": (
        "form",
        lambda w: {"pk": w.trajectory.participant_id},
        logged_in(NOT_FOUND, trainer=FORBIDDEN, coach=OK, project_manager=OK),
    ),
    "trajects:interest_new": (
        "form",
        lambda w: {},
        logged_in(FORBIDDEN, trainer=OK, other_trainer=OK, coach=OK, other_coach=OK),
    ),
    "trajects:trajectory_start": (
        "form",
        lambda w: {"pk": InterestFactory(person__department=w.department).pk},
        guides(OK),
    ),
    "trajects:interest_correct": (
        "form",
        lambda w: {"pk": InterestFactory(person__department=w.department).pk},
        guides(OK),
    ),
    "trajects:interest_withdraw": (
        "form",
        lambda w: {"pk": InterestFactory(person__department=w.department).pk},
        guides(OK),
    ),
    "trajects:choose_skills": ("form", lambda w: {"pk": w.trajectory.pk}, guides(OK)),
    # an empty post: let in, and refused as incomplete (422), nothing saved
    "trajects:add_note": ("post", lambda w: {"pk": w.trajectory.pk}, guides(INVALID)),
    "trajects:plan_conversation": ("post", lambda w: {"pk": w.trajectory.pk}, guides(INVALID)),
    "trajects:hold_conversation": ("post", lambda w: {"pk": w.trajectory.pk}, guides(INVALID)),
    "trajects:trajectory_step": (
        "form",
        lambda w: {"pk": w.trajectory.pk, "step": "pause"},
        guides(OK),
    ),
    "trajects:introduce": (
        "form",
        lambda w: {"pk": TrajectorySkillFactory(trajectory=w.trajectory).pk},
        guides(OK),
    ),
    "trajects:assess": (
        "form",
        lambda w: {"pk": TrajectorySkillFactory(trajectory=w.trajectory).pk},
        guides(OK),
    ),
    "trajects:progress": (
        "get",
        lambda w: {"pk": progress(w).pk},
        logged_in(NOT_FOUND, trainer=OK, coach=OK, project_manager=OK),
    ),
    # an empty post is the one-tap button: done today
    "trajects:get_started": ("post", lambda w: {"pk": progress(w).pk}, guides(REDIRECT)),
    "trajects:look_back": ("post", lambda w: {"pk": progress(w).pk}, guides(INVALID)),
    "trajects:edit_conversation": (
        "form",
        lambda w: {"pk": held_conversation(w).pk},
        guides(OK),
    ),
    "trajects:planned_conversation": (
        "form",
        lambda w: {"pk": GuidanceConversationFactory(trajectory=w.trajectory).pk},
        guides(OK),
    ),
    "trajects:confirm_conversation": (
        "form",
        lambda w: {"pk": held_conversation(w).pk},
        guides(OK),
    ),
    # the coach's own work: the organiser changes a meeting; invitees and the project manager
    # read it (a trainer the list of their invitations). Escalations are between coaches and
    # the project manager.
    "trajects:meetings": (
        "get",
        lambda w: {},
        logged_in(
            FORBIDDEN, trainer=OK, other_trainer=OK, coach=OK, other_coach=OK, project_manager=OK
        ),
    ),
    "trajects:meeting_plan": (
        "form",
        lambda w: {"kind": "kickoff"},
        logged_in(FORBIDDEN, coach=OK, other_coach=OK),
    ),
    "trajects:meeting": (
        "get",
        lambda w: {"pk": kick_off(w).pk},
        logged_in(NOT_FOUND, trainer=OK, coach=OK, project_manager=OK),
    ),
    "trajects:meeting_edit": (
        "form",
        lambda w: {"pk": kick_off(w).pk},
        logged_in(NOT_FOUND, trainer=FORBIDDEN, coach=OK, project_manager=FORBIDDEN),
    ),
    "trajects:meeting_record": (
        "form",
        lambda w: {"pk": kick_off(w).pk},
        logged_in(NOT_FOUND, trainer=FORBIDDEN, coach=OK, project_manager=FORBIDDEN),
    ),
    "trajects:meeting_mail_again": (
        "post",
        lambda w: {"pk": kick_off(w).pk},
        logged_in(NOT_FOUND, trainer=FORBIDDEN, coach=REDIRECT, project_manager=FORBIDDEN),
    ),
    "trajects:escalations": (
        "get",
        lambda w: {},
        logged_in(FORBIDDEN, coach=OK, other_coach=OK, project_manager=OK),
    ),
    "trajects:escalation_new": (
        "form",
        lambda w: {},
        logged_in(FORBIDDEN, coach=OK, other_coach=OK),
    ),
    "trajects:escalation": (
        "get",
        lambda w: {"pk": escalation(w).pk},
        logged_in(NOT_FOUND, coach=OK, project_manager=OK),
    ),
    # an empty answer: let in, and refused (422)
    "trajects:escalation_answer": (
        "post",
        lambda w: {"pk": escalation(w).pk},
        logged_in(NOT_FOUND, coach=FORBIDDEN, project_manager=INVALID),
    ),
    # whoever sees an escalation takes part: an empty follow-up is let in and refused (422)
    "trajects:escalation_follow_up": (
        "post",
        lambda w: {"pk": escalation(w).pk},
        logged_in(NOT_FOUND, coach=INVALID, project_manager=INVALID),
    ),
    "trajects:escalation_solve": (
        "post",
        lambda w: {"pk": escalation(w).pk},
        logged_in(NOT_FOUND, coach=REDIRECT, project_manager=REDIRECT),
    ),
}
# The same pattern once more with other objects: scope is per object, not per department.
OBJECT_ROWS = {
    "a colleague's participant": (
        "trajects:trajectory",
        lambda w: {"pk": w.colleague_trajectory.pk},
        logged_in(NOT_FOUND, coach=OK, project_manager=OK),
    ),
    "another department's participant": (
        "trajects:trajectory",
        lambda w: {"pk": w.other_trajectory.pk},
        logged_in(NOT_FOUND, other_trainer=OK, other_coach=OK, project_manager=OK),
    ),
    "changing a colleague's participant": (
        "trajects:choose_skills",
        lambda w: {"pk": w.colleague_trajectory.pk},
        logged_in(NOT_FOUND, coach=OK, project_manager=FORBIDDEN),
    ),
    "changing another department's participant": (
        "trajects:choose_skills",
        lambda w: {"pk": w.other_trajectory.pk},
        logged_in(NOT_FOUND, other_trainer=OK, other_coach=OK, project_manager=FORBIDDEN),
    ),
    "another department's registration": (
        "trajects:trajectory_start",
        lambda w: {"pk": InterestFactory(person__department=w.other_department).pk},
        logged_in(NOT_FOUND, other_trainer=OK, other_coach=OK, project_manager=FORBIDDEN),
    ),
    "another participant's assignment": (
        "trajects:mine_assignment",
        lambda w: {
            "pk": AssignmentProgressFactory(trajectory_skill__trajectory=w.other_trajectory).pk
        },
        everyone(NOT_FOUND),
    ),
    "a personal link replaced by a newer one": (
        "trajects:participant_open",
        lambda w: {"token": replaced_link(w)},
        everyone(NOT_FOUND),
    ),
    "another business unit's departments": (
        "trajects:organisation_unit",
        lambda w: {"pk": w.other_department.business_unit.pk},
        logged_in(FORBIDDEN, project_manager=OK, unit_manager=NOT_FOUND),
    ),
    "a business-unit manager's own large report": (
        "trajects:organisation_report_pdf",
        lambda w: {"pk": large_report(w, "unit_manager").pk},
        logged_in(FORBIDDEN, project_manager=NOT_FOUND, unit_manager=OK),
    ),
    "a calendar feed with a forged token": (
        "trajects:calendar_feed",
        lambda w: {"token": forged_token(w)},
        everyone(NOT_FOUND),
    ),
}


def url_names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # walked model by model in test_admin_*
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from url_names(pattern, namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{prefix}{pattern.name}" if pattern.name else f"unnamed: {pattern.pattern}"


def test_every_url_pattern_has_a_row():
    names = list(url_names())

    assert len(names) == len(set(names)), "two URL patterns share a name"
    assert sorted(names) == sorted(MATRIX)


def outcome(response):
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(client, world, name, role):
    method, make_kwargs, expected = MATRIX[name]
    enter(client, world, role)
    http_method = "post" if method == "post" else "get"
    response = getattr(client, http_method)(reverse(name, kwargs=make_kwargs(world)))
    assert outcome(response) == expected[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", sorted(OBJECT_ROWS))
def test_access_to_each_object(client, world, row, role):
    name, make_kwargs, expected = OBJECT_ROWS[row]
    enter(client, world, role)
    response = client.get(reverse(name, kwargs=make_kwargs(world)))
    assert outcome(response) == expected[role]


READ_ONLY = sorted(name for name, (method, _, _) in MATRIX.items() if method == "get")


@pytest.mark.parametrize("name", [name for name in READ_ONLY if name != "login"])
def test_pages_that_only_show_refuse_a_post(client, world, name):
    client.force_login(world.project_manager.user)
    _, make_kwargs, _ = MATRIX[name]

    assert client.post(reverse(name, kwargs=make_kwargs(world))).status_code == NOT_ALLOWED


ADMIN_PAGES = ["admin:index"] + [
    f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
    for model in admin.site._registry
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_is_for_the_administrator_only(client, world, name, role):
    enter(client, world, role)
    response = client.get(reverse(name))
    if role == "admin":
        assert response.status_code == OK
    else:
        assert response.status_code == REDIRECT
        assert response["Location"].startswith(reverse("admin:login"))


# Saves posted from a form on another page: a refused plain post answers at the save's address,
# so reloading it later goes back to that form (the page and its anchor) instead of a blank 405.
RELOADABLE_SAVES = {
    "trajects:add_note": ("trajects:trajectory", "#note-form"),
    "trajects:plan_conversation": ("trajects:trajectory", "#conversations"),
    "trajects:hold_conversation": ("trajects:trajectory", "#conversations"),
    "trajects:get_started": ("trajects:progress", ""),
    "trajects:look_back": ("trajects:progress", ""),
    "trajects:participant_link": ("trajects:trajectory", "#participant-link"),
}
SAVES = sorted(
    name
    for name, (method, _, _) in MATRIX.items()
    if method == "post" and name != "set_language" and name not in RELOADABLE_SAVES
)


@pytest.mark.parametrize("name", SAVES)
def test_saves_refuse_a_get(client, world, name):
    client.force_login(world.trainer.user)
    _, make_kwargs, _ = MATRIX[name]

    assert client.get(reverse(name, kwargs=make_kwargs(world))).status_code == NOT_ALLOWED


@pytest.mark.parametrize("name", sorted(RELOADABLE_SAVES))
def test_reloading_a_save_address_goes_back_to_its_form(client, world, name):
    client.force_login(world.trainer.user)
    _, make_kwargs, _ = MATRIX[name]
    kwargs = make_kwargs(world)
    page, anchor = RELOADABLE_SAVES[name]

    response = client.get(reverse(name, kwargs=kwargs))

    assert response.status_code == REDIRECT
    assert response["Location"] == reverse(page, kwargs=kwargs) + anchor
