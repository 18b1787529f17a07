"""Linli settings: one module, read from environment variables.

Defaults give the embedded profile (SQLite file under ``LINLI_DATA_DIR``, jobs
in-process; DEBUG only with ``DEBUG=1``). ``LINLI_PROFILE=production`` switches on
every protection ``manage.py check --deploy`` asks for.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("LINLI_DATA_DIR", str(Path.cwd() / "data")))
PROFILE = env_str("LINLI_PROFILE", "embedded")  # embedded | production
PRODUCTION = PROFILE == "production"

SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else "linli-embedded-insecure-key-change-me")
if PRODUCTION and len(SECRET_KEY) < 50:
    raise RuntimeError("SECRET_KEY must be set to at least 50 random characters in production")
# Never on by default: a debug page shows settings, paths and data of the request.
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "auditlog",
    "linli.common",
    "linli.places",
    "linli.accounts",
    "linli.register",
    "linli.guardianship",
    "linli.rostering",
    "linli.jobs",
    "linli.notifications",
    "linli.dedupe",
    "linli.reports",
    "linli.supplies",
    "linli.services",
    "linli.taskforce",
    "linli.screening",
    "linli.deliveries",
    "linli.reach",
    "linli.offline",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "linli.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "linli.offline.middleware.OutboxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
    "linli.common.replica.PinAfterWriteMiddleware",
]

ROOT_URLCONF = "linli.urls"
WSGI_APPLICATION = "linli.wsgi.application"

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
                "linli.common.context.navigation",
            ],
        },
    },
]


def _database() -> dict:
    url = env_str("DATABASE_URL")
    if not url:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "linli.sqlite3"),
            # WAL lets readers go on while one writer writes; the pragmas are set per connection.
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
            # Tests use a file too: an in-memory shared-cache database takes table locks
            # that ignore busy_timeout, so background job threads would fail at random.
            "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
        }
    pooled = env_bool("DB_POOL", False)
    config = dj_database_url.parse(
        url, conn_max_age=0 if pooled else env_int("DB_CONN_MAX_AGE", 60)
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;"}
    elif pooled:
        # psycopg's connection pool, one per process: gunicorn and Celery workers each keep
        # a few open connections instead of opening one per request.
        config["OPTIONS"] = {
            "pool": {"min_size": env_int("DB_POOL_MIN", 2), "max_size": env_int("DB_POOL_MAX", 8)}
        }
    return config


DATABASES = {"default": _database()}
# Officers' read-only pages on a streaming replica (linli.common.replica). In tests the
# alias mirrors the primary's test database; the replica tests point it at the replica.
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL"), conn_max_age=env_int("DB_CONN_MAX_AGE", 60)
    ) | {"TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["linli.common.replica.ReplicaRouter"]
# After a write, the writer reads from the primary this long (read-your-writes).
LINLI_REPLICA_PIN_SECONDS = env_int("LINLI_REPLICA_PIN_SECONDS", 10)
# Whether the replica, when configured, serves those reads (the tests turn it off but in
# the replica tests).
LINLI_REPLICA_READS = env_bool("LINLI_REPLICA_READS", True)
# Officers' roll-ups per place and day are cached this long, or until a report below is
# submitted (linli.screening.selectors.forget_rollups). Short: a roll-up read from a
# lagging replica just after a submission is stale for at most this long.
LINLI_ROLLUP_CACHE_SECONDS = env_int("LINLI_ROLLUP_CACHE_SECONDS", 60)
# Several web processes share one cache (Redis) so a submission clears every process's
# roll-ups; the embedded single process keeps Django's in-memory cache.
if env_str("LINLI_CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("LINLI_CACHE_URL"),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failed attempts for one
# username from one IP address, that pair is locked out for AXES_COOLOFF_MINUTES.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Behind nginx (the deploy recipe) the client's address is the right-most X-Forwarded-For
# entry; LINLI_PROXY_COUNT says how many proxies of ours stand in front of Django.
LINLI_PROXY_COUNT = env_int("LINLI_PROXY_COUNT", 1 if PRODUCTION else 0)
AXES_CLIENT_IP_CALLABLE = "linli.accounts.clientip.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Two-factor sign-in (django-otp, TOTP): required for secretaries, officers and system
# administrators when on. On by default in production, off in the embedded/demo profile.
LINLI_REQUIRE_2FA = env_bool("LINLI_REQUIRE_2FA", PRODUCTION)
OTP_TOTP_ISSUER = "Linli"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
# Uploaded files (contact photos) are personal data: under the data directory, never in the
# code's directory, and not served as static files (no MEDIA_URL route).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content Security Policy: scripts only from Linli itself (htmx is served locally, no inline
# script anywhere); inline style attributes are allowed, nothing else from outside.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Audit: who changed what. The remote address is personal data of staff; keep it.
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_MASK_CALLABLE = "linli.common.audit.mask_value"
AUDITLOG_DISABLE_REMOTE_ADDR = False

# Background jobs: "thread" (in-process pool, the embedded default) or "eager" (tests).
# Days after a person moves out, or a quarantine ends, before their data is anonymised.
LINLI_RETENTION_DAYS = env_int("LINLI_RETENTION_DAYS", 180)
LINLI_JOBS = env_str("LINLI_JOBS", "thread")  # thread | celery | eager (tests)
# The Celery backend (LINLI_JOBS=celery): Redis as broker; results live in the Job table.
CELERY_BROKER_URL = env_str("LINLI_REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_DEFAULT_QUEUE = env_str("LINLI_JOBS_QUEUE", "linli")
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-job gives the message back
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Where people open Linli: links in emails are made from it.
LINLI_BASE_URL = env_str("LINLI_BASE_URL", "http://127.0.0.1:8000")
# Outbound HTTP (linli.common.outbound): only https to these hosts, the group-robot servers
# Linli supports (WeCom, DingTalk), each resolving to public addresses only.
LINLI_WEBHOOK_HOSTS = env_list("LINLI_WEBHOOK_HOSTS", "qyapi.weixin.qq.com,oapi.dingtalk.com")
# Tests only: a listed host may also be a robot on loopback over plain http.
LINLI_WEBHOOK_TEST_LOOPBACK = env_bool("LINLI_WEBHOOK_TEST_LOOPBACK", False)
if PRODUCTION and LINLI_WEBHOOK_TEST_LOOPBACK:
    raise RuntimeError("LINLI_WEBHOOK_TEST_LOOPBACK is for tests; it is refused in production")

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "linli@localhost")

# Logs carry ids and codes, never names, ID numbers or phone numbers.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        # One JSON object per line in production, for journald / a log shipper.
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env_str("LOG_FORMAT", "json" if PRODUCTION else "plain"),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Daily screening: when each level's daily report is due (local time, HH:MM); reminders of
# missing reports go out after it (linli.screening, job screening.remind_reports).
SCREENING_REPORT_DEADLINES = {
    level: env_str(f"LINLI_REPORT_DEADLINE_{level.upper()}", "10:00")
    for level in ("community", "street", "district")
}

# SMS/voice providers are reached through linli.common.outbound too, limited to LINLI_REACH_HOSTS.
# Reaching residents by SMS and voice (linli.reach). The backend is chosen like Django's
# email backends: console, file, locmem for development and tests; aliyun_sms, aliyun_voice,
# tencent_sms for the providers (credentials from the environment, never from the database).
LINLI_REACH_SMS_BACKEND = env_str("LINLI_REACH_SMS_BACKEND", "console")
LINLI_REACH_VOICE_BACKEND = env_str("LINLI_REACH_VOICE_BACKEND", "console")
LINLI_REACH_FILE_PATH = Path(env_str("LINLI_REACH_FILE_PATH", str(DATA_DIR / "reach")))
LINLI_REACH_HOSTS = env_list(
    "LINLI_REACH_HOSTS",
    "dysmsapi.aliyuncs.com,dyvmsapi.aliyuncs.com,dyplsapi.aliyuncs.com,sms.tencentcloudapi.com",
)
LINLI_REACH_ALIYUN_SMS_URL = env_str("LINLI_REACH_ALIYUN_SMS_URL", "https://dysmsapi.aliyuncs.com/")
LINLI_REACH_ALIYUN_VOICE_URL = env_str(
    "LINLI_REACH_ALIYUN_VOICE_URL", "https://dyvmsapi.aliyuncs.com/"
)
LINLI_REACH_TENCENT_SMS_URL = env_str(
    "LINLI_REACH_TENCENT_SMS_URL", "https://sms.tencentcloudapi.com/"
)
ALIBABA_CLOUD_ACCESS_KEY_ID = env_str("ALIBABA_CLOUD_ACCESS_KEY_ID", "")
ALIBABA_CLOUD_ACCESS_KEY_SECRET = env_str("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "")
TENCENTCLOUD_SECRET_ID = env_str("TENCENTCLOUD_SECRET_ID", "")
TENCENTCLOUD_SECRET_KEY = env_str("TENCENTCLOUD_SECRET_KEY", "")
LINLI_REACH_TENCENT_SDK_APP_ID = env_str("LINLI_REACH_TENCENT_SDK_APP_ID", "")
LINLI_REACH_TENCENT_REGION = env_str("LINLI_REACH_TENCENT_REGION", "ap-guangzhou")
# Signature name (签名) and the approved template per purpose, as the providers require.
LINLI_REACH_SMS_SIGN = env_str("LINLI_REACH_SMS_SIGN", "")
LINLI_REACH_TEMPLATES = {
    purpose: env_str(f"LINLI_REACH_TEMPLATE_{purpose.upper()}", "")
    for purpose in ("checkin", "rollcall")
}
LINLI_REACH_CALLED_SHOW_NUMBER = env_str("LINLI_REACH_CALLED_SHOW_NUMBER", "")
# Shared secret of this deployment: callbacks carry X-Linli-Signature: t=<unix>,v1=<hmac>.
LINLI_REACH_CALLBACK_SECRET = env_str("LINLI_REACH_CALLBACK_SECRET", "")
# Price per message in fen (分), for the daily cost counters and the spend cap.
LINLI_REACH_COST_FEN = {
    "sms": env_int("LINLI_REACH_SMS_FEN", 5),
    "voice": env_int("LINLI_REACH_VOICE_FEN", 12),
}
LINLI_REACH_TIMEOUT = float(env_str("LINLI_REACH_TIMEOUT", "10"))
# A claimed message whose sender died is sent again after this (same OutId; answers count once).
LINLI_REACH_STALE_SECONDS = env_int("LINLI_REACH_STALE_SECONDS", 300)
