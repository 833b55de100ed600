"""The administrator manages everything in the Django admin: every model's list, search, add
form and change form work."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import (
    AssignmentProgressFactory,
    CertificateFactory,
    EscalationFactory,
    FloorNoteFactory,
    GuidanceConversationFactory,
    InterestFactory,
    MeetingAttendanceFactory,
    PauseFactory,
    PhaseChangeFactory,
)

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
    trajectory = filled.trajectory
    data = {
        "participant": trajectory.participant_id,
        "department": trajectory.department_id,
        "trainer": trajectory.trainer_id,
        "coach": trajectory.coach_id,
        "agreed_start": "2026-06-01",
        "agreed_end": "2026-05-01",
        "phase": 2,
        "skills-TOTAL_FORMS": 0,
        "skills-INITIAL_FORMS": 0,
    }

    response = client.post(admin_url(type(trajectory), "change", trajectory.pk), data)

    assert response.status_code == 200
    assert "Het afgesproken einde moet na de afgesproken start liggen" in response.content.decode()
