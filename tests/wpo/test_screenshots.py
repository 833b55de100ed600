"""The README's pictures are the ones `manage.py screenshots` makes, and they are there."""

import re

from django.conf import settings

from wpo.management.commands.screenshots import CERTIFICATE, SHOTS


def test_the_readme_shows_what_the_screenshots_command_makes():
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r'src="docs/screenshots/([^"]+)"', readme))
    made = {name for *_, name in SHOTS} | {CERTIFICATE}

    assert shown == made
    assert all((settings.BASE_DIR / "docs" / "screenshots" / name).is_file() for name in made)
