"""Settings, read from the environment with safe development defaults.

Production sets DJANGO_DEBUG=false, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and
DATABASE_URL; see the README and .env.example.
"""

import datetime
import os
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.languages import LANGUAGES as LANGUAGES
from config.languages import install_extra_lang_info

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG=false the site will not "
            "start without a secret key: set DJANGO_SECRET_KEY to a long random "
            "string (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    SECRET_KEY = "development-only-insecure-key"  # noqa: S105 (debug only)

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)

INSTALLED_APPS = [
    # modeltranslation must come before the admin so its admin classes patch it.
    "modeltranslation",
    # auth and contenttypes before services: the roles made after each migrate
    # need their permissions to exist already (services/signals.py).
    "django.contrib.auth",
    "django.contrib.contenttypes",
    # Before the admin, so that our templates in services/templates/admin/
    # override the admin's own.
    "services",
    "services.apps.GuideAdminConfig",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "reversion",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "services.public.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cached public pages leave here, before sessions, routing and templates.
    "services.public.page_cache.PageCacheMiddleware",
    "services.public.compression.PublicCompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "services.admin.compact.AdminIndentationMiddleware",
    "services.public.middleware.GuideLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "services.public.errors.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its answer.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Counts failed sign-ins and locks an account out for a while.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one account from one address pause that pair for 15
# minutes: a stranger who knows a caseworker's username locks out only themselves.
# Addresses are read only while a staff member signs in (services/admin/signin.py);
# they stay in the failed attempts until the cool-off ends, and in no log.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Behind the proxy, REMOTE_ADDR is the proxy's own; it appends the client's.
AXES_CLIENT_IP_CALLABLE = (
    "services.admin.signin.proxied_client_address"
    if env_bool("DJANGO_BEHIND_PROXY", default=False)
    else "services.admin.signin.client_address"
)
AXES_CLIENT_STR_CALLABLE = "services.admin.signin.client_description"
AXES_LOCKOUT_CALLABLE = "services.admin.signin.locked_out"
# Successful sign-ins are in the audit trail, which keeps no address.
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS = ["otp_token"]
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "City services guide"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    # The public pages: Jinja2 (services/public/templating.py). The backend
    # passes `request` itself.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "services.public.templating.environment",
            "context_processors": ["services.public.context_processors.guide"],
        },
    },
    # The admin, which needs Django's template language; our overrides of its
    # templates are in services/templates/admin/.
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_DB_CONN_MAX_AGE", "60")),
        # A connection that has gone bad is noticed at the next request, which
        # then connects again: the site recovers by itself.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer fails a request in seconds, not minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing: a transaction takes the
    # write lock when it begins, and waits up to 20 s for another to finish.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE", timeout=20
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages. The list lives in config/languages.py; Django learns the three it has
# no locale data for when this module is loaded, before any request or template.
install_extra_lang_info()
LANGUAGE_CODE = "en"
LOCALE_PATHS = [BASE_DIR / "services" / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
TIME_ZONE = "America/New_York"
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en",)}
MODELTRANSLATION_REQUIRED_LANGUAGES = ("en",)

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
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

# The public site sets no cookie; sessions exist only for signed-in staff, and
# end after two hours without activity or when the browser closes.
SESSION_COOKIE_AGE = 60 * 60 * 2
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# The admin's messages ("saved", "published") travel in a signed cookie that lives
# for one redirect (Django's default storage). Kept in the session, a message
# could be lost to another request of the same person saving the session at the
# same moment. Residents' pages add no message, so they never set this cookie.

SECURE_CONTENT_TYPE_NOSNIFF = True
# Links to other sites carry no address of ours (and outbound links also say
# rel="noreferrer"); our own forms send their origin, which CSRF checks need.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)

# Behind a proxy that terminates TLS, set DJANGO_BEHIND_PROXY=true.
if env_bool("DJANGO_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

# Whole public pages are cached (services/public/page_cache.py); the bench turns
# this off to measure rendering.
GUIDE_PAGE_CACHE = env_bool("GUIDE_PAGE_CACHE", default=True)


# What a cached page was made by: the same on every host of one deployment, and
# new with each deployment (set it to the commit or release you deploy).
def installed_version() -> str:
    try:
        return version("city-services-guide")
    except PackageNotFoundError:
        return "development"


GUIDE_RELEASE = os.environ.get("GUIDE_RELEASE") or installed_version()
GUIDE_PAGE_CACHE_SECONDS = int(os.environ.get("GUIDE_PAGE_CACHE_SECONDS", "3600"))
# One host: memory of each worker. Several hosts: one Redis for all, with
# DJANGO_CACHE_URL=redis://host:6379/0. Either way a content change reaches every
# worker at once: the content version that keys the cache lives in the database.
CACHE_URL = os.environ.get("DJANGO_CACHE_URL", "")
CACHE_TIMEOUT_SECONDS = float(os.environ.get("DJANGO_CACHE_TIMEOUT", "0.25"))
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "guide",
            "TIMEOUT": 3600,
            # A cache that is slow or gone costs a request a fraction of a second,
            # then pages come from the database (services/public/shared_cache.py).
            "OPTIONS": {
                "socket_connect_timeout": CACHE_TIMEOUT_SECONDS,
                "socket_timeout": CACHE_TIMEOUT_SECONDS,
            },
        }
    }
elif CACHE_URL:
    raise ImproperlyConfigured(
        f"DJANGO_CACHE_URL must start with redis:// or rediss://, not {CACHE_URL!r}."
    )
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "guide",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# Where "Leave this site" goes: a neutral page that says nothing about this one.
GUIDE_QUICK_EXIT_URL = os.environ.get("GUIDE_QUICK_EXIT_URL", "https://www.google.com/")

# The fallback emergency number for pages that must render without the database
# (the 500 page). The site profile in the database holds the one caseworkers edit.
EMERGENCY_NUMBER = os.environ.get("GUIDE_EMERGENCY_NUMBER", "911")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "discard": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # django.request logs 4xx/5xx with the path only; never the client address.
        "django.request": {
            "handlers": ["console"],
            "level": "ERROR",
            "propagate": False,
        },
        # A request for a host the site does not serve gets its 400; scanners send
        # them all day, and a traceback each would bury everything else.
        "django.security.DisallowedHost": {
            "handlers": ["discard"],
            "propagate": False,
        },
    },
}
