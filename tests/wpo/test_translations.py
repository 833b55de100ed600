import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def test_dutch_translation_is_complete():
    if shutil.which("msgfmt") is None:
        message = "msgfmt is missing: apt-get install gettext to check the translations"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr


def test_the_compiled_dutch_catalogue_is_used():
    with translation.override("nl"):
        assert gettext("Log in") == "Inloggen"
        assert gettext("Learning/work period") == "Leer/werkperiode"
