"""One settings file, configured from the environment (see README, "Configuration")."""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.conf import global_settings


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


VAR_DIR = Path(os.environ.get("ONCOROUTE_VAR_DIR", Path.cwd() / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)


def installation_secret(
    env_name: str, file_name: str, make: Callable[[], str] = lambda: secrets.token_urlsafe(64)
) -> str:
    """A secret from the environment, else generated once into var/ and never committed."""
    if value := os.environ.get(env_name):
        return value
    secret_file = VAR_DIR / file_name
    if not secret_file.exists():
        secret_file.write_text(make())
        secret_file.chmod(0o600)
    return secret_file.read_text().strip()


SECRET_KEY = installation_secret("SECRET_KEY", "secret_key")
SECURE_DEPLOYMENT = env_bool("SECURE_DEPLOYMENT")
# Debug pages show settings and local variables: never behind a real domain, whatever the env says.
DEBUG = env_bool("DEBUG", default=False) and not SECURE_DEPLOYMENT
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The base of every link in an email: SITE_URL, else the address `oncoroute run` serves on.
SITE_URL = (
    os.environ.get("SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}"
).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "oncoroute.accounts",
    "oncoroute.cases",
    "oncoroute.triage",
    "oncoroute.referrals",
    "oncoroute.records",
    "oncoroute.clinics",
    "oncoroute.privacy",
    "oncoroute.followup",
    "oncoroute.trips",
    "oncoroute.ops",
    "oncoroute.web",
    # After our apps, so that their templates override allauth's.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
]

MIDDLEWARE = [
    "oncoroute.config.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise: static files stay cacheable, everything else is not.
    "oncoroute.config.headers.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The page's language: the switcher's cookie, else the browser's Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "oncoroute.accounts.sessions.SessionLimitsMiddleware",
    # A patient's pages show times in their own zone (cases.reader_zone).
    "oncoroute.cases.reader_zone.ReaderTimeZoneMiddleware",
    "oncoroute.privacy.audit.AuditContextMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "oncoroute.accounts.mfa.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "oncoroute.config.urls"
WSGI_APPLICATION = "oncoroute.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oncoroute.accounts.context_processors.roles",
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'oncoroute.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
# PostgreSQL: psycopg's connection pool in each server process (Django 5.2's "pool" option),
# DB_POOL_MAX_SIZE connections at most; 0 turns it off (e.g. behind PgBouncer).
DB_POOL_MAX_SIZE = int(os.environ.get("DB_POOL_MAX_SIZE", "0"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DB_POOL_MAX_SIZE:
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DB_POOL_MIN_SIZE", "1")),
        "max_size": DB_POOL_MAX_SIZE,
        # A request waits this long for a free connection, then gets the 503 page.
        "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "10")),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the task worker share the file: WAL lets readers and one writer
    # work at once, and IMMEDIATE transactions avoid "database is locked" on upgrade to write.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "landing"
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

# Sign-in is django-allauth's (accounts.adapter, docs/sign-in.md): by email, with a verified
# address, a second factor for staff (accounts.mfa), and a password again before changing the
# email or a second factor. ModelBackend stays for Django admin's and the tests' own logins.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "oncoroute.accounts.adapter.AccountAdapter"
# Messages and pages name a person by their name (or email), never by the opaque username.
ACCOUNT_USER_DISPLAY = "oncoroute.accounts.adapter.user_display"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_EMAIL_SUBJECT_PREFIX = "oncoroute: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https://") else "http"
# Five wrong passwords for one account from one address lock that pair for 15 minutes; after
# that the right password works again. One address gets ten failures a minute across accounts.
LOGIN_FAILURES_PER_15_MINUTES = int(os.environ.get("LOGIN_FAILURES_PER_15_MINUTES", "5"))
ACCOUNT_RATE_LIMITS = {"login_failed": f"10/m/ip,{LOGIN_FAILURES_PER_15_MINUTES}/15m/key"}
# Behind a reverse proxy the client address is the proxy's unless told how many hops to trust.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
MFA_ADAPTER = "oncoroute.accounts.adapter.MFAAdapter"
# The same forms, auditing each refused code (accounts.mfa).
MFA_FORMS = {
    "authenticate": "oncoroute.accounts.mfa.AuthenticateForm",
    "reauthenticate": "oncoroute.accounts.mfa.ReauthenticateForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "oncoroute"
# Encrypts the TOTP secrets in the database (accounts.adapter.MFAAdapter).
MFA_SECRET_KEY = installation_secret("ONCOROUTE_MFA_KEY", "mfa_key")
USERSESSIONS_TRACK_ACTIVITY = False
# Sign-in rate limits and the single use of each TOTP code live in the cache: with more than
# one server process they must share it (e.g. CACHE_BACKEND=...db.DatabaseCache after
# `oncoroute createcachetable`, or Redis). Memory is right for the one-process demo.
# With REDIS_URL the cache, the task queue and the scheduler's peers share one Redis; its
# timeouts are short, so that a Redis outage is a quick error and not a hung request.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL and "socket_timeout" not in REDIS_URL:
    REDIS_URL += ("&" if "?" in REDIS_URL else "?") + "socket_connect_timeout=2&socket_timeout=5"
CACHES = {
    "default": {
        "BACKEND": os.environ.get(
            "CACHE_BACKEND",
            "django.core.cache.backends.redis.RedisCache"
            if REDIS_URL
            else "django.core.cache.backends.locmem.LocMemCache",
        ),
        "LOCATION": os.environ.get("CACHE_LOCATION", REDIS_URL or "oncoroute"),
        "KEY_PREFIX": "oncoroute",
    },
    # Parts of pages that only a new release changes (the empty request form): in each
    # process's memory, so that a release starts with none of the old ones.
    "rendered": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "rendered",
    },
}

# Messages such as "Signed in as <email>" stay on the server, not in a signed cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LANGUAGE_CODE = "en"
# The languages of the pages and emails; Russian is complete for what a patient or relative sees
# (docs/architecture.md, "Languages"). Each name is written in its own language for the switcher.
LANGUAGES = [("en", "English"), ("ru", "Русский")]
# The languages a request may ask us to write in (Case.language): the emails of a case go out in
# it when it is one of LANGUAGES above, else in English.
CONTACT_LANGUAGES = global_settings.LANGUAGES
LOCALE_PATHS = [Path(__file__).resolve().parents[1] / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
# One date format per language (config/formats): "7 Dec 2026", "7 декабря 2026".
FORMAT_MODULE_PATH = ["oncoroute.config.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Serve app static files straight from the packages: no collectstatic step for the demo.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
STORAGES: dict[str, dict[str, Any]] = {
    # Records are encrypted with their patient's data key and kept in their data region.
    "default": {"BACKEND": "oncoroute.privacy.storage.EncryptedFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Records in an S3-compatible bucket instead of MEDIA_ROOT (privacy.s3storage): sealed the same
# way before they leave the process. Credentials: these variables, else boto3's own chain.
STORAGE_BUCKET = os.environ.get("STORAGE_BUCKET", "")
if STORAGE_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "oncoroute.privacy.s3storage.EncryptedS3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_BUCKET,
            "endpoint_url": os.environ.get("STORAGE_ENDPOINT_URL") or None,
            "region_name": os.environ.get("STORAGE_REGION") or None,
            "access_key": os.environ.get("STORAGE_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("STORAGE_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("STORAGE_PREFIX", ""),
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }


# Envelope encryption of health data (docs/privacy.md): "kid:base64key,…", the first current.
ONCOROUTE_MASTER_KEYS = installation_secret(
    "ONCOROUTE_MASTER_KEYS",
    "master_keys",
    lambda: "local1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
)
# Keys the blind index that lets the queue filter on an encrypted column.
ONCOROUTE_BLIND_INDEX_KEY = installation_secret("ONCOROUTE_BLIND_INDEX_KEY", "blind_index_key")

# Data residency: a case's data goes to the database alias and media folder of its region when
# one is configured here (e.g. {"ru": "ru"} with DATABASES["ru"]); otherwise to the defaults.
DATABASE_ROUTERS = ["oncoroute.privacy.residency.ResidencyRouter"]
DATA_REGION_DATABASES: dict[str, str] = {}
DATA_REGION_MEDIA_ROOTS: dict[str, str] = {}
HOME_DATA_REGION = os.environ.get("HOME_DATA_REGION", "eu")

# Keys the UID remapping of de-identified copies: kept, so that a study shared twice maps to
# the same new identifiers.
DEID_SECRET = installation_secret("ONCOROUTE_DEID_SECRET", "deid_secret")
# Medical records: limits for uploads and for unpacking imaging-study ZIPs.
RECORDS_MAX_UPLOAD_BYTES = int(os.environ.get("RECORDS_MAX_UPLOAD_BYTES", str(2 * 1024**3)))
RECORDS_MAX_DOCUMENT_BYTES = int(os.environ.get("RECORDS_MAX_DOCUMENT_BYTES", str(50 * 1024**2)))
RECORDS_MAX_UNPACKED_BYTES = int(os.environ.get("RECORDS_MAX_UNPACKED_BYTES", str(8 * 1024**3)))
RECORDS_MAX_ZIP_RATIO = int(os.environ.get("RECORDS_MAX_ZIP_RATIO", "100"))
RECORDS_MAX_ZIP_FILES = int(os.environ.get("RECORDS_MAX_ZIP_FILES", "20000"))
RECORDS_CHUNK_BYTES = int(os.environ.get("RECORDS_CHUNK_BYTES", str(4 * 1024**2)))
RECORDS_STALE_UPLOAD_HOURS = int(os.environ.get("RECORDS_STALE_UPLOAD_HOURS", "24"))
# Per account: unfinished uploads at once, and the bytes they may announce together (twice the
# largest upload, so that a patient can restart a large file without cancelling the first).
RECORDS_MAX_OPEN_UPLOADS = int(os.environ.get("RECORDS_MAX_OPEN_UPLOADS", "10"))
RECORDS_MAX_OPEN_UPLOAD_BYTES = int(
    os.environ.get("RECORDS_MAX_OPEN_UPLOAD_BYTES", str(2 * RECORDS_MAX_UPLOAD_BYTES))
)
# A disc being indexed whose progress has not moved for this long is queued again (its worker
# was killed or restarted); the final store of a large disc must take less than this.
RECORDS_INDEX_STALL_SECONDS = int(os.environ.get("RECORDS_INDEX_STALL_SECONDS", "600"))
# Processes per de-identification run; 0 means one per core.
RECORDS_DEID_JOBS = int(os.environ.get("RECORDS_DEID_JOBS", "0"))
# A preview decodes one frame, and only one whose header declares at most this many bytes
# (64 megapixels of 16 bits), in a child process that may grow by at most the memory limit.
RECORDS_PREVIEW_MAX_FRAME_BYTES = int(
    os.environ.get("RECORDS_PREVIEW_MAX_FRAME_BYTES", str(128 * 1024**2))
)
RECORDS_PREVIEW_MEMORY_BYTES = int(os.environ.get("RECORDS_PREVIEW_MEMORY_BYTES", str(1024**3)))
RECORDS_PREVIEW_SECONDS = int(os.environ.get("RECORDS_PREVIEW_SECONDS", "60"))

# Background work: the database backend by default; on Redis (RQ) when REDIS_URL is set, with
# the database backend kept as the way round a Redis outage (ops.tasks_rq). `oncoroute worker`
# runs whichever is configured.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "oncoroute.ops.tasks_rq.RetryingRQBackend"
            if REDIS_URL
            else "django_tasks_db.DatabaseBackend",
        ),
    },
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
# Runs again of a task that failed or whose worker died, on RQ (steps done stay done).
TASKS_RETRIES = int(os.environ.get("TASKS_RETRIES", "3"))
if REDIS_URL:
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3 * 3600}}
# Shared token for /healthz and /readyz from other addresses than loopback (ops.health).
HEALTH_TOKEN = os.environ.get("HEALTH_TOKEN", "")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "oncoroute <care@oncoroute.example>")
COORDINATOR_EMAILS = env_list("COORDINATOR_EMAILS", "coordinators@oncoroute.example")

# Requests accepted from one address per hour before the form asks to wait.
REQUEST_RATE_LIMIT_PER_HOUR = int(os.environ.get("REQUEST_RATE_LIMIT_PER_HOUR", "5"))
# Calls one clinic API token may make per minute before the API answers 429 (api.auth).
CLINIC_API_REQUESTS_PER_MINUTE = int(os.environ.get("CLINIC_API_REQUESTS_PER_MINUTE", "60"))
# Days a home doctor's read-only link opens for (referrals.home_doctor).
HOME_DOCTOR_LINK_DAYS = int(os.environ.get("HOME_DOCTOR_LINK_DAYS", "14"))
# Working hours within which the service promises a first answer to a new request.
FIRST_ANSWER_HOURS = int(os.environ.get("FIRST_ANSWER_HOURS", "24"))
# The longest message a patient or a coordinator may write on a case's thread, in characters.
MESSAGE_MAX_LENGTH = int(os.environ.get("MESSAGE_MAX_LENGTH", "4000"))
# A case's news for the patient goes out as one email once no change has come for this many
# seconds (five changes in a minute make one email), and at the latest after the second figure.
PATIENT_NOTICE_QUIET_SECONDS = int(os.environ.get("PATIENT_NOTICE_QUIET_SECONDS", "60"))
PATIENT_NOTICE_MAX_WAIT_SECONDS = int(os.environ.get("PATIENT_NOTICE_MAX_WAIT_SECONDS", "900"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Session limits (accounts.sessions): idle staff and patients are signed out after these many
# seconds; nobody stays signed in longer than the absolute limit.
SESSION_IDLE_SECONDS_STAFF = 15 * 60
SESSION_IDLE_SECONDS_PATIENT = 30 * 60
SESSION_ABSOLUTE_SECONDS = 12 * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
DEFAULT_EXCEPTION_REPORTER = "oncoroute.config.logs.HealthDataExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "oncoroute.config.logs.HealthDataReporterFilter"

if SECURE_DEPLOYMENT:
    SECURE_SSL_REDIRECT = True
    # The load balancer asks over plain HTTP inside the network (ops.health).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True
    if not CSRF_TRUSTED_ORIGINS and SITE_URL.startswith("https://"):
        CSRF_TRUSTED_ORIGINS = [SITE_URL]

LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if SECURE_DEPLOYMENT else "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "oncoroute.config.logs.RequestIdFilter"},
        "no_query_string": {"()": "oncoroute.config.logs.NoQueryStringFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        },
        "access": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "no_query_string"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request bodies never reach a log: the request logger records only status and path.
        "django.request": {"level": "ERROR"},
        # At DEBUG level Django prints every SQL statement with its parameters: health data.
        "django.db.backends": {"level": "WARNING"},
        # The development server's access lines, without query strings.
        "django.server": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
}
