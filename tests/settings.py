"""The project's settings as production has them (debug off), with a throwaway secret key and a
fast password hasher so the suite runs quickly."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-" + "x" * 50)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")

from wpo.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Static files come from the finders; no collectstatic before a test run.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# Looked up per request, not listed when the middleware is made: every test client builds its
# own middleware, and listing every static file each time cost 70 ms per client.
WHITENOISE_AUTOREFRESH = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, as in production (WAL, busy timeout, IMMEDIATE from wpo/settings.py). Not Django's
    # in-memory test database: the live server's request threads share one connection or one
    # cache in it, where a lock fails at once instead of waiting, and two browser requests once
    # hung there for 25 minutes. On a file each thread opens its own connection. One file per
    # run, so runs side by side do not meet; Django removes it at the end.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"wpo-tests-{os.getpid()}.sqlite3")
    }
