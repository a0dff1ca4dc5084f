"""Finsam settings, read from the environment (see the README's table).

FINSAM_ENV selects the defaults: ``production`` (the default, so that a
forgotten variable fails safe), ``development`` (make run) or ``test``
(pytest). DEBUG is off unless DEBUG is set, and never in production (a
debug page shows settings and stack frames to anyone).
"""

from datetime import timedelta
from fractions import Fraction
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
FINSAM_ENV = env.str("FINSAM_ENV", default="production")
if FINSAM_ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured("FINSAM_ENV must be production, development or test.")
PRODUCTION = FINSAM_ENV == "production"

DEBUG = env.bool("DEBUG", default=False) and not PRODUCTION

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
else:
    SECRET_KEY = env.str("SECRET_KEY", default=f"insecure-{FINSAM_ENV}-key-never-in-production")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Background work runs on Procrastinate's task queue, in this database: PDFs
# that take a while, every e-mail, and the nightly jobs below. `make run`
# starts a worker beside the web server; production runs
# `manage.py procrastinate worker` (README, "Deployment"). Under
# FINSAM_JOBS_EAGER (the tests) a job runs at once in the caller's
# transaction; the end-to-end tests run the real worker.
FINSAM_JOBS_EAGER = env.bool("FINSAM_JOBS_EAGER", default=FINSAM_ENV == "test")
# Cron lines (minute hour day month weekday) of the periodic jobs, in UTC.
FINSAM_SCHEDULE = {
    "gallring": env.str("FINSAM_SCHEDULE_GALLRING", default="15 2 * * *"),
    "justering_reminders": env.str("FINSAM_SCHEDULE_REMINDERS", default="0 7 * * *"),
    "clean_up": env.str("FINSAM_SCHEDULE_CLEAN_UP", default="30 3 * * *"),
    "report_reminders": env.str("FINSAM_SCHEDULE_REPORT_REMINDERS", default="0 6 * * *"),
}
# A late report is mentioned to the kansli again after this many days.
FINSAM_OVERDUE_REMINDER_DAYS = env.int("FINSAM_OVERDUE_REMINDER_DAYS", default=7)
# Bevakning and the dashboards show the reports due within this many days.
FINSAM_WATCH_DAYS = env.int("FINSAM_WATCH_DAYS", default=30)
FINSAM_SCHEDULE["stalled"] = env.str("FINSAM_SCHEDULE_STALLED", default="*/5 * * * *")
# A worker says it is alive every FINSAM_WORKER_HEARTBEAT_SECONDS; one silent
# for FINSAM_WORKER_STALLED_SECONDS is taken for dead, and the job it had is
# given to another worker (finsam.tasks.retry_stalled_jobs).
FINSAM_WORKER_STALLED_SECONDS = env.float("FINSAM_WORKER_STALLED_SECONDS", default=30)
PROCRASTINATE_WORKER_DEFAULTS = {
    "update_heartbeat_interval": env.float("FINSAM_WORKER_HEARTBEAT_SECONDS", default=10),
    "stalled_worker_timeout": FINSAM_WORKER_STALLED_SECONDS,
}
# Each e-mail is tried this many times, waiting 5, 25, 125 … seconds between.
FINSAM_MAIL_ATTEMPTS = env.int("FINSAM_MAIL_ATTEMPTS", default=5)
FINSAM_MAIL_BACKOFF_SECONDS = env.int("FINSAM_MAIL_BACKOFF_SECONDS", default=5)

# Demo shortcuts (known TOTP secrets, the demo_otp command) exist only here.
DEMO_MODE = not PRODUCTION and env.bool("FINSAM_DEMO", default=True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "pgtrigger",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "import_export",
    "procrastinate.contrib.django",
    "finsam",
    "projects",
    "participants",
    "board",
    "reports",
    "overview",
    "demo",
]

MIDDLEWARE = [
    "finsam.middleware.RequestLogMiddleware",
    "finsam.lib.per_request.PerRequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "finsam.middleware.SecurityHeadersMiddleware",
    "finsam.middleware.RefuseNullCharactersMiddleware",
    "finsam.middleware.DatabaseBusyMiddleware",
    "finsam.middleware.SessionLimitsMiddleware",
    "finsam.middleware.RequireSecondFactorMiddleware",
    "finsam.middleware.AuditActorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "finsam.urls"
WSGI_APPLICATION = "finsam.wsgi.application"

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
                "finsam.context_processors.shell",
            ],
        },
    },
]

# Database: DATABASE_URL, or an embedded server for development and tests.
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
elif PRODUCTION:
    raise ImproperlyConfigured("DATABASE_URL must be set in production.")
else:
    from finsam.lib.embedded_db import database_url

    DATABASES = {
        "default": env.db_url_config(
            database_url(
                Path(env.str("EMBEDDED_PGDATA", default=str(BASE_DIR / ".pgdata"))),
                env.str("EMBEDDED_DATABASE", default="finsam"),
            )
        )
    }
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A web request never waits long: a statement is cancelled after 25 s (before
# gunicorn's 30 s kills the worker) and a row lock is waited for at most 5 s;
# either ends in a Swedish "try again" page, nothing half-written
# (finsam.middleware.DatabaseBusyMiddleware). manage.py commands run without.
DATABASE_STATEMENT_TIMEOUT_MS = env.int("DATABASE_STATEMENT_TIMEOUT_MS", default=25_000)
DATABASE_LOCK_TIMEOUT_MS = env.int("DATABASE_LOCK_TIMEOUT_MS", default=5_000)
if not env.bool("FINSAM_COMMAND", default=False):
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = (
        f"{_options.get('options', '')} -c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}"
        f" -c lock_timeout={DATABASE_LOCK_TIMEOUT_MS}"
    ).strip()
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "finsam.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "finsam.backends.PermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "account:login"

# Sessions: idle expiry (renewed on every request) and an absolute limit.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
# Activity renews the idle limit (finsam.middleware.SessionLimitsMiddleware),
# writing the session at most once a minute rather than on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = env.int("SESSION_RENEW_SECONDS", default=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=10 * 60 * 60)
# How recent a second-factor check must be before signing or exporting.
SECOND_FACTOR_RECHECK_SECONDS = env.int("SECOND_FACTOR_RECHECK_SECONDS", default=5 * 60)

OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Finsam")
OTP_TOTP_THROTTLE_FACTOR = 1

# django-axes: lock a username after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# A username is locked from the address that failed; others in the office can still log in.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "finsam.views.account.lockout"
AXES_VERBOSE = False
# What axes records as the username: no longer than a username can be (its
# table holds 255 characters; a 100 000-character login must not fail).
AXES_USERNAME_CALLABLE = "finsam.auth.axes_username"
# The client's address: X-Forwarded-For only from these reverse proxies
# (addresses or networks, comma-separated; none by default).
FINSAM_TRUSTED_PROXIES = env.list("FINSAM_TRUSTED_PROXIES", default=[])
AXES_CLIENT_IP_CALLABLE = "finsam.auth.client_ip"
# Beyond axes (finsam.auth.login_wait_seconds): a username failing from many
# addresses is slowed (doubling waits after this many failures), and one
# address failing for many usernames waits out the cool-off after this many.
FINSAM_LOGIN_FREE_FAILURES = env.int("FINSAM_LOGIN_FREE_FAILURES", default=5)
FINSAM_LOGIN_IP_FAILURE_LIMIT = env.int("FINSAM_LOGIN_IP_FAILURE_LIMIT", default=30)

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska"))]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["finsam.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files live in the database (finsam.storage), or in an S3-compatible
# bucket when FILE_STORAGE_S3_BUCKET names one (pip install django-storages[s3];
# AWS_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY as usual):
# never on an app server's disk.
if env.str("FILE_STORAGE_S3_BUCKET", default=""):
    _FILES = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("FILE_STORAGE_S3_BUCKET"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
else:
    _FILES = {"BACKEND": "finsam.storage.DatabaseStorage"}
STORAGES = {
    "default": _FILES,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"

# E-mail: SMTP in production (EMAIL_URL), the console elsewhere.
if env.str("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))
elif PRODUCTION:
    raise ImproperlyConfigured("EMAIL_URL must be set in production.")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="finsam@localhost")

# Security headers. A strict CSP: no inline script or style anywhere.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
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
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Structured request logs (finsam.middleware.RequestLogMiddleware): one JSON
# line per request on standard output, for the journal or a log collector.
# On in production; REQUEST_LOG=1 turns them on elsewhere.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "requests": {"class": "logging.StreamHandler", "formatter": "line"},
    },
    "loggers": {
        "finsam.requests": {
            "handlers": ["requests"],
            "level": "INFO" if env.bool("REQUEST_LOG", default=PRODUCTION) else "WARNING",
            "propagate": False,
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# Finsamlagen 5 §: the shares of the state (Försäkringskassan, with
# Arbetsförmedlingen's part), the regions and the kommuner. Kept here, not in
# code: the law is under review.
FINSAM_SHARES = {
    "state": Fraction(env.str("FINSAM_SHARE_STATE", default="1/2")),
    "region": Fraction(env.str("FINSAM_SHARE_REGION", default="1/4")),
    "kommun": Fraction(env.str("FINSAM_SHARE_KOMMUN", default="1/4")),
}
if sum(FINSAM_SHARES.values()) != 1:
    raise ImproperlyConfigured("FINSAM_SHARE_* must add up to 1.")

# The roles a user administrator (Ekonomi) may grant and remove. Kansli sees
# participants and draft protocols, so only a superuser grants it.
FINSAM_GRANTABLE_ROLES = env.list(
    "FINSAM_GRANTABLE_ROLES", default=["Insatspersonal", "Styrelse", "Ekonomi"]
)

# Participants. Identified mode (name and personnummer) is off
# unless the installation turns it on, which it may only do when the member's
# personuppgiftsbiträdesavtal allows it. Identities are encrypted with
# FINSAM_IDENTITY_KEYS (Fernet keys; the first encrypts, all decrypt, so keys
# can be rotated) and found through an HMAC with FINSAM_IDENTITY_HASH_KEY.
# Neither may be SECRET_KEY. Outside production fixed development keys are used.
_DEV_IDENTITY_KEY = "Zmluc2FtLWRldmVsb3BtZW50LWlkZW50aXR5LWtleSE="
FINSAM_IDENTIFIED_MODE = env.bool("FINSAM_IDENTIFIED_MODE", default=FINSAM_ENV == "development")
FINSAM_IDENTITY_KEYS = env.list(
    "FINSAM_IDENTITY_KEYS", default=[] if PRODUCTION else [_DEV_IDENTITY_KEY]
)
FINSAM_IDENTITY_HASH_KEY = env.str(
    "FINSAM_IDENTITY_HASH_KEY",
    default="" if PRODUCTION else "finsam-development-identity-hash-key",
)
if FINSAM_IDENTIFIED_MODE and not (FINSAM_IDENTITY_KEYS and FINSAM_IDENTITY_HASH_KEY):
    raise ImproperlyConfigured(
        "FINSAM_IDENTIFIED_MODE needs FINSAM_IDENTITY_KEYS and FINSAM_IDENTITY_HASH_KEY."
    )
if SECRET_KEY in (*FINSAM_IDENTITY_KEYS, FINSAM_IDENTITY_HASH_KEY):
    raise ImproperlyConfigured("The identity keys must not be SECRET_KEY.")
# Age bands (label, highest age in the band; None = no upper limit), by age in
# the year the participation starts, and bands of time in the insats (months).
FINSAM_AGE_BANDS = [("16–20", 20), ("21–30", 30), ("31–50", 50), ("51–64", 64), ("65–", None)]
# Översikt lists the open participations with no status logged for this long.
FINSAM_STATUS_STALE_DAYS = env.int("FINSAM_STATUS_STALE_DAYS", default=30)
FINSAM_DURATION_BANDS = [
    ("0–3 månader", 3),
    ("3–6 månader", 6),
    ("6–12 månader", 12),
    ("Mer än 12 månader", None),
]

# The board (Kommunallagen as förbund apply it; the law is under review, so
# these are settings): justering within 14 days of the meeting, appeal within
# three weeks of the anslag, reminders from this many days before the deadline.
BOARD_JUSTERING_DAYS = env.int("BOARD_JUSTERING_DAYS", default=14)
BOARD_APPEAL_WEEKS = env.int("BOARD_APPEAL_WEEKS", default=3)
BOARD_REMINDER_DAYS_BEFORE = env.int("BOARD_REMINDER_DAYS_BEFORE", default=5)
# Links in e-mails (kallelse, justering) need the site's own address.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

FORM_RENDERER = "finsam.forms.FinsamFormRenderer"

# Outside production, WhiteNoise serves straight from the app folders.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

if FINSAM_ENV == "test":
    # Hashing strength is irrelevant in tests and costs seconds per user.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
