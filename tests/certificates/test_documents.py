"""The printed certificate and progress sheet: what they say, that the QR code leads to the
verification page, PDF/A for the archive, and no network while they are made."""

import datetime
import io
import re
import subprocess

import pytest
from django.utils import timezone
from pypdf import PdfReader

from certificates import documents, services
from tests.certificates.conftest import assess, decode_qr, text_of
from tests.factories import (
    AssignmentProgressFactory,
    GuidanceConversationFactory,
    TrajectorySkillFactory,
)
from trajects.models import ProgressStatus, Trajectory

pytestmark = pytest.mark.usefixtures("weasyprint")
SITE = "https://wpo.example.nl/"


@pytest.fixture
def certificate(closing, world):
    return services.issue_certificate(
        closing, issued_on=timezone.localdate(), place="Utrecht", by=world.coach.user
    )


def certificate_pdf(*certificates):
    return documents.certificates_pdf(certificates, site_url=SITE)


def test_the_certificate_names_the_participant_each_skill_and_level_and_the_code(certificate):
    text = " ".join(text_of(certificate_pdf(certificate)).split())

    assert certificate.participant_name in text
    assert "Samenwerken niveau B" in text
    assert "Je werk plannen niveau C" in text
    assert "Doet dit zelfstandig in het gewone, dagelijkse werk." in text
    assert certificate.code in text


def test_the_certificate_states_the_period_until_an_early_closing(closing, world):
    closing.agreed_start, closing.agreed_end = datetime.date(2026, 9, 1), datetime.date(2027, 3, 1)
    closing.closed_on = datetime.date(2026, 9, 29)
    closing.save(update_fields=["agreed_start", "agreed_end", "closed_on"])
    certificate = services.issue_certificate(
        closing, issued_on=datetime.date(2026, 10, 2), place="Utrecht", by=world.coach.user
    )

    text = " ".join(text_of(certificate_pdf(certificate)).split())

    assert "van 1 september 2026 tot 29 september 2026" in text
    assert "maart 2027" not in text


def test_the_certificate_has_signature_lines_for_trainer_and_coach(certificate):
    text = text_of(certificate_pdf(certificate))

    assert f"{certificate.trainer_name}\nwerkplekopleider" in text
    assert f"{certificate.coach_name}\ncoach" in text


def test_the_certificate_is_one_a4_landscape_page(certificate):
    (page,) = PdfReader(io.BytesIO(certificate_pdf(certificate))).pages

    assert (round(page.mediabox.width), round(page.mediabox.height)) == (842, 595)


def test_the_qr_code_leads_to_the_verification_page(certificate, tmp_path):
    codes = decode_qr(certificate_pdf(certificate), tmp_path)

    assert codes == [f"{SITE}certificates/verify/{certificate.code}/"]


def test_the_certificate_is_pdf_a_for_the_archive(certificate, tmp_path):
    pdf = certificate_pdf(certificate)

    metadata = PdfReader(io.BytesIO(pdf)).xmp_metadata
    assert metadata.pdfaid_part == "3"
    assert metadata.pdfaid_conformance == "B"
    source = tmp_path / "certificate.pdf"
    source.write_bytes(pdf)
    assert subprocess.run(["qpdf", "--check", source], capture_output=True).returncode == 0


def test_a_revoked_certificate_prints_as_revoked(certificate, world):
    revoked = services.revoke_certificate(
        certificate, reason="Fout in de naam", by=world.coach.user
    )

    assert "INGETROKKEN" in text_of(certificate_pdf(revoked))


def test_a_batch_prints_a_page_per_certificate(certificate, world):
    other = assess(world.colleague_trajectory, Samenwerken="A")
    second = services.issue_certificate(
        other, issued_on=timezone.localdate(), place="Utrecht", by=world.coach.user
    )

    pages = PdfReader(io.BytesIO(certificate_pdf(certificate, second))).pages

    assert [[c.code in page.extract_text() for c in (certificate, second)] for page in pages] == [
        [True, False],
        [False, True],
    ]


def test_a_logo_on_another_host_is_not_fetched(certificate, settings, no_network):
    settings.WPO_ORGANISATION_LOGO = "https://logo.example.com/logo.svg"

    pdf = certificate_pdf(certificate)

    assert certificate.code in text_of(pdf)
    assert no_network == []


def test_names_beyond_latin_1_are_printed(certificate):
    certificate.participant_name = "Łucja Şahin"

    assert "Łucja Şahin" in text_of(certificate_pdf(certificate))


def progress_sheet(trajectory):
    trajectory = Trajectory.objects.with_detail().get(pk=trajectory.pk)
    return text_of(documents.progress_sheet_pdf(trajectory))


def test_the_progress_sheet_shows_passed_assignments_current_work_and_next_conversation(world):
    trajectory = world.trajectory
    passed = AssignmentProgressFactory(
        trajectory_skill__trajectory=trajectory,
        trajectory_skill__skill__name="Samenwerken",
        assignment__title="Samen een klus klaren",
        status=ProgressStatus.PASSED,
        passed_on=timezone.localdate() - datetime.timedelta(days=10),
    )
    AssignmentProgressFactory(
        trajectory_skill=passed.trajectory_skill,
        assignment__number=2,
        assignment__title="Hulp vragen aan een collega",
        status=ProgressStatus.WORKING,
    )
    GuidanceConversationFactory(
        trajectory=trajectory,
        planned_at=timezone.make_aware(datetime.datetime(2099, 5, 12, 10, 0)),
    )

    text = " ".join(progress_sheet(trajectory).split())

    assert trajectory.participant.full_name in text
    assert "Samenwerken" in text
    assert "Samen een klus klaren" in text
    assert "Je werkt nu aan: Hulp vragen aan een collega" in text
    assert "12 mei 2099" in text


def test_the_progress_sheet_says_when_no_conversation_is_planned(world):
    assert "nog niet gepland" in progress_sheet(world.trajectory)


def test_the_progress_sheet_of_a_usual_trajectory_is_one_page_with_room_to_write(world):
    trajectory = world.trajectory
    for skill_name in ["Samenwerken", "Je werk plannen"]:
        chosen = TrajectorySkillFactory(trajectory=trajectory, skill__name=skill_name)
        for number in (1, 2, 3):
            AssignmentProgressFactory(
                trajectory_skill=chosen,
                assignment__number=number,
                status=ProgressStatus.PASSED,
                passed_on=timezone.localdate(),
            )
        AssignmentProgressFactory(
            trajectory_skill=chosen, assignment__number=4, status=ProgressStatus.WORKING
        )
    trajectory = Trajectory.objects.with_detail().get(pk=trajectory.pk)

    pages = PdfReader(io.BytesIO(documents.progress_sheet_pdf(trajectory))).pages

    assert len(pages) == 1
    text = pages[0].extract_text()
    assert "Wat wil je dan vragen of vertellen? Schrijf het hier op." in text
    assert not re.search(r"^\s*- ", text, re.M)


def test_the_progress_sheet_says_the_phase_in_plain_words(world):
    text = " ".join(progress_sheet(world.trajectory).split())

    assert "Nu Je leert op je werk, met de ene opdracht na de andere." in text
    assert "Leer/werkperiode" not in text
