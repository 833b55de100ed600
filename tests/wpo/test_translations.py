import gettext as gnu_gettext
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def dutch_texts() -> list[str]:
    """Every Dutch text of the compiled catalogue (plural forms included)."""
    with CATALOGUE.with_suffix(".mo").open("rb") as compiled:
        return [text for text in gnu_gettext.GNUTranslations(compiled)._catalog.values() if text]


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


def test_stopping_early_has_one_word_in_dutch():
    """A trajectory that ends before its closing is "gestopt", nothing else."""
    others = re.compile(r"vroegtijdig|voortijdig|beëindig|afbre|eerder gestopt", re.IGNORECASE)

    assert [text for text in dutch_texts() if others.search(text)] == []


def test_a_success_message_is_a_sentence_not_a_label():
    assert [text for text in dutch_texts() if text.startswith("Gelukt:")] == []
