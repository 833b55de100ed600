"""Debian's Chromium, as the browser tests and `manage.py screenshots` launch it: Playwright's
own browser download does not work here."""

import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("WPO_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root in CI
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # this machine has no internet: stop Chromium calling out
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
