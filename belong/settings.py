"""Belong's one settings module. Everything that differs between installations comes from the
environment; README.md lists every variable. ``NAME_FILE`` may replace ``NAME`` for secrets."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from belong.lib.env import ImproperlyConfiguredEnv, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("BELONG_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("BELONG_DEBUG", False)
DEMO = env_bool("BELONG_DEMO", False)
SECURE = env_bool("BELONG_SECURE", False)

SECRET_KEY = env_str("BELONG_SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or not SECURE:
        # Development and test only; `check --deploy` and BELONG_SECURE insist on a real one.
        SECRET_KEY = "dev-only-insecure-key-" + "x" * 40  # noqa: S105
    else:
        raise ImproperlyConfiguredEnv("BELONG_SECRET_KEY is required when BELONG_SECURE is on")

# Self-identification is sealed at rest with Fernet (django-fernet-encrypted-fields): keys from
# the environment, comma-separated, each made by `manage.py identity_keys new`. The first seals,
# every one opens, so a new key is put first, `manage.py identity_keys rotate` reseals every row,
# and the old key is then removed (docs/operations.md).
IDENTITY_KEYS = env_list("BELONG_IDENTITY_KEYS", [])
if not IDENTITY_KEYS:
    if DEBUG or not SECURE:
        # Development and test only (32 bytes, urlsafe base64): never a real installation's.
        IDENTITY_KEYS = ["YmVsb25nLWRldmVsb3BtZW50LW9ubHkta2V5LTAwMDA="]
    else:
        raise ImproperlyConfiguredEnv("BELONG_IDENTITY_KEYS is required when BELONG_SECURE is on")

ALLOWED_HOSTS = env_list("BELONG_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("BELONG_CSRF_TRUSTED_ORIGINS", [])
# A CSRF refusal in its shape: JSON under /api/ (belong.lib.errors).
CSRF_FAILURE_VIEW = "belong.lib.errors.csrf_failure"
SITE_URL = env_str("BELONG_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env_str("BELONG_SITE_NAME", "Belong")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "belong.people",
    "belong.notifications",
    "belong.events",
    "belong.training",
    "belong.collectives",
    "belong.mentorship",
    "belong.library",
    "belong.home",
    "belong.insights",
    "belong.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the body: a declared body over the view's limit -> 413; file parts
    # only for signed-in people on views that take them (belong.lib.request_limits).
    "belong.lib.request_limits.BodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session is read: characters the databases refuse -> 400 naming the field.
    "belong.lib.middleware.UnstorableInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "belong.people.middleware.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A sign-in idle too long, or older than the most it may last, ends here (people/sessions).
    "belong.people.sessions.SessionLimitsMiddleware",
    # A single sign-on session is checked with the provider every OIDC_RECHECK_MINUTES.
    "belong.people.sso.middleware.ProviderRecheckMiddleware",
    # A sign-in with a password that owes its second step goes nowhere else (people/mfa).
    "belong.people.mfa.middleware.TwoStepMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # The OpenID provider's origin in form-action (signing out redirects there).
    "belong.people.sso.middleware.ProviderFormActionMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # A view's empty 405 (require_POST) -> the friendly page (belong.lib.errors).
    "belong.lib.errors.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "belong.urls"
WSGI_APPLICATION = "belong.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "belong" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "belong.lib.context_processors.site",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'belong.sqlite3'}")
DATABASES = {
    # Persistent connections (checked before reuse): opening one per request halves the
    # throughput of registrations on PostgreSQL (bench/bench_registration.py).
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("BELONG_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE: concurrent writers queue for the lock instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file (not memory) so that threads share it; one per test run so runs never collide.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-belong-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    # Each process its own. Pages keep fragments in it (a card per collective and per way of
    # belonging, a page's parts per selection: belong.lib.page_cache), far more than the default
    # 300 entries, beyond which it would throw a third away at every new one.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": env_int("BELONG_CACHE_MAX_ENTRIES", 20000)},
        }
    }

# --- People and sign-in -----------------------------------------------------------------------
AUTH_USER_MODEL = "people.Person"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on: each answers only its own callback (belong.people.sso).
    "belong.people.sso.oidc.Backend",
    "belong.people.sso.shibboleth.Backend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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
LOGIN_URL = "people:login"
LOGIN_REDIRECT_URL = "people:me"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3

# Personal access tokens for the API: how long a new one lasts unless its owner says, and the
# longest it may (docs/api.md "Authentication").
API_TOKEN_DAYS = env_int("BELONG_API_TOKEN_DAYS", 90)
API_TOKEN_MAX_DAYS = max(env_int("BELONG_API_TOKEN_MAX_DAYS", 365), 1)

# How long a sign-in lasts (belong.people.sessions): minutes without a request before it ends,
# for people with a staff role and for everyone else, and the most hours it lasts at all.
SESSION_IDLE_MINUTES_STAFF = max(env_int("BELONG_SESSION_IDLE_MINUTES_STAFF", 30), 1)
SESSION_IDLE_MINUTES = max(env_int("BELONG_SESSION_IDLE_MINUTES", 8 * 60), 1)
SESSION_MAX_HOURS = max(env_int("BELONG_SESSION_MAX_HOURS", 12), 1)

# Single sign-on (issue 16; belong/people/sso, docs/deploy.md "Single sign-on"). OpenID Connect
# is on when an issuer is given: its discovery document names the endpoints. SAML arrives through
# the Shibboleth service provider in front of Belong, trusted only from the addresses listed.
SSO_NAME = env_str("BELONG_SSO_NAME", "your institution")
OIDC_ISSUER = env_str("BELONG_OIDC_ISSUER").rstrip("/")
OIDC_RP_CLIENT_ID = env_str("BELONG_OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("BELONG_OIDC_CLIENT_SECRET")
OIDC_RP_SCOPES = env_str("BELONG_OIDC_SCOPES", "openid email profile offline_access")
OIDC_RP_SIGN_ALGO = env_str("BELONG_OIDC_SIGN_ALGO", "RS256")
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_TIMEOUT = env_int("BELONG_OIDC_TIMEOUT_SECONDS", 10)
OIDC_AUTHENTICATION_CALLBACK_URL = "people:oidc_callback"
# Claim names for what Belong keeps (an empty name: not taken from the provider).
OIDC_CLAIMS = {
    "email": env_str("BELONG_OIDC_CLAIM_EMAIL", "email"),
    "given_name": env_str("BELONG_OIDC_CLAIM_GIVEN_NAME", "given_name"),
    "family_name": env_str("BELONG_OIDC_CLAIM_FAMILY_NAME", "family_name"),
    "name": env_str("BELONG_OIDC_CLAIM_NAME", "name"),
    "employee_id": env_str("BELONG_OIDC_CLAIM_EMPLOYEE_ID"),
    "affiliation": env_str("BELONG_OIDC_CLAIM_AFFILIATION"),
    "org_unit": env_str("BELONG_OIDC_CLAIM_ORG_UNIT"),
}
# An existing local account is linked to a first SSO sign-in only by a verified email address,
# and only when this is on.
OIDC_LINK_BY_EMAIL = env_bool("BELONG_OIDC_LINK_BY_EMAIL", False)
# How often a signed-in session is checked with the provider (a refresh, else userinfo).
OIDC_RECHECK_MINUTES = max(env_int("BELONG_OIDC_RECHECK_MINUTES", 15), 1)
# When set, the ID token's `acr` must be one of these (the provider's MFA, for example).
OIDC_ACR_VALUES = env_list("BELONG_OIDC_ACR_VALUES")
# "all": everyone may sign in with a local password; "operators": only operators (SSO for the rest).
LOCAL_PASSWORDS = env_str("BELONG_LOCAL_PASSWORDS", "all")
if LOCAL_PASSWORDS not in ("all", "operators"):
    raise ImproperlyConfiguredEnv(
        f"BELONG_LOCAL_PASSWORDS must be 'all' or 'operators', not {LOCAL_PASSWORDS!r}"
    )
# SAML through Shibboleth: the addresses of the proxy that sets the attribute headers (Apache with
# mod_shib); a header from any other address is refused. Empty: SAML sign-in is off.
SHIBBOLETH_PROXIES = env_list("BELONG_SHIBBOLETH_PROXIES")
# The identity providers (entity ids) whose assertions are taken; empty: any the proxy accepts
# (set it when shibboleth2.xml loads a federation's metadata, such as InCommon's).
SHIBBOLETH_ISSUERS = env_list("BELONG_SHIBBOLETH_ISSUERS")
SHIBBOLETH_ATTRIBUTES = {
    "issuer": env_str("BELONG_SHIBBOLETH_ISSUER_HEADER", "X-Belong-Saml-Issuer"),
    "subject": env_str("BELONG_SHIBBOLETH_SUBJECT_HEADER", "X-Belong-Saml-Subject"),
    "email": env_str("BELONG_SHIBBOLETH_EMAIL_HEADER", "X-Belong-Saml-Mail"),
    "given_name": env_str("BELONG_SHIBBOLETH_GIVEN_NAME_HEADER", "X-Belong-Saml-Given-Name"),
    "family_name": env_str("BELONG_SHIBBOLETH_FAMILY_NAME_HEADER", "X-Belong-Saml-Surname"),
    "name": env_str("BELONG_SHIBBOLETH_NAME_HEADER", "X-Belong-Saml-Display-Name"),
    "employee_id": env_str("BELONG_SHIBBOLETH_EMPLOYEE_ID_HEADER", "X-Belong-Saml-Employee-Number"),
    "affiliation": env_str("BELONG_SHIBBOLETH_AFFILIATION_HEADER", "X-Belong-Saml-Affiliation"),
    "org_unit": env_str("BELONG_SHIBBOLETH_ORG_UNIT_HEADER", "X-Belong-Saml-Org-Unit"),
}

# Two-step sign-in (belong.people.mfa) for people who sign in with a password: required of
# staff roles (not in the demo, whose passwords are public: the first visitor would enrol a
# shared account); the name authenticator apps show; each wrong code doubles the wait before
# the next try, starting from this many seconds (django-otp's throttling).
MFA_REQUIRED_FOR_STAFF = env_bool("BELONG_MFA_REQUIRED_FOR_STAFF", not DEMO)
OTP_TOTP_ISSUER = SITE_NAME
OTP_TOTP_THROTTLE_FACTOR = OTP_STATIC_THROTTLE_FACTOR = max(
    env_int("BELONG_MFA_THROTTLE_SECONDS", 1), 1
)

AXES_FAILURE_LIMIT = env_int("BELONG_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("BELONG_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# A browser that signed in to the account before is counted on its own (a device cookie), so a
# lockout per account and address never locks out the person's own browser (belong.people.lockout).
AXES_HANDLER = "belong.people.lockout.DeviceCookieHandler"
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form's field (it holds the email)
AXES_LOCKOUT_TEMPLATE = "people/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- Languages and time -----------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "belong" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("BELONG_TIME_ZONE", "America/Chicago")

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "belong" / "static"]
STATIC_ROOT = Path(env_str("BELONG_STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "/media/"
# Uploads for registrants and signed-in people only (pre-work, resources): served by their views,
# never at MEDIA_URL.
MEDIA_ROOT = VAR_DIR / "media"
# Pictures anyone may see (collectives' images), the only files served at MEDIA_URL (by nginx,
# or belong.lib.media where nothing is in front): a folder of their own (belong.lib.media).
PUBLIC_MEDIA_ROOT = Path(env_str("BELONG_PUBLIC_MEDIA_ROOT", str(VAR_DIR / "public")))
# Where an upload too large to keep in memory is written while its request lasts (None: the
# system's temporary folder).
FILE_UPLOAD_TEMP_DIR = env_str("BELONG_UPLOAD_TEMP_DIR") or None
# A picture with more pixels than this (in millions) is refused before it is decoded.
IMAGE_MAX_MEGAPIXELS = env_int("BELONG_IMAGE_MAX_MEGAPIXELS", 40)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "public": {"BACKEND": "belong.lib.media.PublicMediaStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if SECURE
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not SECURE

# --- Background work and mail -----------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_str("BELONG_TASKS_BACKEND", "database") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        )
    }
}
OUTBOX_MAX_ATTEMPTS = env_int("BELONG_OUTBOX_MAX_ATTEMPTS", 8)
OUTBOX_BACKOFF_SECONDS = env_int("BELONG_OUTBOX_BACKOFF_SECONDS", 60)

EMAIL_MODE = env_str("BELONG_EMAIL", "file" if DEBUG else "smtp")
EMAIL_BACKEND = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
}.get(EMAIL_MODE)
if EMAIL_BACKEND is None:
    raise ImproperlyConfiguredEnv("BELONG_EMAIL must be console, file, smtp or memory")
EMAIL_FILE_PATH = env_str("BELONG_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env_str("BELONG_FROM_EMAIL", "Belong <belong@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security ---------------------------------------------------------------------------------
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("BELONG_SSL_REDIRECT", True)
# A load balancer probes /healthz over plain HTTP: it must see 200 or 503, never a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE and env_bool("BELONG_HSTS_PRELOAD", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [] if SECURE else ["security.W004", "security.W008", "security.W012"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Events and training ---------------------------------------------------------------------
WORKSHOP_MINIMUM = env_int("BELONG_WORKSHOP_MINIMUM", 6)
MINIMUM_CUTOFF_DAYS = env_int("BELONG_MINIMUM_CUTOFF_DAYS", 3)
REMINDER_DAYS = [int(days) for days in env_list("BELONG_REMINDER_DAYS", ["7", "1"])]
PREWORK_MAX_MB = env_int("BELONG_PREWORK_MAX_MB", 10)
EVALUATION_MIN_RESPONSES = env_int("BELONG_EVALUATION_MIN_RESPONSES", 5)
# Days after a session during which its attendees may evaluate it; its results are published
# once, when this window closes (belong.training.actions.evaluations).
EVALUATION_WINDOW_DAYS = env_int("BELONG_EVALUATION_WINDOW_DAYS", 14)
SEAT_LOCK_TIMEOUT_SECONDS = env_int("BELONG_SEAT_LOCK_TIMEOUT_SECONDS", 10)
# How long the catalog's content for visitors may be served from the cache (belong.training.
# catalog_cache: every change bumps its version; this bounds what a process without a shared
# cache may show). 0: no cache.
CATALOG_CACHE_SECONDS = env_int("BELONG_CATALOG_CACHE_SECONDS", 30)

# --- Collectives and disclosure ----------------------------------------------------------------
# Counts of people from 1 to DISCLOSURE_THRESHOLD - 1 are never shown (the CMS cell-size rule).
DISCLOSURE_THRESHOLD = env_int("BELONG_DISCLOSURE_THRESHOLD", 11)
# A policy's reviewers are reminded this many days before its review is due (and weekly while
# it is overdue).
POLICY_REMINDER_DAYS = env_int("BELONG_POLICY_REMINDER_DAYS", 30)
# Releases (belong.insights.cutting): every figure about people is served from the latest
# release. The scheduled release: once a month, on or after this day of the month, or (when
# RELEASE_SCHEDULE_DAYS is above 0) once every that many days. A DEI administrator may cut one
# by hand at most once in RELEASE_MANUAL_MIN_DAYS days. The engine's settings: the largest
# deviation a published figure carries (+-D), the changes a group needs before its figures move,
# the protection interval a hidden figure keeps (+-P).
RELEASE_DAY_OF_MONTH = env_int("BELONG_RELEASE_DAY_OF_MONTH", 1)
RELEASE_SCHEDULE_DAYS = env_int("BELONG_RELEASE_SCHEDULE_DAYS", 0)
RELEASE_MANUAL_MIN_DAYS = env_int("BELONG_RELEASE_MANUAL_MIN_DAYS", 7)
RELEASE_MAX_NOISE = env_int("BELONG_RELEASE_MAX_NOISE", 3)
RELEASE_MIN_CHANGES = env_int("BELONG_RELEASE_MIN_CHANGES", 10)
RELEASE_PROTECTION = env_int("BELONG_RELEASE_PROTECTION", 3)
# Who the representation dashboard counts as underrepresented in medicine: race and ethnicity
# answers (belong.people.identity). The default follows the AAMC's usual reading: Black or
# African American, Hispanic or Latino, American Indian or Alaska Native, Native Hawaiian or
# Pacific Islander.
URIM_CATEGORIES = env_list(
    "BELONG_URIM_CATEGORIES",
    [
        "american_indian_alaska_native",
        "black_african_american",
        "hispanic_latino",
        "native_hawaiian_pacific_islander",
    ],
)
# Experiences one person may share per hour (all collectives together). Counted under a keyed
# digest of the person (belong.lib.ratelimit: Redis, or a database row deleted after the hour),
# for anonymous shares too.
EXPERIENCE_SHARES_PER_HOUR = env_int("BELONG_EXPERIENCE_SHARES_PER_HOUR", 5)
# How long visitors may be shown the collectives list and a collective's page from the cache
# (belong.collectives.page_cache: every change bumps its version). 0: no cache.
COLLECTIVES_CACHE_SECONDS = env_int("BELONG_COLLECTIVES_CACHE_SECONDS", 30)
COLLECTIVE_IMAGE_MAX_MB = env_int("BELONG_COLLECTIVE_IMAGE_MAX_MB", 5)
# A published pair with no meeting logged for this many weeks is flagged to the coordinators.
MENTORSHIP_QUIET_WEEKS = env_int("BELONG_MENTORSHIP_QUIET_WEEKS", 6)
DIRECTORY_IMPORT_MAX_MB = env_int("BELONG_DIRECTORY_IMPORT_MAX_MB", 2)
# HR roster files dropped here are imported by the scheduled jobs (belong.people.roster,
# docs/provisioning.md "HR roster files"); empty: no folder is checked.
ROSTER_FOLDER = env_str("BELONG_ROSTER_FOLDER", "")

# --- API --------------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("BELONG_LOG_LEVEL", "INFO")},
    # fontTools (fpdf2, certificates) logs every font subset at INFO. django.template logs a
    # missing variable at DEBUG with the whole context, which names the signed-in person: never
    # below INFO, so that a page such as sharing an anonymous experience logs nothing of them.
    "loggers": {
        "axes": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "django.template": {"level": "INFO"},
    },
}
