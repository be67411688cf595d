"""tfp settings: every value that differs between machines comes from the environment.

Under DEBUG only: with no ``DATABASE_URL`` the embedded PostgreSQL under ``var/`` is used, and
with no ``CELERY_BROKER_URL`` that database is Celery's broker too; with DEBUG off both must be
named. Booleans, numbers and URLs are read by ``tfp.environment``, which refuses a value it
cannot read instead of guessing. See the README's table of variables.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from tfp.environment import BROKER_SCHEMES, DATABASE_SCHEMES, env_bool, env_int, env_url

BASE_DIR = Path(__file__).resolve().parent.parent
NODE_MODULES = BASE_DIR / "node_modules"

env = environ.Env()

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A refused form post gets the service's own page, not Django's technical one.
CSRF_FAILURE_VIEW = "tfp.errors.csrf_failure"

# The name of the local authority, shown in the header and on claim packs.
AUTHORITY_NAME = env.str("AUTHORITY_NAME", default="Demo Borough Council")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Widgets' templates are looked up like pages' (the money input's £ prefix is ours).
    "django.forms",
    "crispy_forms",
    "crispy_forms_gds",
    "django_celery_beat",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "accounts",
    "audit",
    "families",
    "casework",
    "outcomes",
    "claims",
    "dashboards",
    "demo",
    "privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tfp.static_assets.StaticFilesMiddleware",
    "tfp.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the locked-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tfp.urls"
WSGI_APPLICATION = "tfp.wsgi.application"

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
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# Two roles (tfp/database_roles.py): the service connects as its own role, which owns nothing;
# migrations connect to the same database as the owner role. Unset, DATABASE_OWNER_URL is
# DATABASE_URL: one role for both, for a throwaway database only.
DATABASE_URL = env_url("DATABASE_URL", schemes=DATABASE_SCHEMES)
if DATABASE_URL:
    DATABASES = {"default": env.db_url_config(DATABASE_URL)}
    _owner = env.db_url_config(
        env_url("DATABASE_OWNER_URL", schemes=DATABASE_SCHEMES) or DATABASE_URL
    )
elif not DEBUG:
    raise ImproperlyConfigured(
        "DATABASE_URL must be set when DEBUG is off, e.g. postgres://tfp@db:5432/tfp."
    )
else:
    from tfp.embedded_db import embedded_database, embedded_owner

    DATABASES = {"default": embedded_database(BASE_DIR / "var" / "postgres")}
    _owner = DATABASES["default"] | embedded_owner()
DATABASE_ROLES = {
    role: {"USER": config["USER"], "PASSWORD": config.get("PASSWORD") or ""}
    for role, config in [("service", DATABASES["default"]), ("owner", _owner)]
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env_int("CONN_MAX_AGE", default=0))
# PostgreSQL's JIT compiles the big set-based statements (eligibility, results) for longer
# than they then take to run; nothing this service runs gains from it.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username is refused before its password is even checked.
    "accounts.backends.SignInThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
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
# Argon2 for new and changed passwords; the others only read hashes made before it, which are
# upgraded to Argon2 at their owner's next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:start"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions expire after 30 minutes without a request: shared office machines are common.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", default=30 * 60, minimum=1)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords in a row for a
# username from one address, that username is refused there for AXES_COOLOFF_MINUTES. Keyed
# on both, so nobody elsewhere can lock a named member of staff out.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", default=5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", default=15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Across usernames, one address may get this many wrong passwords within the cool-off
# (accounts/throttling.py): higher, because a council office's staff share one address.
SIGN_IN_ADDRESS_FAILURE_LIMIT = env_int("SIGN_IN_ADDRESS_FAILURE_LIMIT", default=30, minimum=1)
# axes.W006 warns about lockouts keyed on user agents or cookies, which an attacker rotates;
# these are keyed on the username and the address only.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_VERBOSE = False
# Second factor (django-otp, TOTP): the name authenticator apps show beside the code.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default=f"tfp ({AUTHORITY_NAME})")

# Content Security Policy (django-csp): nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Data protection: a closed case is anonymised this many years after its closure was approved
# (the nightly retention task), and subject-access exports are prepared for coordinators.
RETENTION_YEARS_AFTER_CLOSURE = env_int("RETENTION_YEARS_AFTER_CLOSURE", default=6, minimum=1)

# Unusual access (privacy/unusual_access.py): working hours, Monday to Friday, written
# HH:MM-HH:MM; and how many families outside their caseload a person must read in a week
# (and more than their caseload) to be listed.
_working_hours = env.str("WORKING_HOURS", default="08:00-18:00")
try:
    WORKING_HOURS = tuple(time.fromisoformat(part) for part in _working_hours.split("-"))
    if len(WORKING_HOURS) != 2 or WORKING_HOURS[0] >= WORKING_HOURS[1]:
        raise ValueError
except ValueError:
    raise ImproperlyConfigured(
        f"WORKING_HOURS must be a start and an end written HH:MM-HH:MM, not {_working_hours!r}."
    ) from None
# Break glass (casework/break_glass.py): hours a key worker's emergency sight of a case file
# not on their caseload lasts, and the working days (Monday to Friday) a coordinator has to
# review it before the dashboard flags it.
BREAK_GLASS_HOURS = env.int("BREAK_GLASS_HOURS", default=8)
if not 1 <= BREAK_GLASS_HOURS <= 72:
    raise ImproperlyConfigured("BREAK_GLASS_HOURS must be between 1 and 72.")
BREAK_GLASS_REVIEW_WORKING_DAYS = 5
UNUSUAL_ACCESS_MIN_FAMILIES = env.int("UNUSUAL_ACCESS_MIN_FAMILIES", default=10)
if UNUSUAL_ACCESS_MIN_FAMILIES < 1:
    raise ImproperlyConfigured("UNUSUAL_ACCESS_MIN_FAMILIES must be at least 1.")

# The service's day (tfp/clock.py): unset, the real date; set (YYYY-MM-DD), every page, default
# date and nightly run uses that day instead, for demo and training environments.
_service_date = env.str("SERVICE_DATE", default="")
try:
    SERVICE_DATE = date.fromisoformat(_service_date) if _service_date else None
except ValueError:
    raise ImproperlyConfigured(
        f"SERVICE_DATE must be a date written YYYY-MM-DD, not {_service_date!r}."
    ) from None

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("govuk", NODE_MODULES / "govuk-frontend" / "dist" / "govuk"),
    ("moj", NODE_MODULES / "@ministryofjustice" / "frontend" / "moj"),
    ("chartjs", NODE_MODULES / "chart.js" / "dist"),
]
# GOV.UK Frontend's compiled CSS refers to its fonts and images at /assets/...
WHITENOISE_ROOT = NODE_MODULES / "govuk-frontend" / "dist" / "govuk"
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", default=DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = BASE_DIR / "var" / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest file an import accepts; a larger one is refused with the upload form's error.
UPLOAD_MAX_MB = env_int("UPLOAD_MAX_MB", default=200, minimum=1)

FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Celery. A broker must be named when DEBUG is off (Redis). With DEBUG on and none named, the
# service's own database is the broker (tfp/database_broker.py), so `make run` has a real
# worker and beat with nothing installed. Tests run tasks in-process (tests/conftest.py).
CELERY_BROKER_URL = env_url("CELERY_BROKER_URL", schemes=BROKER_SCHEMES)
CELERY_RESULT_BACKEND = (
    env_url("CELERY_RESULT_BACKEND", schemes=BROKER_SCHEMES) or CELERY_BROKER_URL or None
)
# With DEBUG off and no broker, the processes that serve (the web server, the Celery worker
# and beat) refuse to start (tfp/service_processes.py), while the management commands of
# data-formats.md still run, doing their work in-process: scripts and the acceptance checks
# drive them that way, and they need no worker.
SERVICE_REFUSAL = (
    "CELERY_BROKER_URL must be set when DEBUG is off, e.g. redis://127.0.0.1:6379/0."
    if not CELERY_BROKER_URL and not DEBUG
    else ""
)
CELERY_TASK_ALWAYS_EAGER = bool(SERVICE_REFUSAL)
DATABASE_BROKER = not CELERY_BROKER_URL and DEBUG
if DATABASE_BROKER:
    from tfp.database_broker import database_broker_urls

    # kombu and the result backend make their tables on first use: a thing only the owner
    # may do (tfp/database_roles.py), and this broker is for development only.
    CELERY_BROKER_URL, CELERY_RESULT_BACKEND = database_broker_urls(
        DATABASES["default"] | DATABASE_ROLES["owner"]
    )
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task a dead worker had taken goes back on the queue after this many seconds. It must be
# longer than the longest task (35 minutes), or a running task would be handed out twice.
# (The database broker has no such timeout, and would pass the option to SQLAlchemy.)
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {}
    if DATABASE_BROKER
    else {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60, minimum=1)}
)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "nightly-recalculation": {
        "task": "families.tasks.nightly_recalculation",
        "schedule": crontab(hour=2, minute=0),
    },
    "nightly-retention": {
        "task": "privacy.tasks.nightly_retention",
        "schedule": crontab(hour=3, minute=30),
    },
}

# Production hardening, on whenever DEBUG is off.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Overridable only so the CI smoke test can sign in over plain http on 127.0.0.1.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
AUTH_USER_MODEL = "accounts.User"
