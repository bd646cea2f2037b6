"""Settings of the OEMS Portal, read from the environment (django-environ).

One file for every mode. ``DJANGO_ENV`` picks the mode:

* ``development`` (the default): DEBUG on, SQLite when no ``DATABASE_URL``, tasks run eagerly
  in-process when no ``REDIS_URL``, emails printed to the console.
* ``production``: DEBUG off, ``SECRET_KEY`` required, secure cookies, HSTS, SSL redirect;
  ``manage.py check --deploy`` passes.

Every variable is documented in ``.env.example``.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import environ
from csp import constants as csp_constants
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env")

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be 'development' or 'production', not {DJANGO_ENV!r}."
    )
PRODUCTION = DJANGO_ENV == "production"

# Values published in this repository: fine for development, refused by production.
DEVELOPMENT_SECRET_KEY = "development-only-not-secret-" + "x" * 40
DEVELOPMENT_SSN_HMAC_KEY = "development-ssn-key"


def production_refusals(config: dict) -> list[str]:
    """Why production must not start with these settings: one message per problem, each naming
    its variable. The one home of such checks (called at the end of this file); a new unsafe
    configuration gets its line here."""
    refusals = []
    if len(config["SECRET_KEY"]) < 50 or config["SECRET_KEY"] == DEVELOPMENT_SECRET_KEY:
        refusals.append(
            "SECRET_KEY is missing, shorter than 50 characters or the published development "
            "value; production needs its own long random value "
            "(python -c 'import secrets; print(secrets.token_urlsafe(64))', or make env)."
        )
    ssn_key = config["SSN_HMAC_KEY"]
    if len(ssn_key) < 32 or ssn_key in {DEVELOPMENT_SSN_HMAC_KEY, config["SECRET_KEY"]}:
        refusals.append(
            "SSN_HMAC_KEY is missing, shorter than 32 characters, the published development "
            "value or the SECRET_KEY: with a known key a stored hash and the last four digits "
            "give the SSN back. Set a random value of its own (make env)."
        )
    if config["DEBUG"]:
        refusals.append("DEBUG is on: production shows no tracebacks; unset DEBUG or set false.")
    if payments_problem := _payments_problem_of(config):
        refusals.append(payments_problem)
    return refusals


SECRET_KEY = env.str("SECRET_KEY", default="" if PRODUCTION else DEVELOPMENT_SECRET_KEY)

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The key of the keyed hash (HMAC) that stands in for SSNs; see providers. Never the SECRET_KEY,
# so rotating one does not invalidate the other.
SSN_HMAC_KEY = env.str("SSN_HMAC_KEY", default="" if PRODUCTION else DEVELOPMENT_SSN_HMAC_KEY)

# Payments (docs/payments.md). PAYMENTS_GATEWAY names the processor: "stripe" (with its keys and
# webhook secret) or a dotted path to another adapter. TEST MODE (the built-in fake processor,
# no money moves, a banner on every page) runs only with PAYMENTS_TEST_MODE=true, which is the
# default in development when no processor is named.
PAYMENTS_GATEWAY = env.str("PAYMENTS_GATEWAY", default="")
PAYMENTS_TEST_MODE = env.bool(
    "PAYMENTS_TEST_MODE", default=not PRODUCTION and PAYMENTS_GATEWAY in ("", "test")
)
if PAYMENTS_TEST_MODE and not PAYMENTS_GATEWAY:
    PAYMENTS_GATEWAY = "test"
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")


def payments_settings_problem(
    *, gateway: str, test_mode: bool, stripe_secret_key: str, stripe_webhook_secret: str
) -> str | None:
    """What is wrong with the payment settings, naming the variable; None when they hold."""
    if gateway in ("", "test"):
        if not test_mode:
            return (
                "PAYMENTS_GATEWAY must name a real payment processor (PAYMENTS_GATEWAY=stripe with "
                "STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET); the built-in TEST MODE processor "
                "runs only with an explicit PAYMENTS_TEST_MODE=true."
            )
        return None
    if test_mode:
        return (
            f"PAYMENTS_TEST_MODE=true runs the built-in test processor, but PAYMENTS_GATEWAY names "
            f"{gateway!r}: unset one of them."
        )
    if gateway == "stripe":
        if not stripe_secret_key.startswith(("sk_live_", "sk_test_", "rk_live_", "rk_test_")):
            return "PAYMENTS_GATEWAY=stripe needs STRIPE_SECRET_KEY (sk_live_... or sk_test_...)."
        if not stripe_webhook_secret.startswith("whsec_"):
            return (
                "PAYMENTS_GATEWAY=stripe needs STRIPE_WEBHOOK_SECRET (whsec_..., the signing secret "
                "of the webhook endpoint /payments/webhook/)."
            )
    return None


def _payments_problem_of(config: dict) -> str | None:
    return payments_settings_problem(
        gateway=config["PAYMENTS_GATEWAY"],
        test_mode=config["PAYMENTS_TEST_MODE"],
        stripe_secret_key=config["STRIPE_SECRET_KEY"],
        stripe_webhook_secret=config["STRIPE_WEBHOOK_SECRET"],
    )


# Production reports this with the other refusals (production_refusals, at the end of this
# file); development stops at once on payment settings that cannot work.
if not PRODUCTION and (_payments_problem := _payments_problem_of(globals())):
    raise ImproperlyConfigured(_payments_problem)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    # third party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "simple_history",
    "django_celery_beat",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files from the package, not a CDN
    "csp",
    "django_filters",
    "import_export",
    # ours: shared mechanisms first, then the domains
    "core",
    "accounts",
    "providers",
    "education",
    "organizations",
    "vehicles",
    "complaints",
    "rates",
    # after the domains: its demo data pays for things the domains' demos created
    "payments",
    "test_processor",  # the fake hosted payment page of TEST MODE (its pages 404 otherwise)
    "information",
    "documents",
    # the national interchange (NEMSIS v3.5.1): reads providers, organizations, vehicles and
    # information; its document kind registers on documents
    "nemsis",
    # emails notices to audiences drawn from providers, organizations and education
    "notices",
    # reads every domain, writes none: last
    "oversight",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # a view meeting a database that does not answer returns the 503 page (core/middleware.py)
    "core.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.form_rendering.AdminWidgetsMiddleware",
    "accounts.middleware.StaffSessionLimitsMiddleware",
    "accounts.middleware.StaffSecondFactorMiddleware",
    # axes last, as its documentation asks, so it sees the final response of a failed login
    "axes.middleware.AxesMiddleware",
]

# Public forms' widgets get the USWDS classes (templates/uswds_forms/); the admin's keep Django's.
FORM_RENDERER = "core.form_rendering.PortalFormRenderer"

# Content-Security-Policy (django-csp) on every response: scripts only from our own origin or
# carrying this response's nonce, so markup a user manages to slip into a page cannot run. Styles
# may be inline (the admin and USWDS set style attributes); images and fonts may be data: URIs
# (USWDS' icons in its CSS).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", csp_constants.NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

ROOT_URLCONF = "oems_portal.urls"
WSGI_APPLICATION = "oems_portal.wsgi.application"

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
                "core.context_processors.site",
                "payments.context_processors.payments_mode",
                "information.context_processors.notices",
            ],
        },
    },
]


def _database_from_env():
    """SQLite unless DATABASE_URL is set; a malformed URL stops start-up naming the variable."""
    url = env.str("DATABASE_URL", default="")
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            "OPTIONS": {"timeout": 20},
        }
    parsed = urlparse(url)
    supported = {"postgres", "postgresql", "pgsql", "sqlite"}
    if parsed.scheme not in supported or (parsed.scheme != "sqlite" and not parsed.path.strip("/")):
        raise ImproperlyConfigured(
            "DATABASE_URL is malformed: expected postgres://USER:PASSWORD@HOST:PORT/NAME "
            f"(or sqlite:////absolute/path), got scheme {parsed.scheme!r}."
        )
    try:
        config = env.db_url_config(url)
    except Exception as error:  # environ raises several types for bad URLs
        raise ImproperlyConfigured(f"DATABASE_URL is malformed: {error}") from error
    config["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    config["CONN_HEALTH_CHECKS"] = True  # a connection broken by a restart is replaced, not reused
    if config["ENGINE"].endswith("postgresql"):
        # A database that does not answer fails the request in seconds (a 503 page) instead of
        # hanging it; see core/middleware.py.
        config.setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=3)
        )
    return config


DATABASES = {"default": _database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL and urlparse(REDIS_URL).scheme not in {"redis", "rediss"}:
    raise ImproperlyConfigured("REDIS_URL is malformed: expected redis://HOST:PORT/DB.")

if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis backend, reusing its client; see core/cache.py
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="oems"),
            # Redis down: reads miss, writes are dropped, pages keep working (core/cache.py)
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # axes first: it refuses locked-out credentials before any other backend is asked
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"

# django-allauth: email is the login, verified before first sign-in.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"  # the client address: core.client_address
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# The office wants a taken email to be said plainly on the sign-up form; login throttling (axes)
# and allauth's rate limits bound what an enumeration attempt can learn.
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[OEMS Portal] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "OEMS Portal"
# Accept the code of the neighbouring 30-second step too: phones' clocks drift, and a code typed
# as the step turns over would otherwise fail.
MFA_TOTP_TOLERANCE = 1

# django-axes: lock an account+address pair after repeated failures, on every login form.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.adapters.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# axes records and locks on the same client address as every other throttle.
AXES_CLIENT_IP_CALLABLE = "core.client_address.client_address"

# Reverse proxies in front of the portal that append the client's address to X-Forwarded-For
# (core.client_address, used by every throttle, axes and the linking log). 0: the header is
# ignored and REMOTE_ADDR is the client. Set it to exactly the number of proxies you run: one
# more lets a client choose its own address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Staff sessions: ended after STAFF_IDLE_MINUTES without a request, and STAFF_SESSION_HOURS after
# sign-in whatever the activity (accounts.middleware). Everyone else: two weeks, Django's default.
STAFF_IDLE_MINUTES = env.int("STAFF_IDLE_MINUTES", default=30)
STAFF_SESSION_HOURS = env.int("STAFF_SESSION_HOURS", default=10)

# The reason of a transition is its audit record's "why"; it can be longer than 100 characters.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# USWDS comes from the npm registry (package.json); it is served from node_modules, never copied.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("uswds", BASE_DIR / "node_modules" / "@uswds" / "uswds" / "dist"),
]
# Every stored file is private and lives under MEDIA_ROOT (or the S3 bucket below); nothing
# serves MEDIA_URL: files are reached only through core.files' checked download view. Backups
# must include MEDIA_ROOT.
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    # S3-compatible storage (django-storages, pip install ".[s3]"); credentials come from the
    # usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables (read by boto3).
    _DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "location": env.str("AWS_S3_LOCATION", default=""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# How the checked download view hands a file over (core.files.serve): "django" streams it
# (FileResponse, works everywhere); "x-accel-redirect" (nginx) or "x-sendfile" (Apache, lighttpd)
# let the front server send it after the check; "storage-redirect" redirects to a presigned URL
# of the S3 storage living PRIVATE_FILES_URL_EXPIRE_SECONDS.
PRIVATE_FILES_SERVE = env.str(
    "PRIVATE_FILES_SERVE", default="storage-redirect" if AWS_STORAGE_BUCKET_NAME else "django"
)
if PRIVATE_FILES_SERVE not in {"django", "x-accel-redirect", "x-sendfile", "storage-redirect"}:
    raise ImproperlyConfigured(
        "PRIVATE_FILES_SERVE must be django, x-accel-redirect, x-sendfile or storage-redirect."
    )
if PRIVATE_FILES_SERVE == "storage-redirect" and not AWS_STORAGE_BUCKET_NAME:
    raise ImproperlyConfigured(
        "PRIVATE_FILES_SERVE=storage-redirect needs AWS_STORAGE_BUCKET_NAME."
    )
# The internal location nginx maps to MEDIA_ROOT (see README, "Private files").
PRIVATE_FILES_ACCEL_PREFIX = env.str("PRIVATE_FILES_ACCEL_PREFIX", default="/protected-files/")
PRIVATE_FILES_URL_EXPIRE_SECONDS = env.int("PRIVATE_FILES_URL_EXPIRE_SECONDS", default=60)
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Checked while the body streams in (core.uploads), before a file is kept: a file above
# UPLOAD_MAX_FILE_BYTES (the largest per-form limit: the registry CSV) or a request above
# UPLOAD_MAX_REQUEST_BYTES
# is dropped unread and the form says so beside the field, keeping every other field. The
# front server's own limit (nginx client_max_body_size) should sit above the request limit.
UPLOAD_MAX_FILE_BYTES = env.int("UPLOAD_MAX_FILE_BYTES", default=25 * 1024 * 1024)
UPLOAD_MAX_REQUEST_BYTES = env.int("UPLOAD_MAX_REQUEST_BYTES", default=60 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "core.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Email: printed to the console in development; EMAIL_URL (smtp://user:pass@host:587) sends for real.
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url_config(EMAIL_URL))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="OEMS Portal <no-reply@oems.example.gov>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Celery: a Redis broker when REDIS_URL is set, otherwise tasks run eagerly in this process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves the message to be redelivered
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
# A message a killed worker had taken (acks_late) goes back to the queue this long after it was
# taken; it must exceed the longest task (a 20,000-row roster PDF: under 3 minutes). See
# docs/reliability.md. Short broker timeouts: a request never waits long on a dead broker (the
# outbox, core/outbox.py, keeps the work and the beat relay sends it later).
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=15 * 60)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": 2,
    "socket_timeout": 10,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Nothing reads task results in production: not asking for them keeps the result store (Redis)
# out of every publish, so a Redis outage cannot break this process's Celery app.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 10,
    "retry_policy": {"timeout": 5.0},
}
# The outbox (core/outbox.py): the beat relay's period, and how long sent rows are kept.
OUTBOX_RELAY_SECONDS = env.int("OUTBOX_RELAY_SECONDS", default=10)
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=7)
# When a killed worker's unfinished work is taken over (docs/reliability.md): a reminder claimed
# but never marked, and a document job that stopped reporting progress.
REMINDER_CLAIM_STALE_SECONDS = env.int("REMINDER_CLAIM_STALE_SECONDS", default=10 * 60)
DOCUMENT_STALE_SECONDS = env.int("DOCUMENT_STALE_SECONDS", default=10 * 60)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # both apply the staff second-factor rule (accounts.staff_access); the token first, so
        # a missing or bad token answers 401 with "WWW-Authenticate: Token"
        "accounts.authentication.TokenAuthentication",
        "accounts.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": [
        "core.throttling.AnonRateThrottle",
        "core.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/minute"),
        "user": env.str("API_THROTTLE_USER", default="600/minute"),
    },
}
# API tokens (django-rest-knox, stored as digests): staff tokens end with the staff session
# limits (accounts.staff_access); everyone else's API_TOKEN_DAYS after they are made.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
KNOX_TOKEN_MODEL = "accounts.ApiToken"
# knox's own migrations create its stock token table even though our model replaces it; that
# unused table's key to the users table stops PostgreSQL from truncating users (test flushes).
# Without knox migrations the replaced model gets no table; nothing depends on them.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {"TOKEN_TTL": timedelta(days=API_TOKEN_DAYS), "AUTH_HEADER_PREFIX": "Token"}
# NEMSIS v3.5.1 (the national EMS data standard): where the official XML schemas are. CI and the
# project's machines have them beside the clone (../shared/nemsis/3.5.1/); a clone without that
# folder uses the unchanged copy shipped in nemsis/schemas/3.5.1/ (see docs/nemsis.md).
_SHARED_NEMSIS = BASE_DIR.parent / "shared" / "nemsis" / "3.5.1"
NEMSIS_SCHEMA_DIR = env.path(
    "NEMSIS_SCHEMA_DIR",
    default=_SHARED_NEMSIS
    if (_SHARED_NEMSIS / "StateDataSet_v3.xsd").is_file()
    else BASE_DIR / "nemsis" / "schemas" / "3.5.1",
)
# The largest DEM file an organization may upload (bytes); a 2,000-person roster is ~5 MB.
NEMSIS_DEM_MAX_BYTES = env.int("NEMSIS_DEM_MAX_BYTES", default=20 * 1024 * 1024)
# The state the State Dataset describes: its two-digit ANSI (FIPS) code and postal abbreviation.
NEMSIS_STATE_CODE = env.str("NEMSIS_STATE_CODE", default="09")
NEMSIS_STATE_ABBREVIATION = env.str("NEMSIS_STATE_ABBREVIATION", default="CT")
# sSoftware: who made the software and which version wrote the file.
NEMSIS_SOFTWARE_CREATOR = env.str("NEMSIS_SOFTWARE_CREATOR", default="State OEMS")
NEMSIS_SOFTWARE_NAME = "OEMS Portal"
NEMSIS_SOFTWARE_VERSION = env.str("NEMSIS_SOFTWARE_VERSION", default="0.1.0")

SPECTACULAR_SETTINGS = {
    "TITLE": "OEMS Portal API",
    "DESCRIPTION": "Certification verification, provider, organization and staff endpoints.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},  # failures are WARNING; successes are not worth a line
    },
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container's own health check speaks HTTP
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Last, once every setting is known: production refuses to start unsafe.
if PRODUCTION and (_refusals := production_refusals(globals())):
    raise ImproperlyConfigured("Production refuses to start:\n- " + "\n- ".join(_refusals))
