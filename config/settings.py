"""DFSP settings. Every value comes from the environment through config/env.py.

Unset variables give *embedded mode*: SQLite under var/, no Redis, a file-system Celery broker, a
generated SECRET_KEY. Setting REDIS_URL switches to the production stack, where SECRET_KEY and
ALLOWED_HOSTS become mandatory.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from config.env import EnvError, env_bool, env_int, env_list, env_path, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = env_path("DFSP_VAR_DIR", BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)

REDIS_URL = env_str("REDIS_URL")
EMBEDDED = REDIS_URL is None
DEBUG = env_bool("DEBUG", False)
# Demo mode prints demo TOTP secrets and enables `manage.py demo_totp`; never on in production.
DEMO_MODE = env_bool("DFSP_DEMO", False)
TEST_MODE = env_bool("DFSP_TEST_MODE", False)


def _secret_key() -> str:
    configured = env_secret("SECRET_KEY")
    if configured:
        if len(configured) < 50:
            raise EnvError("SECRET_KEY must be at least 50 characters long.")
        return configured
    if not EMBEDDED:
        raise EnvError("SECRET_KEY (or SECRET_KEY_FILE) is required when REDIS_URL is set (production mode).")
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()

if EMBEDDED:
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
else:
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise EnvError("ALLOWED_HOSTS is required when REDIS_URL is set (production mode).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_celery_beat",
    "ninja",
    "dfsp.core",
    "dfsp.audit",
    "dfsp.accounts",
    "dfsp.notifications",
    "dfsp.datahub",
    "dfsp.workdays",
    "dfsp.consent",
    "dfsp.enterprises",
    "dfsp.institutions",
    "dfsp.credit",
    "dfsp.financing",
    "dfsp.matching",
    "dfsp.loans",
    "dfsp.postloan",
    "dfsp.timeliness",
    "dfsp.complaints",
    "dfsp.portal",
    # --- Wagtail (portal content) -------------------------------------------------------------
    # The portal app owns this block: Wagtail's apps are listed here.
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.sites",
    "wagtail",
    "modelcluster",
    "taggit",
]

MIDDLEWARE = [
    "dfsp.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "dfsp.accounts.middleware.SessionSecurityMiddleware",
    "dfsp.core.middleware.DomainErrorMiddleware",
    "dfsp.core.middleware.IdempotencyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "dfsp.core.context_processors.platform",
                "dfsp.notifications.context_processors.messages_badge",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'dfsp.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Web server, Celery worker and scheduler share one file: wait for locks, write-ahead log.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file (not in-memory) test database behaves like embedded mode: connections wait for locks.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_dfsp.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
_cache_kind = env_str("DFSP_CACHE", "redis" if not EMBEDDED else "file")
if _cache_kind == "redis":
    if not REDIS_URL:
        raise EnvError("DFSP_CACHE=redis needs REDIS_URL.")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
elif _cache_kind == "file":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
elif _cache_kind == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise EnvError(f"DFSP_CACHE={_cache_kind!r} must be one of redis, file, locmem.")

# --- Authentication and login security (等保 level 3) -----------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "dfsp.accounts.backends.UsernameOrMobileBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TEST_MODE:
    # Argon2 is deliberately slow; the suite checks rules, not hash cost.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
PASSWORD_HISTORY_COUNT = env_int("DFSP_PASSWORD_HISTORY", 5, minimum=1)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "dfsp.accounts.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "dfsp.accounts.passwords.PasswordHistoryValidator"},
]
PASSWORD_MAX_AGE_DAYS = env_int("DFSP_PASSWORD_MAX_AGE_DAYS", 90, minimum=1)
DORMANT_ACCOUNT_DAYS = env_int("DFSP_DORMANT_ACCOUNT_DAYS", 90, minimum=7)

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_TIMEOUT_SECONDS = env_int("DFSP_SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_ABSOLUTE_TIMEOUT_SECONDS = env_int("DFSP_SESSION_ABSOLUTE_HOURS", 8, minimum=1) * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "dfsp_session"
CSRF_COOKIE_NAME = "dfsp_csrftoken"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DFSP_LOCKOUT_MINUTES", 15, minimum=1))
# A list of separate parameters locks by account and, independently, by source IP.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_USERNAME_CALLABLE = "dfsp.accounts.backends.canonical_login_identifier"
AXES_LOCKOUT_CALLABLE = "dfsp.accounts.views.login.lockout_response"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False
AXES_IPWARE_PROXY_COUNT = env_int("DFSP_PROXY_COUNT", 0, minimum=0) or None

OTP_TOTP_ISSUER = "DFSP"

# --- Security headers -----------------------------------------------------------------------
HTTPS = env_bool("DFSP_HTTPS", not EMBEDDED)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("DFSP_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DFSP_MAX_BODY_BYTES", 2 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
# Language names stay in their own language so that a reader can always find theirs.
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Amounts group by thousands with a comma in Chinese too (see config/formats/zh_Hans).
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_COOKIE_NAME = "dfsp_language"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and private files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "static_vendor"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "private"},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("DFSP_STATIC_MANIFEST", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploads are private: there is no MEDIA_URL; files are served only through audited views.

# --- Celery ---------------------------------------------------------------------------------
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if EMBEDDED:
    BROKER_DIR.mkdir(parents=True, exist_ok=True)
    (BROKER_DIR / "processed").mkdir(exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR),
        "data_folder_out": str(BROKER_DIR),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Workers log through Django's LOGGING (JSON, request ids, personal data redacted), not Celery's own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "accounts.disable-dormant-accounts": {
        "task": "dfsp.accounts.tasks.disable_dormant_accounts",
        "schedule": timedelta(minutes=env_int("DFSP_DORMANT_JOB_MINUTES", 15, minimum=1)),
    },
    "audit.purge-expired-events": {
        "task": "dfsp.audit.tasks.purge_expired_events",
        "schedule": crontab(hour=3, minute=30),
    },
    "audit.verify-chain": {"task": "dfsp.audit.tasks.verify_chain", "schedule": crontab(hour=4, minute=30)},
    "financing.expire-demands": {
        "task": "dfsp.financing.tasks.expire_demands",
        "schedule": crontab(hour=0, minute=10),
    },
    "institutions.recompute-scores": {
        "task": "dfsp.institutions.tasks.recompute_scores",
        "schedule": crontab(hour=2, minute=30),
    },
    "datahub.queue-due-pulls": {
        "task": "dfsp.datahub.tasks.queue_due_pulls",
        "schedule": timedelta(minutes=15),
    },
    "consent.expire-grants": {"task": "dfsp.consent.tasks.expire_grants", "schedule": timedelta(minutes=15)},
    "consent.purge-nonces": {"task": "dfsp.consent.tasks.purge_nonces", "schedule": timedelta(minutes=10)},
    "core.purge-idempotency-records": {
        "task": "dfsp.core.tasks.purge_idempotency_records",
        "schedule": timedelta(hours=1),
    },
}

# --- API ------------------------------------------------------------------------------------
NINJA_PAGINATION_CLASS = "dfsp.core.pagination.PagePagination"
NINJA_PAGINATION_PER_PAGE = 20
NINJA_PAGINATION_MAX_LIMIT = 100
# Keyed hash for API keys; falls back to SECRET_KEY, whose rotation would then invalidate every key.
API_KEY_HMAC_SECRET = env_secret("DFSP_API_KEY_SECRET")
IDEMPOTENCY_KEY_TTL_HOURS = env_int("DFSP_IDEMPOTENCY_TTL_HOURS", 24, minimum=1)

# --- Audit ----------------------------------------------------------------------------------
# 等保 requires at least six months of audit records; a shorter value is refused.
AUDIT_RETENTION_DAYS = env_int("DFSP_AUDIT_RETENTION_DAYS", 365, minimum=184)
# --- Data platform ----------------------------------------------------------------------------
DATAHUB_MAX_UPLOAD_BYTES = env_int("DFSP_DATAHUB_MAX_UPLOAD_MB", 200, minimum=1) * 1024 * 1024
# Financing follow-through: days ahead for repayment and maturity reminders; labelled loans needed
# before a scorecard may be fitted from the platform's own history.
LOANS_REMINDER_DAYS = env_int("DFSP_LOANS_REMINDER_DAYS", 3, minimum=1)
POSTLOAN_MATURITY_REMINDER_DAYS = env_int("DFSP_POSTLOAN_MATURITY_REMINDER_DAYS", 30, minimum=1)
# Hours a complaint may stay in each step before it is late (reminder, then escalation).
COMPLAINT_STEP_HOURS = {
    "submitted": env_int("DFSP_COMPLAINT_ACCEPT_HOURS", 24, minimum=1),
    "accepted": env_int("DFSP_COMPLAINT_ASSIGN_HOURS", 24, minimum=1),
    "assigned": env_int("DFSP_COMPLAINT_REPLY_HOURS", 72, minimum=1),
}
CREDIT_FIT_MIN_SAMPLES = env_int("DFSP_CREDIT_FIT_MIN_SAMPLES", 500, minimum=50)
DATAHUB_PULL_RETRIES = env_int("DFSP_DATAHUB_PULL_RETRIES", 3, minimum=0)
# Keyed pseudonyms in exports; derived from SECRET_KEY when unset (then rotating it changes them).
DATAHUB_PSEUDONYM_KEY = env_secret("DFSP_PSEUDONYM_KEY")

# The platform's SM2 signing key (PEM); generated into VAR_DIR when unset.
SM2_KEY_FILE = env_str("DFSP_SM2_KEY_FILE")

# --- Logging: structured, one JSON object per line, personal data redacted -------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "dfsp.core.logging.RequestIdFilter"},
        "redact": {"()": "dfsp.core.logging.RedactingFilter"},
    },
    "formatters": {"json": {"()": "dfsp.core.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id", "redact"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

PLATFORM_NAME = _("Digital Financial Service Platform")

# --- Wagtail (portal content; owned by dfsp.portal) -----------------------------------------
WAGTAIL_SITE_NAME = "数字金融服务平台"
WAGTAILADMIN_BASE_URL = env_str("DFSP_BASE_URL", "http://127.0.0.1:8000")
# The CMS admin is entered only through the platform's login (password, and TOTP for the roles
# in accounts.roles.TOTP_REQUIRED_ROLES).
WAGTAILADMIN_LOGIN_URL = "accounts:login"
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "doc", "xls", "ofd", "zip", "mp4", "webm"]
# Size limits and content sniffing for CMS documents (a renamed executable is refused).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "dfsp.portal.forms.PortalDocumentForm"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# Keeps role-less users out of /cms/ and relaxes the CSP only there (the admin needs inline styles).
# After the session-security check (TOTP, password age) and inside CSPMiddleware.
MIDDLEWARE.insert(
    MIDDLEWARE.index("dfsp.accounts.middleware.SessionSecurityMiddleware") + 1,
    "dfsp.portal.middleware.CmsAdminMiddleware",
)
CELERY_BEAT_SCHEDULE.update(
    {
        "portal.publish-scheduled": {
            "task": "dfsp.portal.tasks.publish_scheduled",
            "schedule": timedelta(minutes=1),
        },
        "portal.refresh-data-overview": {
            "task": "dfsp.portal.tasks.refresh_data_overview",
            "schedule": timedelta(hours=1),
        },
        "complaints.escalate-overdue": {
            "task": "dfsp.complaints.tasks.escalate_overdue_complaints",
            "schedule": timedelta(minutes=30),
        },
        "matching.match-changes": {
            "task": "dfsp.matching.tasks.match_changes",
            "schedule": timedelta(minutes=5),
        },
        "loans.overdue": {
            "task": "dfsp.loans.tasks.run_overdue_job",
            "schedule": crontab(hour=0, minute=30),
        },
        "loans.due-reminders": {
            "task": "dfsp.loans.tasks.send_due_reminders",
            "schedule": crontab(hour=9, minute=0),
        },
        "postloan.maturity-reminders": {
            "task": "dfsp.postloan.tasks.send_maturity_reminders",
            "schedule": crontab(hour=7, minute=30),
        },
        "enterprises.apply-blacklist-entries": {
            "task": "dfsp.enterprises.tasks.apply_blacklist_entries",
            "schedule": crontab(hour=0, minute=5),
        },
        "postloan.late-deferrals": {
            "task": "dfsp.postloan.tasks.remind_late_deferrals",
            "schedule": timedelta(hours=1),
        },
        "timeliness.flag-late-applications": {
            "task": "dfsp.timeliness.tasks.flag_late_applications",
            "schedule": timedelta(hours=1),
        },
    }
)
LOGGING["loggers"]["django_tasks"] = {"level": "WARNING"}
