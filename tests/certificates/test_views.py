"""The pages around one participant's certificate: issue, download, revoke, the progress
sheet."""

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates import services
from certificates.models import Certificate, CertificateBatch
from tests.certificates.conftest import count_queries, text_of
from wpo.models import AuditAction, AuditEvent, Membership

INVALID = 422


def issue(client, trajectory, **data):
    data = {"issued_on": timezone.localdate().isoformat(), "place": "Utrecht", **data}
    return client.post(reverse("certificates:issue", args=[trajectory.pk]), data)


def test_the_coach_issues_the_certificate(client, world, closing):
    client.force_login(world.coach.user)

    response = issue(client, closing)

    assert response.status_code == 302
    assert response["Location"] == reverse("certificates:trajectory", args=[closing.pk])
    assert closing.certificates.valid().get().issued_by == world.coach.user


def test_the_project_manager_issues_the_certificate(client, world, closing):
    client.force_login(world.project_manager.user)

    issue(client, closing)

    assert closing.certificates.valid().exists()


def test_the_trainer_cannot_issue(client, world, closing):
    client.force_login(world.trainer.user)

    assert issue(client, closing).status_code == 403
    assert not Certificate.objects.exists()


def test_a_refused_issue_says_why_in_dutch_and_keeps_what_was_typed(client, world):
    client.force_login(world.coach.user)  # the world's trajectory is still learning

    response = issue(client, world.trajectory, place="Amersfoort")

    page = response.content.decode()
    assert response.status_code == INVALID
    assert "in de afsluiting" in page
    assert 'value="Amersfoort"' in page


def test_a_date_typed_wrong_is_a_message_not_an_error(client, world, closing):
    client.force_login(world.coach.user)

    response = issue(client, closing, issued_on="31-02-2025")

    assert response.status_code == INVALID
    assert not Certificate.objects.exists()


def test_the_issue_page_previews_the_skills_and_what_the_levels_mean(client, world, closing):
    client.force_login(world.coach.user)

    page = client.get(reverse("certificates:issue", args=[closing.pk])).content.decode()

    assert "Samenwerken" in page
    assert "Doet dit zelfstandig in het gewone, dagelijkse werk." in page


@pytest.fixture
def certificate(closing, world):
    return services.issue_certificate(
        closing, issued_on=timezone.localdate(), place="Utrecht", by=world.coach.user
    )


@pytest.mark.usefixtures("weasyprint")
def test_the_trainer_downloads_the_certificate_and_it_is_in_the_audit_log(
    client, world, certificate
):
    client.force_login(world.trainer.user)

    response = client.get(reverse("certificates:download", args=[certificate.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert certificate.code in text_of(response.content)
    assert AuditEvent.objects.filter(
        action=AuditAction.DOWNLOAD, user=world.trainer.user, object_id=str(certificate.pk)
    ).exists()


def test_the_coach_revokes_with_a_reason(client, world, certificate):
    client.force_login(world.coach.user)

    client.post(reverse("certificates:revoke", args=[certificate.pk]), {"reason": "Fout in naam"})

    certificate.refresh_from_db()
    assert certificate.revoked_reason == "Fout in naam"


def test_revoking_without_a_reason_is_refused(client, world, certificate):
    client.force_login(world.coach.user)

    response = client.post(reverse("certificates:revoke", args=[certificate.pk]), {"reason": ""})

    assert response.status_code == INVALID
    certificate.refresh_from_db()
    assert certificate.is_valid


def test_the_coach_revokes_and_reissues_in_one_go(client, world, certificate):
    client.force_login(world.coach.user)

    client.post(
        reverse("certificates:revoke", args=[certificate.pk]),
        {"reason": "Skill opnieuw beoordeeld", "reissue": "on"},
    )

    assert certificate.trajectory.certificates.count() == 2
    assert certificate.trajectory.certificates.valid().get().pk != certificate.pk


def test_the_trainer_cannot_revoke(client, world, certificate):
    client.force_login(world.trainer.user)

    response = client.post(reverse("certificates:revoke", args=[certificate.pk]), {"reason": "x"})

    assert response.status_code == 403
    certificate.refresh_from_db()
    assert certificate.is_valid


def test_the_trainer_sees_the_certificate_without_issue_or_revoke_buttons(
    client, world, certificate
):
    client.force_login(world.trainer.user)

    page = client.get(reverse("certificates:trajectory", args=[certificate.trajectory_id]))

    html = page.content.decode()
    assert reverse("certificates:download", args=[certificate.pk]) in html
    assert reverse("certificates:revoke", args=[certificate.pk]) not in html


def test_the_participant_page_links_the_certificate_in_the_closing(client, world, closing):
    client.force_login(world.coach.user)

    page = client.get(reverse("trajects:trajectory", args=[closing.pk])).content.decode()

    assert reverse("certificates:trajectory", args=[closing.pk]) in page
    assert reverse("certificates:progress_sheet", args=[closing.pk]) in page


@pytest.mark.usefixtures("weasyprint")
def test_the_progress_sheet_is_a_pdf_for_the_participant_and_audited(client, world):
    client.force_login(world.trainer.user)

    response = client.get(reverse("certificates:progress_sheet", args=[world.trajectory.pk]))

    assert world.trajectory.participant.full_name in text_of(response.content)
    assert AuditEvent.objects.filter(
        action=AuditAction.DOWNLOAD, object_id=str(world.trajectory.pk)
    ).exists()


def test_the_certificate_page_has_a_fixed_number_of_queries(
    client, world, closing, django_assert_num_queries
):
    client.force_login(world.coach.user)
    url = reverse("certificates:trajectory", args=[closing.pk])
    certificate = services.issue_certificate(
        closing, issued_on=timezone.localdate(), place="U", by=world.coach.user
    )
    one = count_queries(client, url)
    for _ in range(5):
        certificate = services.reissue_certificate(
            certificate, reason="Nog eens", by=world.coach.user
        )

    with django_assert_num_queries(one):
        client.get(url)


@pytest.mark.parametrize(
    "junk", ["", "x", "-1", "9" * 40, "-" + "9" * 40, "<script>", "\x00", "2026-02-30"]
)
def test_junk_in_the_print_forms_never_breaks_a_page(client, world, certificate, junk):
    client.force_login(world.coach.user)
    url = reverse("certificates:batch_new")

    shown = client.get(url, dict.fromkeys(["department", "closing"], junk))
    posted = client.post(url, {"title": junk, "certificates": junk})

    assert shown.status_code == 200
    assert posted.status_code in (302, 422)
    assert not certificate.batches.exists()


def test_a_coach_who_no_longer_coaches_the_department_loses_the_print_job(
    client, world, certificate
):
    batch = CertificateBatch.objects.create(
        title="Afsluiting", site_url="https://wpo.example.nl", requested_by=world.coach.user
    )
    batch.certificates.add(certificate)
    client.force_login(world.coach.user)
    assert client.get(reverse("certificates:batch", args=[batch.pk])).status_code == 200

    Membership.objects.filter(person=world.coach, department=world.department).delete()

    assert client.get(reverse("certificates:batch", args=[batch.pk])).status_code in (403, 404)
