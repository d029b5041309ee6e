"""Rathaus settings.

Everything that differs between a laptop and production comes from environment variables; the defaults
are the embedded set-up of `make run` (SQLite and local files under `var/`). See README.md, "Production".
"""

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: use 1/0, true/false, yes/no or on/off.")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from error


DEBUG = env_bool("DEBUG", False)
DATA_DIR = Path(os.environ.get("RATHAUS_DATA_DIR") or BASE_DIR / "var")


def _secret_key() -> str:
    """SECRET_KEY from the environment; otherwise a random key kept in DATA_DIR (one machine only)."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.touch(mode=0o600)
    key_file.write_text(key)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", ".localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "rathaus.core.adminsite.OperatorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "rathaus.core",
    "rathaus.tenants",
    "rathaus.accounts",
    "rathaus.catalog",
    "rathaus.analytics",
    "rathaus.uploads",
    "rathaus.payments",
    "rathaus.applications",
    "rathaus.postbox",
    "rathaus.audit",
    "rathaus.cases",
    "django_tasks",
    "django_tasks_db",
    "rathaus.registers",
    "rathaus.appointments",
    "rathaus.reports",
    "rathaus.waste",
    "rathaus.idstatus",
    "rathaus.opendata",
    "rathaus.reservations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "rathaus.core.middleware.SecurityHeadersMiddleware",
    "rathaus.core.middleware.ApiJsonErrorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "rathaus.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "rathaus.tenants.middleware.MunicipalityMiddleware",
    "rathaus.core.middleware.NulCharactersMiddleware",
]

ROOT_URLCONF = "rathaus.urls"
WSGI_APPLICATION = "rathaus.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rathaus.tenants.context_processors.municipality",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another (postgres://user@host:5432/name).
DATA_DIR.mkdir(parents=True, exist_ok=True)
(DATA_DIR / "static").mkdir(exist_ok=True)  # whitenoise expects STATIC_ROOT to exist
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'rathaus.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one request writes; IMMEDIATE avoids "database is locked" on upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: German first, English second (gettext catalogues in rathaus/locale).
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# Static files: our own plus the npm packages (KERN UX, htmx), served by whitenoise.
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/kern", NODE_MODULES / "@kern-ux" / "native" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"

# Storage for uploads and generated documents: local files, or S3-compatible object storage.
RATHAUS_STORAGE = os.environ.get("RATHAUS_STORAGE", "local")
_default_storage: dict[str, Any]
if RATHAUS_STORAGE == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("S3_BUCKET", ""),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if not _default_storage["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("RATHAUS_STORAGE=s3 needs S3_BUCKET (and S3_ENDPOINT_URL for non-AWS).")
elif RATHAUS_STORAGE == "local":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured(f"RATHAUS_STORAGE={RATHAUS_STORAGE!r}: use 'local' or 's3'.")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Security. Behind TLS (production) set RATHAUS_HTTPS=1; a proxy that terminates TLS sets X-Forwarded-Proto.
RATHAUS_HTTPS = env_bool("RATHAUS_HTTPS", False)
# The port in links of e-mails (which are often written by a task, without a request): empty in production behind
# the proxy; `make run` sets the demo's port.
RATHAUS_SITE_PORT = os.environ.get("RATHAUS_SITE_PORT", "")
if RATHAUS_HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^health$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Joining the browsers' preload list is the domain owner's decision, made outside this application.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
RATHAUS_BEHIND_PROXY = env_bool("RATHAUS_BEHIND_PROXY", False)
if RATHAUS_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint and fontTools report every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Rathaus itself.
RATHAUS_DRAFT_DAYS = env_int("RATHAUS_DRAFT_DAYS", 30)  # unsent applications are deleted after this many days
RATHAUS_DRAFT_REMINDER_DAYS = env_int("RATHAUS_DRAFT_REMINDER_DAYS", 7)  # reminder this many days before
RATHAUS_DEFAULT_MUNICIPALITY = os.environ.get("RATHAUS_DEFAULT_MUNICIPALITY", "musterstadt")
RATHAUS_SERVICES_DIR = BASE_DIR / "services"

# Payments: the providers offered, and the sandbox provider (test payments; see rathaus/payments/providers/sandbox.py).
RATHAUS_PAYMENT_PROVIDERS = env_list("RATHAUS_PAYMENT_PROVIDERS", ["sandbox", "invoice"])
# Key of the sandbox's webhook signatures; empty = derived from SECRET_KEY (the same on every app server).
RATHAUS_PAYMENT_SANDBOX_SECRET = os.environ.get("RATHAUS_PAYMENT_SANDBOX_SECRET", "")
# Seconds until the sandbox's webhook arrives over HTTP; 0 = at once, in-process (tests).
RATHAUS_PAYMENT_SANDBOX_WEBHOOK_DELAY = env_int("RATHAUS_PAYMENT_SANDBOX_WEBHOOK_DELAY", 0)

# Background work (automation, reminders, retention) runs as tasks in the database queue; `rathaus db_worker`
# executes them. Tests run tasks immediately (conftest) unless a test starts the worker itself.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# The vehicle register automation asks (rathaus/registers/vehicles): "demo" is a simulation with its own table,
# "none" answers nothing (automation then leaves such decisions to a person). Connect the real one as a plugin.
RATHAUS_VEHICLE_REGISTER = os.environ.get("RATHAUS_VEHICLE_REGISTER", "demo")

# Appointments: how long an unconfirmed booking holds its slot before it is offered again.
RATHAUS_APPOINTMENT_HOLD_MINUTES = env_int("RATHAUS_APPOINTMENT_HOLD_MINUTES", 30)
# Fairness against bots and slot trading (rathaus/appointments/fairness.py).
RATHAUS_APPOINTMENT_MAX_OPEN_PER_EMAIL = env_int("RATHAUS_APPOINTMENT_MAX_OPEN_PER_EMAIL", 3)
RATHAUS_APPOINTMENT_BOOKINGS_PER_IP = env_int("RATHAUS_APPOINTMENT_BOOKINGS_PER_IP", 20)  # an hour
RATHAUS_APPOINTMENT_QUERIES_PER_IP = env_int("RATHAUS_APPOINTMENT_QUERIES_PER_IP", 300)  # in ten minutes
RATHAUS_APPOINTMENT_POW_BITS = env_int("RATHAUS_APPOINTMENT_POW_BITS", 16)
RATHAUS_APPOINTMENT_RELEASE_MINUTES = env_int("RATHAUS_APPOINTMENT_RELEASE_MINUTES", 15)

# Defect reports (rathaus/reports): the map's tile server ({z}/{x}/{y} URL; empty = no tiles, the map still shows
# the municipality's area and the reports) and its attribution; how near an open report of the same category must
# be to be suggested before filing; rate limits of filing on the website (per IP) and over Open311 (per key).
RATHAUS_MAP_TILES_URL = os.environ.get("RATHAUS_MAP_TILES_URL", "")
RATHAUS_MAP_TILES_ATTRIBUTION = os.environ.get("RATHAUS_MAP_TILES_ATTRIBUTION", "")
RATHAUS_REPORTS_NEARBY_METRES = env_int("RATHAUS_REPORTS_NEARBY_METRES", 75)
RATHAUS_REPORTS_PER_IP_HOUR = env_int("RATHAUS_REPORTS_PER_IP_HOUR", 20)
RATHAUS_OPEN311_POSTS_PER_KEY_HOUR = env_int("RATHAUS_OPEN311_POSTS_PER_KEY_HOUR", 120)

# ID document status (rathaus/idstatus): numbers are stored as HMAC-SHA-256 with this key (default: derived from
# SECRET_KEY; changing either makes the stored numbers unfindable until they are imported again), rows are deleted
# this many days after pickup, and the staff of this department (plus municipality admins) set statuses.
RATHAUS_ID_STATUS_KEY = os.environ.get("RATHAUS_ID_STATUS_KEY", "")
RATHAUS_ID_STATUS_KEEP_DAYS = env_int("RATHAUS_ID_STATUS_KEEP_DAYS", 28)
RATHAUS_ID_STATUS_DEPARTMENT = os.environ.get("RATHAUS_ID_STATUS_DEPARTMENT", "buergerbuero")

# Open data (rathaus/opendata): the base address of the catalogue's URIs (default: the address the request came to;
# set it when several host names serve the same catalogue, so that every dataset keeps one URI), GovData's
# contributor id for this installation (dcatde:contributorID, e.g. "hessen"), and the largest resource upload.
RATHAUS_OPENDATA_BASE_URL = os.environ.get("RATHAUS_OPENDATA_BASE_URL", "").rstrip("/")
RATHAUS_OPENDATA_CONTRIBUTOR_ID = os.environ.get("RATHAUS_OPENDATA_CONTRIBUTOR_ID", "")
RATHAUS_OPENDATA_UPLOAD_MAX_MB = env_int("RATHAUS_OPENDATA_UPLOAD_MAX_MB", 50)

# Analytics: published figures (exports, council report, comparison, open data) withhold counts below this; raw
# events are deleted after this many days once rolled up (the daily rollups stay). See README, "Privacy concept".
RATHAUS_ANALYTICS_MIN_CELL = env_int("RATHAUS_ANALYTICS_MIN_CELL", 5)
RATHAUS_ANALYTICS_RAW_DAYS = env_int("RATHAUS_ANALYTICS_RAW_DAYS", 90)

# Accounts: citizen and staff login (rathaus/accounts). Rate limits count in the database (rathaus.core.ratelimit),
# shared by all processes; the per-process cache holds only what can be recomputed (OIDC metadata, facet counts).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rathaus"}}
LOGIN_URL = "accounts:login"
ACCOUNTS_LOGIN_WINDOW_SECONDS = env_int("ACCOUNTS_LOGIN_WINDOW_SECONDS", 900)
ACCOUNTS_LOGIN_LIMIT_PER_ACCOUNT = env_int("ACCOUNTS_LOGIN_LIMIT_PER_ACCOUNT", 5)
ACCOUNTS_LOGIN_LIMIT_PER_IP = env_int("ACCOUNTS_LOGIN_LIMIT_PER_IP", 30)
ACCOUNTS_MAILS_PER_ADDRESS = env_int("ACCOUNTS_MAILS_PER_ADDRESS", 5)
ACCOUNTS_EMAIL_VERIFICATION_SECONDS = env_int("ACCOUNTS_EMAIL_VERIFICATION_SECONDS", 72 * 3600)
ACCOUNTS_STAFF_CODE_SECONDS = 300
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
if DEBUG and not os.environ.get("EMAIL_HOST"):
    # `make run` has no mail server: mails (verification links, reminders) are printed to the console.
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Rathaus <noreply@localhost>")

# Uploads: virus scanning with ClamAV's daemon when configured (CLAMD_SOCKET, or CLAMD_HOST and CLAMD_PORT);
# without it, uploads are stored as "not scanned". A configured but unreachable clamd refuses uploads.
RATHAUS_CLAMD: dict[str, Any] | None = None
if os.environ.get("CLAMD_SOCKET"):
    RATHAUS_CLAMD = {"socket": os.environ["CLAMD_SOCKET"], "timeout": env_int("CLAMD_TIMEOUT", 30)}
elif os.environ.get("CLAMD_HOST"):
    RATHAUS_CLAMD = {
        "host": os.environ["CLAMD_HOST"],
        "port": env_int("CLAMD_PORT", 3310),
        "timeout": env_int("CLAMD_TIMEOUT", 30),
    }
