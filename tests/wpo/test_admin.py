"""The administrator manages the organisation in the Django admin: every model's list, search,
add form and change form work. What the method's steps write (phases, progress, conversations,
certificate snapshots) the admin only shows, with a link to the page where the step is taken."""

import pytest
from django.contrib import admin
from django.urls import reverse

from certificates.models import Certificate
from tests.factories import (
    AssignmentProgressFactory,
    CertificateFactory,
    EscalationFactory,
    FloorNoteFactory,
    GuidanceConversationFactory,
    InterestFactory,
    MailFactory,
    MeetingAttendanceFactory,
    MeetingFactory,
    PauseFactory,
    PhaseChangeFactory,
)
from trajects.models import (
    AssignmentProgress,
    FloorNote,
    GuidanceConversation,
    Mail,
    Pause,
    PhaseChange,
    Trajectory,
    TrajectorySkill,
)
from wpo.models import AuditEvent

READ_ONLY = [
    Trajectory,
    TrajectorySkill,
    AssignmentProgress,
    GuidanceConversation,
    FloorNote,
    Pause,
    PhaseChange,
    Certificate,
    AuditEvent,
    Mail,
]

MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.fixture
def filled(world):
    AssignmentProgressFactory(trajectory_skill__trajectory=world.trajectory)
    GuidanceConversationFactory(trajectory=world.trajectory)
    FloorNoteFactory(trajectory=world.trajectory)
    PauseFactory(trajectory=world.trajectory)
    PhaseChangeFactory(trajectory=world.trajectory)
    InterestFactory()
    MeetingAttendanceFactory()
    EscalationFactory()
    MailFactory(error="ConnectionRefusedError: [Errno 111]", attempts=2)
    CertificateFactory(trajectory=world.trajectory)
    return world


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_admin_list_with_search_and_add_form_work(client, filled, model):
    client.force_login(filled.admin)

    changelist = client.get(admin_url(model, "changelist"), {"q": "a"})

    assert changelist.status_code == 200
    if admin.site._registry[model].has_add_permission(changelist.wsgi_request):
        assert client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_admin_change_form_opens_for_an_existing_row(client, filled, model):
    client.force_login(filled.admin)
    row = model.objects.first()
    if row is None:
        pytest.skip(f"no {model._meta.label} row in the fixture")

    assert client.get(admin_url(model, "change", row.pk)).status_code == 200


def test_a_constraint_broken_in_the_admin_is_a_form_error_not_a_crash(client, filled):
    client.force_login(filled.admin)
    meeting = MeetingFactory(organiser=filled.coach)
    data = {
        "kind": "one_to_one",
        "scheduled_at_0": "2026-06-01",
        "scheduled_at_1": "10:00",
        "organiser": meeting.organiser_id,
        "attendances-TOTAL_FORMS": 0,
        "attendances-INITIAL_FORMS": 0,
    }

    response = client.post(admin_url(type(meeting), "change", meeting.pk), data)

    assert response.status_code == 200
    assert "Een 1-op-1 gesprek is met één werkplekopleider" in response.content.decode()


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda m: m._meta.label)
def test_what_the_steps_write_cannot_be_added_in_the_admin(client, filled, model):
    client.force_login(filled.admin)

    assert client.get(admin_url(model, "add")).status_code == 403
    assert client.post(admin_url(model, "add"), {}).status_code == 403


def trajectory_form(trajectory, **changes):
    return {
        "participant": trajectory.participant_id,
        "department": trajectory.department_id,
        "trainer": trajectory.trainer_id,
        "coach": trajectory.coach_id,
        "agreed_start": trajectory.agreed_start.isoformat(),
        "agreed_end": trajectory.agreed_end.isoformat(),
        "phase": trajectory.phase,
        "skills-TOTAL_FORMS": 0,
        "skills-INITIAL_FORMS": 0,
        **changes,
    }


def test_a_trajectorys_admin_page_has_no_save_button_and_links_to_its_page(client, filled):
    client.force_login(filled.admin)
    trajectory = filled.trajectory

    page = client.get(admin_url(Trajectory, "change", trajectory.pk)).content.decode()

    assert 'name="_save"' not in page
    assert f'href="{reverse("trajects:trajectory", args=[trajectory.pk])}"' in page


def test_a_trajectory_posted_in_the_admin_stays_as_it_was(client, filled):
    client.force_login(filled.admin)
    trajectory = filled.trajectory
    before = trajectory.phase

    response = client.post(
        admin_url(Trajectory, "change", trajectory.pk), trajectory_form(trajectory, phase=4)
    )

    assert response.status_code == 403
    trajectory.refresh_from_db()
    assert trajectory.phase == before


def test_a_trajectory_cannot_be_reverted_from_its_history_in_the_admin(client, filled):
    client.force_login(filled.admin)
    trajectory = filled.trajectory
    version = trajectory.history.earliest()
    Trajectory.objects.filter(pk=trajectory.pk).update(phase=3)

    response = client.post(
        admin_url(Trajectory, "simple_history", trajectory.pk, version.history_id),
        trajectory_form(trajectory, phase=version.phase),
    )

    assert response.status_code == 403
    trajectory.refresh_from_db()
    assert trajectory.phase == 3


def test_a_certificates_admin_page_links_to_the_trajectorys_certificates(client, filled):
    client.force_login(filled.admin)
    certificate = Certificate.objects.get()

    page = client.get(admin_url(Certificate, "change", certificate.pk)).content.decode()

    assert 'name="_save"' not in page
    assert reverse("certificates:trajectory", args=[certificate.trajectory_id]) in page


def test_the_administrator_reads_an_e_mail_and_why_it_did_not_go_yet(client, filled):
    client.force_login(filled.admin)
    row = Mail.objects.get()

    listing = client.get(admin_url(Mail, "changelist"), {"q": row.address}).content.decode()
    page = client.get(admin_url(Mail, "change", row.pk)).content.decode()

    assert row.subject in listing
    assert "ConnectionRefusedError" in page
    assert 'name="_save"' not in page
