"""Settings, all from the environment.

With no environment at all this is a development setup on SQLite, so that a fresh checkout
runs with `make run`. Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    # Development only: a fixed key keeps sessions across restarts of `make run`.
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "xuanwen.core",
    "xuanwen.units",
    "xuanwen.accounts",
    "xuanwen.audit",
    "xuanwen.activities",
    "xuanwen.indicators",
    "xuanwen.records",
    "xuanwen.plans",
    "xuanwen.workdays",
    "xuanwen.facilities",
    "xuanwen.designations",
    "xuanwen.opening",
    "xuanwen.duties",
    "xuanwen.teams",
    "xuanwen.bookhouses",
    "xuanwen.households",
    "xuanwen.reporting",
    "xuanwen.assessment",
    "xuanwen.notices",
    "xuanwen.documents",
    "xuanwen.api",
    "xuanwen.demo",
]

MIDDLEWARE = [
    # First, so that every response carries the policies: static files, redirects, errors.
    "xuanwen.core.middleware.SecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "xuanwen.core.middleware.ChosenLanguageMiddleware",
    # A NUL character in a request is refused before any view or query sees it (PostgreSQL).
    "xuanwen.core.middleware.NulRefusedMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "xuanwen.urls"
WSGI_APPLICATION = "xuanwen.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "xuanwen" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                # The top bar's unread count: at most one small query, none when anonymous.
                "xuanwen.notices.context_processors.notices",
            ],
        },
    },
]

# SQLite unless DATABASE_URL says otherwise ("So one can just check out and run").
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # Kept open across requests: opening one (Django registers its SQL functions, the
            # PRAGMAs run) cost a signed-in page about 2 ms, as much as rendering it.
            "CONN_MAX_AGE": int(os.environ.get("CONN_MAX_AGE", "600")),
            "OPTIONS": {
                # WAL lets readers go on while one writer writes; IMMEDIATE avoids
                # "database is locked" upgrades from read to write inside a transaction.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed logins: after LOGIN_MAX_FAILURES within LOGIN_LOCKOUT_MINUTES a username is locked
# from that source address (only: a stranger elsewhere cannot lock someone out) for the rest of
# that window; an address with LOGIN_ADDRESS_MAX_FAILURES failures over any usernames is refused
# altogether (a throttle on guessing many accounts from one place).
LOGIN_MAX_FAILURES = envint("LOGIN_MAX_FAILURES", 5)
LOGIN_ADDRESS_MAX_FAILURES = envint("LOGIN_ADDRESS_MAX_FAILURES", 20)
LOGIN_LOCKOUT_MINUTES = envint("LOGIN_LOCKOUT_MINUTES", 15)
# The reverse proxies (addresses or networks, e.g. "127.0.0.1,10.0.0.0/8") whose X-Forwarded-For
# is believed when finding a request's source address. Empty: the peer itself is the source, and
# a client's own X-Forwarded-For is ignored. Parsed here so a typo stops the start, not a login.
TRUSTED_PROXIES = [
    str(ipaddress.ip_network(item, strict=False)) for item in envlist("TRUSTED_PROXIES", "")
]

SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = envbool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SESSION_COOKIE_HTTPONLY = True

# Off DEBUG we assume HTTPS terminated by nginx in front (see README).
SECURE = not DEBUG
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", SECURE)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", SECURE)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", SECURE)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", SECURE)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy of every response (core.middleware.SecurityPolicyMiddleware), in the
# shape Django 6.0's own SECURE_CSP takes. Scripts, styles, images and requests from this site
# only, and no inline script, event handler or style attribute anywhere: the templates' few
# behaviours (confirm before delete) live in static/xuanwen/js/xuanwen.js, htmx is configured
# (base.html) to inject no <style> and evaluate nothing, and data a script needs travels as
# json_script (type application/json: data, not code). So neither 'unsafe-inline' nor
# 'unsafe-eval'. data: images: base.html's empty favicon. xuanwen/tests/test_security_headers.py
# keeps the templates free of inline code; the browser walks fail on any violation.
SECURE_CSP: dict[str, list[str] | bool] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# A policy to try out before enforcing it: browsers report its violations but block nothing.
SECURE_CSP_REPORT_ONLY: dict[str, list[str] | bool] = {}
# Browser features no page uses, off for this site and anything it could ever embed. A phone
# photo is taken through <input type="file">'s own picker, which needs no camera permission.
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
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "xuanwen" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Our CSS and htmx live in xuanwen/static/, which is not an app directory.
STATICFILES_DIRS = [BASE_DIR / "xuanwen" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded photos and files: the largest one accepted, in MB (checked per file, message names it).
UPLOAD_MAX_MB = envint("UPLOAD_MAX_MB", 20)
# Uploads above this are spooled to a temporary file instead of RAM, so that a few concurrent
# phone videos cannot exhaust a small server's memory; typical photos (2–5 MB) stay in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Request bodies that are not files (form fields, JSON sent to the API) stay well below a file's
# limit; anything larger is refused before it is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MB", 10) * 1024 * 1024
# A data package (数据包: a data export's workbook with its photos and files, core.packages):
# the largest upload, the most entries, and the most its entries may unpack to, in all.
PACKAGE_MAX_MB = envint("PACKAGE_MAX_MB", 500)
PACKAGE_FILES_MAX = envint("PACKAGE_FILES_MAX", 5000)
PACKAGE_UNPACKED_MAX_MB = envint("PACKAGE_UNPACKED_MAX_MB", 1000)
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

# Long work runs as tasks (Django's tasks API, the django-tasks backport): an import above
# IMPORT_TASK_ROWS data rows is read, checked and saved by a worker while its page shows a
# progress bar. By default the tasks wait in the database and `xuanwen db_worker` runs them
# (`make run` starts one beside the server; production runs it as a service of its own).
# TASKS_BACKEND names another backend: a Redis-based one for a large deployment, or
# "django_tasks.backends.immediate.ImmediateBackend" to run each task inside its request.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
IMPORT_TASK_ROWS = envint("IMPORT_TASK_ROWS", 2000)

NINJA_PAGINATION_PER_PAGE = envint("API_PAGE_SIZE", 50)
NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
