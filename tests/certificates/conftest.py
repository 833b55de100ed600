import datetime
import io
import os
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from assignments.models import Level
from tests.factories import SkillFactory, TrajectorySkillFactory
from trajects.models import Phase


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def assess(trajectory, **levels):
    """Assessed skills by name and level, and the trajectory moved to its closing."""
    for number, (name, level) in enumerate(levels.items(), start=1):
        TrajectorySkillFactory(
            trajectory=trajectory,
            skill=SkillFactory(number=number, name=name.replace("_", " ")),
            target_level=level,
            achieved_level=level,
            assessed_on=timezone.localdate() - datetime.timedelta(days=3),
        )
    trajectory.phase = Phase.CLOSING
    trajectory.save(update_fields=["phase"])
    return trajectory


@pytest.fixture
def closing(world):
    """The world's trajectory in its closing, with two skills assessed."""
    return assess(world.trajectory, Samenwerken=Level.B, Je_werk_plannen=Level.C)


def decode_qr(pdf: bytes, tmp_path) -> list[str]:
    """What the QR codes on the PDF's first page say, read with zbarimg (zbar-tools)."""
    if shutil.which("zbarimg") is None or shutil.which("pdftoppm") is None:
        message = "reading QR codes needs: apt-get install zbar-tools poppler-utils"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    source = tmp_path / "document.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", source, tmp_path / "page"],
        check=True,
    )
    image = next(tmp_path.glob("page*.png"))
    result = subprocess.run(
        ["zbarimg", "--quiet", "--raw", image], capture_output=True, text=True, check=True
    )
    return result.stdout.split()


def count_queries(client, url) -> int:
    """Queries for a page, once the session and scope are warm like any page's."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)
