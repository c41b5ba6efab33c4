"""Settings for the citizen portal: one module, configured from the environment.

Every value an operator may change comes from an environment variable (or a ``*_FILE``
secret) through the helpers in ``lib.env``; docs/operations.md lists them all. The
defaults are safe for development: DEBUG is off unless asked for, and the services default
to PostgreSQL and Redis on localhost.
"""

from __future__ import annotations

import os
import re
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from lib.env import env_bool, env_int, env_list, env_str, read_env_file

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("PORTAL_DATA_DIR", str(BASE_DIR / ".data")))

# Written by scripts/ensure_services.py when it had to start project-private servers.
# Values already in the environment always win.
read_env_file(DATA_DIR / "services.env")

# pytest sets PYTEST_VERSION for the whole run (pytest >= 8.2).
TESTING = "PYTEST_VERSION" in os.environ

DEBUG = env_bool("DEBUG", False)
# HTTPS-only cookies, HSTS and the SSL redirect: on unless developing or testing locally.
HTTPS = env_bool("HTTPS", not (DEBUG or TESTING))


def _development_secret_key() -> str:
    """A random key kept under .data/ so development sessions survive restarts.

    Production sets SECRET_KEY (or SECRET_KEY_FILE); the deploy check portal.E001
    refuses this generated key.
    """
    key_file = DATA_DIR / "secret_key"
    if key_file.is_file():
        return key_file.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(50)
    try:
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(key, encoding="utf-8")
        key_file.chmod(0o600)
    except OSError:
        pass  # read-only checkout: use a per-process key
    return key


SECRET_KEY = env_str("SECRET_KEY", "") or _development_secret_key()
USING_DEVELOPMENT_SECRET_KEY = not env_str("SECRET_KEY", "")
# Keys used before the current one, newest first, separated by commas (or one a line in
# SECRET_KEY_FALLBACKS_FILE): what they signed (sessions, reset and confirmation links) is
# still accepted, so the key can be rotated without signing everyone out. Remove an old key
# once the longest-lived thing it signed has expired (docs/operations.md, "Rotating the
# secret key").
SECRET_KEY_FALLBACKS = [
    key.strip() for key in re.split(r"[,\n]", env_str("SECRET_KEY_FALLBACKS", "")) if key.strip()
]

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

PORTAL_NAME = env_str("PORTAL_NAME", "Benefits and support")
PORTAL_AGENCY = env_str("PORTAL_AGENCY", "Social Security Agency")
PORTAL_PHASE = env_str("PORTAL_PHASE", "beta")
PORTAL_FEEDBACK_URL = env_str("PORTAL_FEEDBACK_URL", "mailto:feedback@example.org")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "simple_history",
    "portal",
    "accounts",
    "benefits",
    "journeys",
    "conversations",
    "appointments",
    "representatives",
    "notifications",
]

MIDDLEWARE = [
    # First: every response carries X-Request-ID, every log line the id and client IP.
    "portal.request_middleware.RequestIdMiddleware",
    "portal.request_middleware.RefuseTraceMiddleware",  # TRACE and TRACK: 405
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",  # before WhiteNoise: static files too
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Refuses a body bigger than any upload before it is read: before anything reads the form.
    "portal.middleware.RequestSizeLimitMiddleware",
    "accounts.middleware.AccessLogMiddleware",
    # Records who made each change kept by django-simple-history (claims, customers, facts).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    # Logs 403s, 429s and signed-in 404s, from views and from the middleware below it.
    "accounts.security_log.AuthorisationRefusalLogMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "portal.middleware.PrivatePagesNoStoreMiddleware",
    "accounts.middleware.AdminAccessMiddleware",
    "accounts.middleware.RequireMfaForCitizensMiddleware",
    # Last: acting for someone; refuses pages a representative may not use (404).
    "representatives.middleware.ActingMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
                "notifications.context_processors.unread",
                "conversations.context_processors.unread",
                "representatives.context_processors.may",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL", "postgres://postgres@localhost:5432/portal")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured(
        "DATABASE_URL must point at PostgreSQL: the portal uses its features."
    )
DATABASES["default"].setdefault("OPTIONS", {})
DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "redis://localhost:6379/0")

# Under pytest-xdist (make test) each test process gets a broker database of its own, the
# ones after the database named, so a Celery worker one process starts never takes another
# process's tasks (pytest-django gives each its own PostgreSQL test database). Processes it
# starts (a real `celery worker`) inherit the variable and so the database.
_TEST_PROCESS = os.environ.get("PYTEST_XDIST_WORKER", "") if TESTING else ""
if re.fullmatch(r"gw\d+", _TEST_PROCESS):
    _named = re.search(r"/(\d+)$", REDIS_URL)
    _db = (int(_named.group(1)) if _named else 0) + 1 + int(_TEST_PROCESS[2:])
    if _db >= 15:  # 15 is the tests' cache
        raise ImproperlyConfigured(f"No Redis database left for test process {_TEST_PROCESS}.")
    REDIS_URL = re.sub(r"(/\d*)?$", f"/{_db}", REDIS_URL, count=1)

# Tests keep their cache (rate-limit counters, used TOTP codes) in Redis database 15, so
# clearing it between tests never touches the broker's queues or a developer's cache.
CACHE_URL = env_str("CACHE_URL", re.sub(r"/\d*$", "", REDIS_URL) + "/15" if TESTING else REDIS_URL)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        # Each test process keeps to its own keys, so runs side by side never clear each other.
        "KEY_PREFIX": f"portal-test-{os.getpid()}" if TESTING else "portal",
        # Redis answers in a millisecond or two: a cache that takes longer is down, and a
        # page should not wait on it (see lib.cache, which then leaves it alone a while).
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
    }
}
# After a cache call fails, pages skip the cache for this long (lib.cache).
CACHE_RETRY_AFTER = env_int("CACHE_RETRY_AFTER_SECONDS", 5)

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {
        "NAME": "accounts.validators.MaximumLengthValidator",
        "OPTIONS": {"max_length": 128},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if TESTING:
    # Hashing cost is not what the tests are about; production keeps the default.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"

# django-allauth: email is the login, and it must be verified before first use.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm", "signup": "accounts.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True  # one address at a time; changing it needs verification
ACCOUNT_PREVENT_ENUMERATION = True  # the same answer whether or not an account exists
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False  # this session stays; every other one ends
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_EMAIL_NOTIFICATIONS = True  # tell people when their password, email or MFA changes
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_PASSWORD_INPUT_RENDER_VALUE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"{PORTAL_NAME}: "
# Rate limits (Redis cache): failed sign-ins 5 per account per 5 minutes and 10 per IP a
# minute, never a permanent lockout. The admin login goes through the same view.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/5m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
    "manage_email": "10/m/user",
}
# Only trust X-Forwarded-For from this many proxies in front of the portal.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = PORTAL_NAME
MFA_RECOVERY_CODE_COUNT = 10
# WebAuthn needs HTTPS except on localhost in development and tests.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG or TESTING
# A setting that makes MFA mandatory for citizens too (staff always need it).
MFA_REQUIRED_FOR_CITIZENS = env_bool("MFA_REQUIRED_FOR_CITIZENS", False)
# The citizen's access log shows role and team; this shows staff members' emails too.
ACCESS_LOG_SHOW_STAFF_NAMES = env_bool("ACCESS_LOG_SHOW_STAFF_NAMES", False)

USERSESSIONS_TRACK_ACTIVITY = True

# Sessions: signed out after 15 minutes idle (with a warning 2 minutes before) and after
# 12 hours whatever happens.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT_SECONDS", 15 * 60)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT_SECONDS", 12 * 60 * 60)
SESSION_WARNING_BEFORE = env_int("SESSION_WARNING_BEFORE_SECONDS", 2 * 60)

# --- Sessions, cookies and headers -----------------------------------------------------

SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Flash messages wait in the session, on the server: some name people ("Ada has been added to
# your household"), and the default cookie storage is signed, not encrypted (ASVS 14.3.3).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_AGE = 12 * 60 * 60  # the absolute limit; SessionTimeoutMiddleware enforces both
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
# With HTTPS, "__Host-" names: the browser keeps such a cookie only if it is Secure, has
# Path=/ and no Domain, so no subdomain or plain-HTTP page can set or overwrite it (ASVS
# 3.3.1). Browsers refuse them over plain HTTP, so development and tests keep plain names.
# (Paths stay "/" and domains unset, Django's defaults.)
_HOST_ONLY = "__Host-" if HTTPS else ""
SESSION_COOKIE_NAME = f"{_HOST_ONLY}sessionid"
CSRF_COOKIE_NAME = f"{_HOST_ONLY}csrftoken"
LANGUAGE_COOKIE_NAME = f"{_HOST_ONLY}django_language"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Only trust X-Forwarded-Proto when a proxy in front of us sets it.
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Load balancers probe over plain HTTP. /healthz/worker takes a token, which must travel
# over HTTPS: it is exempt too, but only to be refused (403) over plain HTTP rather than
# redirected, so a monitor configured with http:// fails instead of leaking its token.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^healthz/worker$"]

# Django's own Content Security Policy: no inline script anywhere, no framing.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Browser features the portal may use (Permissions-Policy on every response): none of the
# powerful ones, except WebAuthn for passkeys, on our own origin. An empty list denies.
_DENIED_FEATURES = [
    "accelerometer", "autoplay", "bluetooth", "browsing-topics", "camera", "clipboard-read",
    "display-capture", "encrypted-media", "fullscreen", "geolocation", "gyroscope", "hid",
    "idle-detection", "magnetometer", "microphone", "midi", "otp-credentials", "payment",
    "picture-in-picture", "screen-wake-lock", "serial", "usb", "web-share",
    "xr-spatial-tracking",
]  # fmt: skip
PERMISSIONS_POLICY: dict[str, list[str]] = {
    **{feature: [] for feature in _DENIED_FEATURES},
    "publickey-credentials-get": ["self"],
    "publickey-credentials-create": ["self"],
}

# --- Internationalisation ----------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
# Welsh joins when its translations exist: offering it earlier would serve English text
# marked lang="cy", which misleads screen readers.
LANGUAGES = [("en-gb", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files ------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# static/build/ is produced by `make assets` from the pinned design-system package.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# Live panels poll for changes this often; each poll is a conditional GET (304 if unchanged).
PORTAL_LIVE_POLL_SECONDS = int(env_str("PORTAL_LIVE_POLL_SECONDS", "2" if TESTING else "10"))

# --- Evidence uploads --------------------------------------------------------------------
# Kept outside static and media paths, with no URL: only benefits.document_views serves
# them, after checking who is asking. Tests use a directory of their own per process.
PRIVATE_FILES_ROOT = Path(
    env_str(
        "PRIVATE_FILES_ROOT",
        str(DATA_DIR / (f"test-evidence-{os.getpid()}" if TESTING else "evidence")),
    )
)
STORAGES["evidence"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {
        "location": str(PRIVATE_FILES_ROOT),
        "base_url": None,
        "file_permissions_mode": 0o600,
        "directory_permissions_mode": 0o700,
    },
}
# Django counts only form fields against DATA_UPLOAD_MAX_MEMORY_SIZE, never file data, so
# the size of a file is guarded while it arrives (benefits/evidence/uploads.py): a body
# declared bigger than 11 MB (a 10 MB file and the form around it) is refused with a 413 page
# before any of it is read (RequestSizeLimitMiddleware), and the first upload handler keeps
# no more than 10 MB of a file on disk, then tells the form the file is too big. The proxy in
# front must accept 11 MB bodies (docs/operations.md).
FILE_UPLOAD_HANDLERS = [
    "benefits.evidence.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Files up to 2.5 MB are held in memory while they are checked; bigger ones in a temporary
# file. Form fields other than files (held in memory) may total 2.5 MB, Django's default.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Virus scanning before a file is accepted: "benefits.evidence.scanning.NoScan" (the default,
# for development and tests: `check --deploy` refuses it, portal.E003) or
# "benefits.evidence.scanning.ClamdScan" with CLAMD_SOCKET, or CLAMD_HOST (default localhost)
# and CLAMD_PORT.
PORTAL_UPLOAD_SCANNER = env_str("PORTAL_UPLOAD_SCANNER", "benefits.evidence.scanning.NoScan")
CLAMD_SOCKET = env_str("CLAMD_SOCKET", "")
CLAMD_HOST = env_str("CLAMD_HOST", "")
CLAMD_PORT = int(env_str("CLAMD_PORT", "3310"))

# --- Email -------------------------------------------------------------------------------

MAILERS = {
    "default": {
        "BACKEND": env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"),
        "OPTIONS": {
            key: value
            for key, value in {
                "host": env_str("EMAIL_HOST", ""),
                "port": env_int("EMAIL_PORT", 0),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
            }.items()
            if value
        },
    }
}
# An email provider through django-anymail: EMAIL_BACKEND=anymail.backends.<esp>.EmailBackend
# and its settings as ANYMAIL_<SETTING> variables (ANYMAIL_POSTMARK_SERVER_TOKEN=…).
ANYMAIL = {
    key.removeprefix("ANYMAIL_"): env_str(key)
    for key in sorted(os.environ)
    if key.startswith("ANYMAIL_") and not key.endswith("_FILE")
}
# Links in emails and texts point here.
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://localhost:8000")
EMAIL_MESSAGE_DOMAIN = env_str("EMAIL_MESSAGE_DOMAIN", "portal.example.org")
# Text messages: "notifications.sms.FileBackend" writes them to SMS_FILE_PATH (development);
# plug a provider in by writing a backend (see notifications/sms.py) and naming it here.
SMS_BACKEND = env_str(
    "SMS_BACKEND", "notifications.sms.LocmemBackend" if TESTING else "notifications.sms.FileBackend"
)
SMS_FILE_PATH = env_str("SMS_FILE_PATH", str(DATA_DIR / "sms" / "outbox.jsonl"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Benefits and support <no-reply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ------------------------------------------------------------------------------

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None  # outcomes are recorded in PostgreSQL by the services
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
# A test run consumes its own queue, so a `make run` worker never steals a test's task.
CELERY_TASK_DEFAULT_QUEUE = env_str(
    "CELERY_QUEUE", f"portal-test-{os.getpid()}" if TESTING else "portal"
)
# Reliability (see ../shared/SECURITY.md): a task is acknowledged only after it ran, is
# redelivered if its worker dies, and a worker takes one task at a time.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 60 * 60,  # 1 hour
    # Publishing (a request asking a worker to deliver, the sweepers re-queueing) makes one
    # attempt and gives up within about a second when the broker is down or hung: the work is
    # already in PostgreSQL and a sweeper queues it again within minutes. Left to kombu's
    # defaults, a broker that refuses connections held each publish for 6 s (sleeping
    # between attempts) and one that accepts them and never answers held it for ever. These
    # bound publishing only: workers and beat reconnect with their own retries (below).
    "max_retries": 0,
    "socket_connect_timeout": 1,
    "socket_timeout": 1,
}
# Both limits stay well below the visibility timeout, or Redis redelivers running tasks.
CELERY_TASK_SOFT_TIME_LIMIT = 5 * 60
CELERY_TASK_TIME_LIMIT = 6 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_SEND_TASK_EVENTS = False
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
# Beat schedule lives here, with the rest of the configuration.
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "portal.tasks.record_heartbeat",
        "schedule": timedelta(seconds=20),
        "options": {"expires": 20},
    },
    "sweep-outbox": {
        "task": "notifications.tasks.sweep_outbox",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 60},
    },
    "requeue-straight-through": {
        "task": "benefits.casework.tasks.requeue_straight_through",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 60},
    },
    "daily-reminders": {
        "task": "notifications.tasks.send_reminders",
        "schedule": crontab(hour=7, minute=30),
        "options": {"expires": 6 * 60 * 60},
    },
    "daily-nudges": {
        "task": "journeys.tasks.send_nudges",
        "schedule": crontab(hour=8, minute=15),
        "options": {"expires": 6 * 60 * 60},
    },
    # Appointments: reminders 24 hours and 2 hours before need a finer grain than a day.
    "appointment-reminders": {
        "task": "appointments.tasks.send_reminders",
        "schedule": timedelta(minutes=10),
        "options": {"expires": 9 * 60},
    },
    "appointment-slots-ahead": {
        "task": "appointments.tasks.generate_slots_ahead",
        "schedule": crontab(hour=2, minute=40),
        "options": {"expires": 6 * 60 * 60},
    },
    # "Download my data": exports the fast path lost are queued again; expired files go.
    "requeue-data-exports": {
        "task": "representatives.tasks.requeue_data_exports",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 60},
    },
    "expire-data-exports": {
        "task": "representatives.tasks.expire_data_exports",
        "schedule": crontab(minute=23),
        "options": {"expires": 60 * 60},
    },
    "prune-worker-probes": {
        "task": "portal.tasks.prune_worker_probes",
        "schedule": crontab(hour=3, minute=17),
    },
    # The retention schedule (accounts/retention.py), applied nightly when the service is
    # quiet; idempotent, so a run that beat repeats or that overlaps finds nothing twice.
    "apply-retention": {
        "task": "representatives.retention.apply_retention",
        "schedule": crontab(hour=1, minute=45),
        "options": {"expires": 6 * 60 * 60},
    },
}
# /healthz/worker fails when the last heartbeat is older than this.
HEARTBEAT_MAX_AGE = timedelta(seconds=env_int("HEARTBEAT_MAX_AGE_SECONDS", 60))
# A bearer token that shows monitoring the health checks' details (/readyz, /healthz/worker);
# empty: only staff signed in with MFA see them. Random, and long enough not to be guessed.
HEALTH_TOKEN = env_str("HEALTH_TOKEN", "")
if HEALTH_TOKEN and len(HEALTH_TOKEN) < 32:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "HEALTH_TOKEN must be at least 32 characters: make one with "
        "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`."
    )

# --- Logging -----------------------------------------------------------------------------

# One line per record on stderr: a UTC ISO 8601 time, the level, the logger, then the
# request's id, the client's IP (as the rate limits see it, TRUSTED_PROXY_COUNT) and the
# signed-in user's id (`-` outside a request), then the message (lib/logs.py). Security
# events go to the "security" logger (accounts/security_log.py), at INFO whatever LOG_LEVEL.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "lib.logs.RequestContextFilter"}},
    "formatters": {
        "plain": {
            "class": "lib.logs.UTCFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s request_id=%(request_id)s "
            "ip=%(client_ip)s user=%(user_id)s %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_context"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "security": {"level": "INFO"},
        "django.db.backends": {"level": "WARNING"},
        # fpdf2 subsets fonts for each decision letter and logs every step at INFO.
        "fontTools": {"level": "WARNING"},
    },
}

FORM_RENDERER = "lib.forms.PortalFormRenderer"
