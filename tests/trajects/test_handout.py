"""The assignment handout the participant takes home: the five parts with their pictures and
lines to write on, on one page for a usual assignment, the summary and questions as real lists."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assignments import catalogue
from assignments.models import Assignment
from tests.factories import AssignmentProgressFactory, TrajectorySkillFactory
from trajects import handout
from wpo.models import AuditAction, AuditEvent

pytestmark = pytest.mark.usefixtures("weasyprint")


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def shipped(db):
    catalogue.load_shipped()
    return Assignment.objects.select_related("skill")


def progress_on(world, assignment):
    chosen = TrajectorySkillFactory(trajectory=world.trajectory, skill=assignment.skill)
    return AssignmentProgressFactory(trajectory_skill=chosen, assignment=assignment)


def test_a_usual_assignment_fits_on_one_page_with_its_five_parts(world, shipped):
    assignment = shipped.get(skill__number=1, number=1)

    [page] = pages_of(handout.handout_pdf(progress_on(world, assignment)))

    text = " ".join(page.split())
    assert world.trajectory.participant.full_name in text
    assert assignment.title in text
    for part in [
        "1. Video en uitleg",
        "2. Vragen",
        "3. Samenvatting",
        "4. Aan de slag",
        "5. Terugkijken",
    ]:
        assert part in text
    assert "Meld een fout meteen bij je werkplekopleider." in text
    assert "Hoe ging het?" in text


def longest(assignments, count):
    """The assignments with the most words to print: if they fit, the others do."""

    def words(assignment):
        parts = [assignment.explanation, assignment.general_questions, assignment.summary]
        parts += [assignment.get_started_task, assignment.look_back_task]
        return sum(len(part) for part in parts)

    return sorted(assignments, key=words, reverse=True)[:count]


def test_the_longest_assignments_of_the_catalogue_fit_on_one_page_without_dashes(world, shipped):
    chosen = TrajectorySkillFactory(trajectory=world.trajectory)
    pages = {}
    for assignment in longest(shipped, 4):
        progress = AssignmentProgressFactory.build(trajectory_skill=chosen, assignment=assignment)
        pages[str(assignment)] = pages_of(handout.handout_pdf(progress))

    assert {name: len(text) for name, text in pages.items() if len(text) != 1} == {}
    dashed = [name for name, [text] in pages.items() if re.search(r"^\s*- ", text, re.M)]
    assert dashed == []


def test_the_video_is_a_qr_code_on_paper(world, shipped, tmp_path):
    from tests.certificates.conftest import decode_qr

    assignment = shipped.get(skill__number=1, number=1)
    assignment.video_url = "https://video.example.nl/fout-melden"
    assignment.save(update_fields=["video_url"])

    pdf = handout.handout_pdf(progress_on(world, assignment))

    assert decode_qr(pdf, tmp_path) == ["https://video.example.nl/fout-melden"]


def test_the_trainer_downloads_the_handout_from_the_assignment_page(client, world, shipped):
    progress = progress_on(world, shipped.get(skill__number=2, number=3))
    client.force_login(world.trainer.user)
    url = reverse("trajects:progress", args=[progress.pk])

    page = client.get(url).content.decode()
    response = client.get(url, {"format": "pdf"})

    assert 'href="?format=pdf"' in page
    assert response["Content-Type"] == "application/pdf"
    assert len(pages_of(response.content)) == 1
    assert AuditEvent.objects.filter(action=AuditAction.DOWNLOAD, user=world.trainer.user).exists()


def test_another_trainers_participant_has_no_handout(client, world, shipped):
    progress = progress_on(world, shipped.first())
    client.force_login(world.other_trainer.user)

    response = client.get(reverse("trajects:progress", args=[progress.pk]), {"format": "pdf"})

    assert response.status_code == 404
