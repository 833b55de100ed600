"""Settings for the WPO tracker. Everything that differs between machines comes from the
environment (see README.md, "Configuration")."""

import datetime
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from wpo.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "wpo",
    "assignments",
    "trajects",
    "certificates",
    # after wpo: its `db_worker` (which beats, and takes up tasks of workers that stopped)
    # replaces django-tasks-db's own
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "wpo.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wpo.middleware.HtmxLoginMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "wpo.middleware.TwoFactorMiddleware",
    "wpo.middleware.InactivityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # last, as django-axes asks: it turns a locked-out login into the lockout page
    "axes.middleware.AxesMiddleware",
]

# `manage.py bench` only: every answer says how many queries it took (X-Queries). Never in
# production: it tells anyone how much work a page is.
WPO_BENCH = env_bool("WPO_BENCH", False)
if WPO_BENCH:
    MIDDLEWARE.insert(0, "wpo.middleware.QueryCountMiddleware")

ROOT_URLCONF = "wpo.urls"
FORM_RENDERER = "wpo.forms.FormRenderer"
WSGI_APPLICATION = "wpo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wpo.context_processors.organisation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one trainer saves; IMMEDIATE takes the write lock at the start
    # of a transaction, so concurrent saves wait (busy timeout) instead of failing half-way.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A form's select reads its choices with `.iterator()`, which on PostgreSQL declares a
    # cursor, fetches from it and closes it: three round trips more for a list of a few rows.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    # With the parameters sent apart from the SQL, psycopg prepares a statement the second time
    # a connection runs it, and PostgreSQL stops parsing and planning it again: planning the
    # participant page's joins took 4 ms, running them 1. A pooler that cannot keep prepared
    # statements (pgbouncer in transaction mode before 1.21) needs WPO_DB_PREPARED=0.
    if env_bool("WPO_DB_PREPARED", True):
        DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 1}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "wpo.auth.LoginThrottle",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (django-axes): after this many wrong passwords for one username from one
# address, that pair waits. Per username and address together, so a shop floor behind one
# address is not locked out by one person's typos, and nobody can lock out a colleague from
# elsewhere.
AXES_FAILURE_LIMIT = env_int("WPO_LOGIN_ATTEMPTS", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("WPO_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# the audit log (wpo.audit) records logins by id; axes' own log would keep names and addresses
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "wpo.auth.locked_out"
AXES_VERBOSE = False
# the visitor's address behind the proxies (WPO_TRUSTED_PROXIES, below)
AXES_CLIENT_IP_CALLABLE = "wpo.proxy.client_ip"

# Two-factor login with a code from an authenticator app (django-otp, TOTP). Anyone may turn it
# on for themselves; with WPO_REQUIRE_2FA, coaches, the project manager and administrators must.
WPO_REQUIRE_2FA = env_bool("WPO_REQUIRE_2FA", False)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Shop-floor phones are shared and left lying around: a login ends after this many hours
# without activity (wpo.middleware.InactivityMiddleware renews it while the user works).
SESSION_COOKIE_AGE = env_int("WPO_SESSION_HOURS", 8) * 3600
# ... and after this many hours in all, however active
WPO_SESSION_MAX_HOURS = env_int("WPO_SESSION_MAX_HOURS", 7 * 24)

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# where `collectstatic` puts them for whitenoise: outside the code where that is read-only
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# served at the site's root, where browsers and phones ask for them unprompted (/favicon.ico)
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Security. With debug off, `manage.py check --deploy` must report nothing.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Everything comes from this site: no inline scripts or styles, no other hosts, no frames.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)

# Behind nginx or a load balancer that terminates TLS and sets X-Forwarded-Proto. Turn off
# when clients can reach the app directly, or they could claim https themselves.
BEHIND_TLS_PROXY = not DEBUG and env_bool("DJANGO_BEHIND_TLS_PROXY", True)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front of gunicorn add the address they saw to X-Forwarded-For: the visitor's
# address, for login lockout and the verification page, is the one the outermost of them saw
# (wpo.proxy). 0: the header is ignored, the address is the connection's.
WPO_TRUSTED_PROXIES = env_int("WPO_TRUSTED_PROXIES", 1 if BEHIND_TLS_PROXY else 0, minimum=0)

# One line per event, key=value, to stdout (journald keeps it). No personal data: Django logs
# paths, never form fields or query strings.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "keyvalue": {
            "format": "time=%(asctime)s level=%(levelname)s logger=%(name)s %(message)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        }
    },
    # "Not Found: /calendar/..." would otherwise carry a calendar link's key
    "filters": {"hide_secrets": {"()": "wpo.logs.HideSecrets"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "keyvalue",
            "filters": ["hide_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own set-up would e-mail errors with the form's fields to ADMINS; this way
        # its lines go where all others go, at the same level
        "django": {"handlers": [], "level": "NOTSET"},
        # django-axes names the login and address of every failed login; the audit log
        # (wpo.audit) records them by id
        "axes": {"level": "ERROR"},
        # WeasyPrint reports every rendering step; only its warnings matter here
        **{name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
    },
}

# E-mail (all of it, sent by the worker: docs/messages.md): written to standard output until a
# mail server is set.
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
# a mail server that does not answer must not hold up a cron job or a worker for ever
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "WPO tracker <wpo@localhost>")

# A held conversation may be corrected this many days after it was written; after that it is
# the record (every version is kept in its history either way).
WPO_CONVERSATION_EDIT_DAYS = env_int("WPO_CONVERSATION_EDIT_DAYS", 7)

# Participants are anonymised this many years after their last trajectory closed or stopped
# (`manage.py anonymise`, meant for a daily cron job; see docs/privacy.md).
WPO_RETENTION_YEARS = env_int("WPO_RETENTION_YEARS", 2)

# The organisation that runs the programme: shown in the header and on certificates.
WPO_ORGANISATION_NAME = env_str("WPO_ORGANISATION_NAME", "Werkbedrijf De Linie")
WPO_ORGANISATION_PLACE = env_str("WPO_ORGANISATION_PLACE", "Utrecht")
# The logo on certificates: the name of a file among the static files (an SVG or PNG).
WPO_ORGANISATION_LOGO = env_str("WPO_ORGANISATION_LOGO", "img/logo.svg")
# The site's address as printed in the QR code on certificates (https://wpo.example.nl); empty:
# the address the page was asked on.
WPO_SITE_URL = env_str("WPO_SITE_URL", "")
# Unknown codes one address may try on the public verification page per hour (guessing).
WPO_VERIFY_MISSES_PER_HOUR = env_int("WPO_VERIFY_MISSES_PER_HOUR", 20)
# Personal links of participants that did not work, per address per hour (guessing).
WPO_LINK_MISSES_PER_HOUR = env_int("WPO_LINK_MISSES_PER_HOUR", 20)
# Requests for a new password one address may make per hour.
WPO_PASSWORD_RESETS_PER_HOUR = env_int("WPO_PASSWORD_RESETS_PER_HOUR", 5)
# A link in the e-mail for a new password works this long (Django's default is three days).
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# Background work (batch printing of certificates, large reports) in the database;
# `manage.py db_worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A worker renews its sign of life four times in this many seconds; a running task whose worker
# was silent this long was cut off (the process killed, the machine gone) and is taken up by
# another worker, until it has been tried WPO_TASK_ATTEMPTS times: then it has failed.
WPO_TASK_TIMEOUT_SECONDS = env_int("WPO_TASK_TIMEOUT_SECONDS", 120, minimum=1)
WPO_TASK_ATTEMPTS = env_int("WPO_TASK_ATTEMPTS", 2, minimum=1)
OTP_TOTP_ISSUER = WPO_ORGANISATION_NAME

# The project manager's report: a business unit's departments shown a page at a time.
WPO_REPORT_DEPARTMENTS_PER_PAGE = env_int("WPO_REPORT_DEPARTMENTS_PER_PAGE", 25)
# Its PDF with more rows than this (departments or business units, and participants when
# named) is made by the background worker, not during the request.
WPO_REPORT_PDF_ROWS_IN_REQUEST = env_int("WPO_REPORT_PDF_ROWS_IN_REQUEST", 20)

# The method's norms (the coach's handbook), and where a signal turns from orange to red. A
# pause never counts towards any of them.
# An assignment takes 1 to 6 weeks; longer is orange, longer than the red mark is red.
WPO_NORM_ASSIGNMENT_WEEKS = env_int("WPO_NORM_ASSIGNMENT_WEEKS", 6)
WPO_RED_ASSIGNMENT_WEEKS = env_int("WPO_RED_ASSIGNMENT_WEEKS", 8)
# Days past the planned look-back, and past the end of the independent week without its
# follow-up conversation, before orange turns red.
WPO_RED_LOOK_BACK_DAYS = env_int("WPO_RED_LOOK_BACK_DAYS", 7)
WPO_RED_FOLLOW_UP_DAYS = env_int("WPO_RED_FOLLOW_UP_DAYS", 7)
# A trajectory runs 3 months to a year, until its agreed end.
WPO_NORM_TRAJECTORY_MIN_DAYS = env_int("WPO_NORM_TRAJECTORY_MIN_DAYS", 91)
WPO_NORM_TRAJECTORY_MAX_DAYS = env_int("WPO_NORM_TRAJECTORY_MAX_DAYS", 365)
WPO_RED_PAST_END_DAYS = env_int("WPO_RED_PAST_END_DAYS", 28)
# Weeks without a held guidance conversation during the learning and assessment phases.
WPO_NORM_CONVERSATION_WEEKS = env_int("WPO_NORM_CONVERSATION_WEEKS", 3)
WPO_RED_CONVERSATION_WEEKS = env_int("WPO_RED_CONVERSATION_WEEKS", 6)
# "A limited number of employees per department at once": more participants than this for one
# trainer, or one department, is a signal.
WPO_NORM_TRAINER_PARTICIPANTS = env_int("WPO_NORM_TRAINER_PARTICIPANTS", 4)
WPO_NORM_DEPARTMENT_PARTICIPANTS = env_int("WPO_NORM_DEPARTMENT_PARTICIPANTS", 8)
# Weeks a registration of interest may wait for its start.
WPO_NORM_INTEREST_WAIT_WEEKS = env_int("WPO_NORM_INTEREST_WAIT_WEEKS", 4)
WPO_RED_INTEREST_WAIT_WEEKS = env_int("WPO_RED_INTEREST_WAIT_WEEKS", 8)
