"""No input breaks a page: whatever is posted to the trainer's forms, chosen by hand or at
random (hypothesis), the answer is a page with a message (422), a redirect, or a refusal, never
a server error."""

import pytest
from django import forms as django_forms
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import (
    AssignmentProgressFactory,
    GuidanceConversationFactory,
    InterestFactory,
    SkillFactory,
    TrajectorySkillFactory,
)
from trajects import forms
from trajects.models import Outcome

pytestmark = pytest.mark.long

FIELDS = sorted(
    {
        name
        for form in vars(forms).values()
        if isinstance(form, type) and issubclass(form, django_forms.Form)
        for name in form.base_fields
    }
)
JUNK = ["", " ", "x", "-1", "0", "9" * 40, "2026-02-30", "0001-01-01T00:00", "<script>", "\x00"]


def endpoints(world):
    chosen = TrajectorySkillFactory(trajectory=world.trajectory)
    progress = AssignmentProgressFactory(trajectory_skill=chosen)
    held = GuidanceConversationFactory(
        trajectory=world.trajectory,
        held_at=timezone.now(),
        planned_at=None,
        recorded_at=timezone.now(),
    )
    trajectory = world.trajectory.pk
    return [
        reverse("trajects:interest_new"),
        reverse(
            "trajects:trajectory_start",
            args=[InterestFactory(person__department=world.department).pk],
        ),
        reverse("trajects:choose_skills", args=[trajectory]),
        reverse("trajects:add_note", args=[trajectory]),
        reverse("trajects:plan_conversation", args=[trajectory]),
        reverse("trajects:hold_conversation", args=[trajectory]),
        *(
            reverse("trajects:trajectory_step", args=[trajectory, step])
            for step in ("pause", "stop")
        ),
        reverse("trajects:introduce", args=[chosen.pk]),
        reverse("trajects:assess", args=[chosen.pk]),
        reverse("trajects:get_started", args=[progress.pk]),
        reverse("trajects:look_back", args=[progress.pk]),
        reverse("trajects:edit_conversation", args=[held.pk]),
        reverse("trajects:confirm_conversation", args=[held.pk]),
        reverse("two_factor"),
    ]


@pytest.mark.parametrize("junk", JUNK, ids=repr)
def test_junk_in_every_field_of_every_form_gets_an_answer(client, world, junk):
    skill = SkillFactory()
    client.force_login(world.coach.user)
    data = {name: junk for name in FIELDS} | {f"skill_{skill.pk}": junk, f"level_{skill.pk}": junk}

    for url in endpoints(world):
        response = client.post(url, data)
        assert response.status_code in (200, 302, 403, 404, 422), (url, response.status_code)


VALUES = st.one_of(
    st.text(max_size=60),
    st.dates().map(str),
    st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M")),
    st.integers().map(str),
    st.sampled_from(["on", "A", "B", "C", *Outcome.values]),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.dictionaries(st.sampled_from(FIELDS), VALUES))
def test_random_input_to_every_form_gets_an_answer(client, world, data):
    client.force_login(world.trainer.user)

    for url in endpoints(world):
        response = client.post(url, data)
        assert response.status_code in (200, 302, 403, 404, 422), (url, data)
