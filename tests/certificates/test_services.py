"""Issuing, revoking and reissuing, without HTTP."""

import datetime

import pytest
from django.utils import timezone

from certificates import services
from certificates.models import Certificate
from tests.certificates.conftest import assess
from tests.factories import TrajectoryFactory
from trajects.models import Phase
from wpo.services import StepRefused

TODAY = timezone.localdate


def issue(trajectory, **kwargs):
    """Issued by the trajectory's coach, unless told otherwise."""
    return services.issue_certificate(
        trajectory,
        **{"issued_on": TODAY(), "place": "Utrecht", "by": trajectory.coach.user, **kwargs},
    )


def closed(trajectory, *, start, end, closed_on):
    """The trajectory agreed from `start` to `end`, closed on `closed_on` (None: still open)."""
    trajectory.agreed_start, trajectory.agreed_end = start, end
    trajectory.closed_on = closed_on
    trajectory.save(update_fields=["agreed_start", "agreed_end", "closed_on"])
    return trajectory


def revoke(certificate, reason):
    return services.revoke_certificate(
        certificate, reason=reason, by=certificate.trajectory.coach.user
    )


def test_the_certificate_is_a_snapshot_of_the_closing(closing, world):
    certificate = issue(closing, by=world.coach.user)

    assert certificate.participant_name == closing.participant.full_name
    assert [(item["skill"], item["level"]) for item in certificate.skills] == [
        ("Samenwerken", "B"),
        ("Je werk plannen", "C"),
    ]
    assert certificate.trainer_name == world.trainer.full_name
    assert certificate.coach_name == closing.coach.full_name
    assert certificate.issued_by == world.coach.user


def test_each_level_is_explained_in_one_dutch_sentence(closing):
    certificate = issue(closing)

    assert certificate.skills[0]["meaning"] == (
        "Doet dit zelfstandig in het gewone, dagelijkse werk."
    )
    assert "MBO-1" in certificate.skills[1]["meaning"]


def test_the_snapshot_keeps_its_words_when_the_participant_is_renamed(closing):
    certificate = issue(closing)
    closing.participant.last_name = "Anders"
    closing.participant.save()

    certificate.refresh_from_db()
    assert "Anders" not in certificate.participant_name


def test_a_skill_not_assessed_is_left_off(closing):
    closing.skills.filter(skill__name="Samenwerken").update(achieved_level="", assessed_on=None)

    certificate = issue(closing)

    assert [item["skill"] for item in certificate.skills] == ["Je werk plannen"]


D = datetime.date


@pytest.mark.parametrize(
    ("agreed", "closed_on", "issued_on", "stated"),
    [
        ((D(2026, 9, 1), D(2027, 3, 1)), D(2026, 9, 29), D(2026, 10, 2), D(2026, 9, 29)),
        ((D(2026, 3, 1), D(2026, 9, 1)), D(2026, 11, 2), D(2026, 11, 2), D(2026, 11, 2)),
        ((D(2026, 3, 1), D(2027, 3, 1)), None, D(2026, 11, 20), D(2026, 11, 20)),
    ],
    ids=["closed early", "closed late", "not yet closed"],
)
def test_the_certificate_states_the_period_from_the_start_to_the_closing_or_the_issue(
    closing, agreed, closed_on, issued_on, stated
):
    start, end = agreed
    closed(closing, start=start, end=end, closed_on=closed_on)

    certificate = issue(closing, issued_on=issued_on)

    assert (certificate.period_start, certificate.period_end) == (start, stated)


def test_a_reissue_states_the_period_as_it_is_then(closing):
    closed(
        closing,
        start=datetime.date(2026, 3, 1),
        end=datetime.date(2027, 3, 1),
        closed_on=None,
    )
    old = issue(closing, issued_on=datetime.date(2026, 11, 20))
    closed(
        closing,
        start=datetime.date(2026, 3, 1),
        end=datetime.date(2027, 3, 1),
        closed_on=datetime.date(2026, 11, 25),
    )

    new = services.reissue_certificate(old, reason="Afgesloten", by=closing.coach.user)

    assert new.period_end == datetime.date(2026, 11, 25)


def test_no_certificate_before_the_closing(world):
    trajectory = assess(TrajectoryFactory(department=world.department), Samenwerken="B")
    trajectory.phase = Phase.ASSESSMENT
    trajectory.save()

    with pytest.raises(StepRefused, match="afsluiting"):
        issue(trajectory, by=world.coach.user)


def test_no_certificate_without_an_assessed_skill(world):
    trajectory = TrajectoryFactory(department=world.department, phase=Phase.CLOSING)

    with pytest.raises(StepRefused, match="nog geen skill beoordeeld"):
        issue(trajectory, by=world.coach.user)


def test_no_certificate_for_a_stopped_trajectory(closing):
    closing.stopped_on = TODAY()
    closing.stop_reason = "Uit dienst"
    closing.save()

    with pytest.raises(StepRefused, match="gestopt"):
        issue(closing)


def test_no_certificate_dated_in_the_future(closing):
    with pytest.raises(StepRefused) as refused:
        issue(closing, issued_on=TODAY() + datetime.timedelta(days=1))

    assert "issued_on" in refused.value.message_dict


def test_one_valid_certificate_per_trajectory(closing):
    issue(closing)

    with pytest.raises(StepRefused, match="al een geldig certificaat"):
        issue(closing)


def test_revoking_needs_a_reason(closing):
    certificate = issue(closing)

    with pytest.raises(StepRefused) as refused:
        revoke(certificate, "  ")

    assert "reason" in refused.value.message_dict


def test_a_revoked_certificate_is_no_longer_valid(closing, world):
    certificate = services.revoke_certificate(
        issue(closing), reason="Fout in de naam", by=world.coach.user
    )

    assert not certificate.is_valid
    assert certificate.revoked_reason == "Fout in de naam"


def test_revoking_twice_is_refused(closing):
    certificate = revoke(issue(closing), "Fout in de naam")

    with pytest.raises(StepRefused, match="al ingetrokken"):
        revoke(certificate, "Nog eens")


def test_reissuing_revokes_and_issues_a_corrected_certificate(closing):
    old = issue(closing)
    closing.participant.first_name = "Sanna"
    closing.participant.save()

    new = services.reissue_certificate(
        old, reason="Voornaam verkeerd gespeld", by=closing.coach.user
    )

    old.refresh_from_db()
    assert not old.is_valid
    assert new.is_valid
    assert new.code != old.code
    assert new.participant_name.startswith("Sanna")


def test_every_version_is_kept_with_who_changed_it(closing, world):
    certificate = issue(closing, by=world.coach.user)
    services.revoke_certificate(
        certificate, reason="Fout in de naam", by=world.project_manager.user
    )

    versions = Certificate.history.filter(id=certificate.pk).order_by("history_date")
    assert [(v.history_type, v.history_user) for v in versions] == [
        ("+", world.coach.user),
        ("~", world.project_manager.user),
    ]


def test_the_service_checks_the_phase_whoever_calls_it(closing):
    # who may issue is the page's question (tests/certificates/test_views.py: 403)
    closing.phase = Phase.ASSESSMENT
    closing.save()

    with pytest.raises(StepRefused, match="in de afsluiting"):
        issue(closing, by=closing.trainer.user)
