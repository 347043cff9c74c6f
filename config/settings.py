"""Settings for the CAM meetings application.

Everything that differs between a laptop and production comes from the
environment (see the README's configuration table); config/common/env.py parses it
strictly. The defaults give the embedded SQLite development setup, with debug
off unless DJANGO_DEBUG=1.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.common.env import (
    cache_config,
    database_config,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_networks,
    env_path,
    env_seconds,
    env_str,
    env_url,
    mailer_config,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when debug is off (set DJANGO_DEBUG=1 to develop)."
        )
    SECRET_KEY = "development-only-secret-key-never-used-with-debug-off"  # noqa: S105
elif not DEBUG and (
    # What `check --deploy` (security.W009) asks of a key, refused before it can be used.
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-")
):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be at least 50 characters long with at least 5 different "
        "characters (and not Django's 'django-insecure-' placeholder); make one with "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is required when debug is off.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# Proxies whose X-Forwarded-For names the client (throttling counts per client address). The
# default fits README's setup: the app on loopback behind a proxy on the same machine.
TRUSTED_PROXIES = env_networks("DJANGO_TRUSTED_PROXIES", ["127.0.0.1", "::1"])
# Failed sign-ins (or unknown panelist links) from one address, in 15 minutes, before it is
# refused for 15 minutes. Each account also has a limit of its own (config/common/throttle.py).
THROTTLE_ADDRESS_LIMIT = env_int("DJANGO_THROTTLE_ADDRESS_LIMIT", 30, minimum=1)
# The public address, for links in emails and calendar files made outside a request.
SITE_URL = env_url("DJANGO_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, whose forms it extends
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks_db",
    "mechanisms",
    "meetings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.RetryAfterMiddleware",  # every 429 says when to try again
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "meetings.live.middleware.LiveFeedMiddleware",  # the displays' unchanged polls, nothing more
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "config.common.requests.FormBodyMiddleware",  # a POST is a form with every field, or a 400
    "config.middleware.DatabaseUnavailableMiddleware",
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
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Databases and cache: SQLite and an in-process cache by default; PostgreSQL and
# Redis in production, where several app processes must share all state.
DATABASES = {"default": database_config("DATABASE_URL", str(BASE_DIR / "db.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = {
    "default": cache_config(
        "REDIS_URL", timeout=env_seconds("REDIS_TIMEOUT", 0.25, minimum=0.01, maximum=10)
    )
}
# After a failed call, each process leaves Redis alone this long (config/common/shared_cache.py).
REDIS_PAUSE_SECONDS = env_seconds("REDIS_PAUSE_SECONDS", 5, minimum=0, maximum=600)
# The live screens hold a stream of server-sent events (meetings.live.events, served under ASGI)
# and poll live.json only while it cannot be held. Off: they poll, as they do wherever the
# events path reaches no ASGI server.
LIVE_EVENTS = env_bool("LIVE_EVENTS", default=True)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A password reset link works once, within two hours (Django's default is three days).
PASSWORD_RESET_TIMEOUT = 2 * 60 * 60
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Internationalisation: on from the first line. English is the source language.
LANGUAGE_CODE = "en"
# The four official languages of the OAS.
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("pt", _("Portuguese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Texts stored in every language (config/common/translation.py): each has a column per
# language, English is required, and a reader meets the English text where their language's
# column is empty.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_REQUIRED_LANGUAGES = ("en",)
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# The admin shows a text's languages as tabs (jQuery UI tabs), served from here: no CDN.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"
USE_I18N = True
USE_TZ = True
TIME_ZONE = "America/New_York"  # OAS headquarters; each meeting keeps its own zone.
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60

STATIC_URL = "static/"
STATIC_ROOT = env_path("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles")  # collectstatic writes here
STATICFILES_DIRS = [BASE_DIR / "static"]
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

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Background work (emails): Django's tasks, kept in the database and run by its worker
# (`manage.py db_worker`; `make run` starts one beside the web server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Mail: console by default, EMAIL_URL (or the usual EMAIL_* variables) otherwise.
MAILERS = {"default": mailer_config("EMAIL_URL")}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "CAM Technical Secretariat <cam@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. With debug off the app runs behind a TLS-terminating proxy that
# sets X-Forwarded-Proto; plain http is redirected.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 60 * 60  # a working day; a meeting never spans two sign-ins
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)

# Content Security Policy: everything comes from this app; scripts need the
# per-response nonce, and no inline style or script is ever allowed.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],  # Bootstrap draws form controls with data: SVGs
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOG_LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "filters": {"quiet_live_polls": {"()": "config.log_filters.QuietLivePolls"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        # runserver's request log, as Django writes it, without the screens' successful polls
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["quiet_live_polls"],
        },
    },
    "loggers": {
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": env_choice("DJANGO_LOG_LEVEL", "INFO", LOG_LEVELS)},
}
