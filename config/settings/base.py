"""Settings shared by every environment; everything that differs comes from the environment.

Each FAZHI_* setting can be overridden by an environment variable of the same name.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("FAZHI_VAR_DIR", BASE_DIR / "var"))


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "fazhi.core",
    "fazhi.ledger",
    "fazhi.draws",
    "fazhi.catalog",
    "fazhi.inspections",
    "fazhi.cases",
    "fazhi.reports",
    "fazhi.portal",
    "fazhi.api",
    "fazhi.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "fazhi.core.middleware.RejectNullCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "fazhi.core.middleware.SessionPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fazhi.core.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "fazhi.core.context_processors.navigation",
            ],
        },
    },
]

# SQLite in WAL mode by default; PostgreSQL through DATABASE_URL.
# synchronous=FULL: the ledger shares this connection, and an acknowledged ledger
# entry must survive power loss (PERF-SECURITY G9).
SQLITE_INIT = (
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
    "PRAGMA busy_timeout=10000;"
)
_default_db_url = f"sqlite:///{VAR_DIR / 'fazhi.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_db_url), conn_max_age=600
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": SQLITE_INIT,
        # Take the write lock at BEGIN so concurrent writers queue instead of failing
        # with "database is locked" halfway through a transaction.
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]

# Password policy. The 等保 profile (composition rules) is the default; set
# FAZHI_PASSWORD_MIN_CLASSES=0 for the ASVS profile (length + breached-list only).
FAZHI_PASSWORD_MIN_LENGTH = env_int("FAZHI_PASSWORD_MIN_LENGTH", 10)
FAZHI_PASSWORD_MIN_CLASSES = env_int("FAZHI_PASSWORD_MIN_CLASSES", 3)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "fazhi.core.passwords.UserAttributeSimilarityValidator"},
    {
        "NAME": "fazhi.core.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": FAZHI_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "fazhi.core.passwords.CommonPasswordValidator"},
    {"NAME": "fazhi.core.passwords.NumericPasswordValidator"},
    {
        "NAME": "fazhi.core.passwords.CharacterClassValidator",
        "OPTIONS": {"min_classes": FAZHI_PASSWORD_MIN_CLASSES},
    },
]

# Login failures (等保 8.1.4.1 b; PERF-SECURITY G13): lock after N failures.
FAZHI_LOCKOUT_THRESHOLD = env_int("FAZHI_LOCKOUT_THRESHOLD", 5)
FAZHI_LOCKOUT_MINUTES = env_int("FAZHI_LOCKOUT_MINUTES", 15)
# Sessions: idle timeout (≤ 30 min) plus an absolute lifetime (ASVS 7.3.1/7.3.2).
FAZHI_IDLE_TIMEOUT_MINUTES = env_int("FAZHI_IDLE_TIMEOUT_MINUTES", 15)
FAZHI_SESSION_MAX_HOURS = env_int("FAZHI_SESSION_MAX_HOURS", 8)
SESSION_COOKIE_AGE = FAZHI_SESSION_MAX_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Roles that must log in with a second factor (TOTP). The three administrators always do.
FAZHI_2FA_ROLES = [r for r in os.environ.get("FAZHI_2FA_ROLES", "").split(",") if r]

# The ledger: hash algorithm fixed per installation (SM3 by default, 国密).
FAZHI_LEDGER_HASH_ALG = os.environ.get("FAZHI_LEDGER_HASH_ALG", "sm3")
FAZHI_LEDGER_ORIGIN = os.environ.get("FAZHI_LEDGER_ORIGIN", "fazhi.dongliao.gov.cn/ledger")
# After a commit that appended to the ledger, sign a checkpoint if the latest one is older
# than this many seconds (0: after every commit; negative: only `fazhi ledger checkpoint`).
FAZHI_LEDGER_CHECKPOINT_SECONDS = env_int("FAZHI_LEDGER_CHECKPOINT_SECONDS", 60)
FAZHI_LEDGER_KEY_FILE = Path(
    os.environ.get("FAZHI_LEDGER_KEY_FILE", VAR_DIR / "keys" / "ledger-ed25519.pem")
)
FAZHI_ATTACHMENT_DIR = Path(os.environ.get("FAZHI_ATTACHMENT_DIR", VAR_DIR / "attachments"))
FAZHI_PUBLIC_BASE_URL = os.environ.get("FAZHI_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
# Excel import of the catalog: the largest upload, whether validation and apply run in the
# request (tests) or in a thread after it, and how long a silent job may run before it is
# marked failed (its process died).
FAZHI_IMPORT_MAX_BYTES = env_int("FAZHI_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
FAZHI_IMPORT_INLINE = env_bool("FAZHI_IMPORT_INLINE", False)
FAZHI_IMPORT_STALE_MINUTES = env_int("FAZHI_IMPORT_STALE_MINUTES", 15)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

NINJA_PAGINATION_PER_PAGE = 50
LOGIN_URL_PATH = "/login/"
