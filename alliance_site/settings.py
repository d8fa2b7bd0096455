"""Settings for the alliance site, read from the environment through django-environ.

Development needs nothing set: `make run` writes a `.env` (DEBUG=1 and a generated SECRET_KEY) that
every `manage.py` command then reads. Variables set in the environment win over `.env`. Production
needs SECRET_KEY and ALLOWED_HOSTS, and normally DATABASE_URL (PostgreSQL) and REDIS_URL; see README.md.

The test suite reads the environment only, never `.env` (pytest sets PYTEST_VERSION, which every
process it starts inherits), and gives its databases and cache keys names of their own run.
"""

import os
import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from core.clients import parse_networks

BASE_DIR = Path(__file__).resolve().parent.parent
TESTING = "PYTEST_VERSION" in os.environ

env = environ.Env()
ENV_FILE = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE and not TESTING:
    env.read_env(ENV_FILE)  # sets only the variables the environment does not have


# Values are read as written: django-environ's own readers would take a value starting with "$" (a
# possible secret key or password) for the name of another variable.
def env_str(name, default=""):
    """The environment variable `name` as written, `default` when unset or empty."""
    return os.environ.get(name) or default


def env_bool(name, default=False):
    """The environment variable `name` as a boolean: 1/true/yes/on (any case) are true; unset or empty is `default`."""
    value = env_str(name).strip()
    if not value:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    """The environment variable `name` as an integer, `default` when unset or empty.

    Raises ImproperlyConfigured naming the variable when the value is not a whole number.
    """
    value = env_str(name).strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name, default=()):
    """The environment variable `name` as a list of its comma-separated items, blanks dropped; `default` when unset."""
    value = env_str(name)
    if not value:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (export SECRET_KEY=... or DEBUG=1, or run `make run` once "
            "to write a .env for development)."
        )
    SECRET_KEY = "django-insecure-development-key-never-used-in-production"  # noqa: S105

# Under test, each run has a token of its own (set once, inherited by the processes it starts), so that
# runs in one checkout or on one database server do not remove each other's databases and cache keys.
TEST_RUN = os.environ.setdefault("TEST_RUN", secrets.token_hex(4)) if TESTING else ""
TEST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The reverse proxies in front of the app servers: only from these addresses are X-Forwarded-For
# and X-Forwarded-Proto believed (core/clients.py); gunicorn.conf.py reads the same value.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
try:
    parse_networks(TRUSTED_PROXIES)
except ValueError as error:
    raise ImproperlyConfigured(
        f"TRUSTED_PROXIES: {error} (use addresses and networks such as 10.0.0.5,10.1.0.0/16)."
    ) from None
if env_bool("BEHIND_HTTPS_PROXY"):
    raise ImproperlyConfigured(
        "BEHIND_HTTPS_PROXY is replaced by TRUSTED_PROXIES: set it to the proxy's addresses instead."
    )

INSTALLED_APPS = [
    "modeltranslation",  # must precede django.contrib.admin
    "alliance_site",  # before admin so its admin templates take precedence
    "core",
    "alliance_site.apps.AllianceAdminConfig",  # django.contrib.admin with the site's admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_prose_editor",
    "imagekit",
    "reversion",
    "import_export",
    "axes",
    "compliance",
    "members",
    "offices",
    "membership",
    "events",
    "news",
    "api",
    "ninja",
    "corsheaders",
]

MIDDLEWARE = [
    # First, so that no other part of the site sees forwarded headers a client wrote itself.
    "core.middleware.UntrustedForwardedHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outermost, so that every response carries them: static files, cached pages, errors.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    # The API's CORS headers, rate limit, language and JSON errors (before the page cache: cached
    # answers are counted and get their CORS headers too).
    "corsheaders.middleware.CorsMiddleware",
    "api.middleware.ApiMiddleware",
    "core.middleware.NulCharacterMiddleware",
    "core.cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last: it only looks at responses that are 404s (old addresses of the previous site).
    "news.redirects.RedirectFallbackMiddleware",
]

ROOT_URLCONF = env_str("ROOT_URLCONF", "alliance_site.urls")
WSGI_APPLICATION = "alliance_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alliance_site.context_processors.site",
            ],
        },
    },
]

# Database: SQLite in the project by default; PostgreSQL (psycopg 3) through DATABASE_URL.
DATABASE_ENGINES = ("django.db.backends.sqlite3", "django.db.backends.postgresql")
DATABASES = {"default": env.db_url_config(env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))}
if DATABASES["default"].get("ENGINE") not in DATABASE_ENGINES:
    raise ImproperlyConfigured(
        "DATABASE_URL not understood: use postgres://user:password@host:5432/name or sqlite:///path/to/file."
    )
DATABASES["default"].update(CONN_MAX_AGE=env_int("CONN_MAX_AGE", 600), CONN_HEALTH_CHECKS=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not memory, so that tests can close and reopen the connection like production.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".test-db-{TEST_RUN}.sqlite3")}
else:
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    if TESTING:
        DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{TEST_RUN}"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_settings(url):
    """The default cache for CACHE_URL or REDIS_URL: redis://... (or rediss://, unix://), locmem:// (default) or dummy://.

    Returns a CACHES entry. Raises ImproperlyConfigured for any other URL.
    """
    if not url or url.startswith("locmem://"):
        # Room for a page-cache tag per article and event (Django's default, 300 keys, culls a third
        # of the cache, the site settings and content version too, once a few hundred are saved).
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "alliance",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    if url.startswith("dummy://"):
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "-".join(filter(None, [env_str("CACHE_KEY_PREFIX", "alliance"), TEST_RUN, TEST_WORKER])),
            "OPTIONS": {
                # A cache outage must slow the site down, never take it down.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    raise ImproperlyConfigured(
        f"CACHE_URL/REDIS_URL not understood: {url.split('://')[0]}://... (use redis://, locmem:// or dummy://)."
    )


CACHES = {"default": cache_settings(env_str("CACHE_URL") or env_str("REDIS_URL"))}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 86400)
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
# Rows and template fragments shared by many renders (core.cache.versioned, {% cache %}), keyed by
# the versions of what they show: used with the page cache off too (signed-in visitors).
FRAGMENT_CACHE_ENABLED = env_bool("FRAGMENT_CACHE_ENABLED", True)
# The API (/api/v1/): requests per client address and window before 429 (0: no limit), and the
# origins whose pages may read it from a browser (CORS; scheme://host[:port], comma-separated).
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 300)
API_RATE_WINDOW = env_int("API_RATE_WINDOW_SECONDS", 60)
CORS_ALLOWED_ORIGINS = env_list("API_CORS_ORIGINS", [])
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified", "Retry-After")
# A visitor's views of one article count once in this many seconds (news.counting).
VIEW_COUNT_WINDOW_SECONDS = env_int("VIEW_COUNT_WINDOW_SECONDS", 1800)

# Review before publication (core.review): Editors submit, Reviewers approve. 0 lets Editors publish directly.
REVIEW_REQUIRED = env_bool("REVIEW_REQUIRED", True)

SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling: five failures for one username from one address lock that pair for an hour,
# so failures from one address never lock the right person out at another. The address is the
# client's, not the proxy's (core/clients.py).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "alliance_site/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.clients.client_ip"

# Roster import and export in the admin: importing changes rows, exporting shows them.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# Languages: Simplified Chinese without a URL prefix, English under /en/, Traditional under /zh-hant/.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("en", "English"),
    ("zh-hant", "繁體中文"),
]
LOCALE_PATHS = [BASE_DIR / "alliance_site" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"

MODELTRANSLATION_DEFAULT_LANGUAGE = "zh-hans"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("zh-hans",), "zh-hans": ()}
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "zh-hans"
JQUERY_UI_URL = "alliance_site/vendor/jquery-ui/jquery-ui.min.js"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if env_str("AWS_STORAGE_BUCKET_NAME"):
    # S3-compatible object storage; credentials and endpoint come from the AWS_* variables.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "custom_domain": env_str("AWS_S3_CUSTOM_DOMAIN") or None,
            "file_overwrite": False,
            "querystring_auth": False,
        },
    }

# Uploads: limits that editors see as form errors.
UPLOAD_IMAGE_MAX_BYTES = env_int("UPLOAD_IMAGE_MAX_BYTES", 10 * 1024 * 1024)
UPLOAD_IMAGE_MAX_PIXELS = env_int("UPLOAD_IMAGE_MAX_PIXELS", 40_000_000)
UPLOAD_ATTACHMENT_MAX_BYTES = env_int("UPLOAD_ATTACHMENT_MAX_BYTES", 30 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o644

IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY = "imagekit.cachefiles.strategies.Optimistic"
IMAGEKIT_CACHEFILE_DIR = "renditions"

# Security headers. Public pages run no inline script; the admin gets its own policy.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    CSRF_COOKIE_HTTPONLY = True  # the admin sends the token from its forms, never from script
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

SITE_NAME = "苏州市工业互联网产业联盟"

# E-mail: EMAIL_URL as django-environ reads it, e.g.
# smtp+tls://user:password@smtp.example.org:587; the console in development.
_email = env.email_url_config(env_str("EMAIL_URL", "consolemail://" if DEBUG else "smtp://localhost:25"))
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS", False),
    "use_ssl": _email.get("EMAIL_USE_SSL", False),
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": _smtp_options if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's address, for links in e-mails sent outside a request (renewal reminders).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Registrants' personal data is erased this many days after their event ends (erase_registrants).
EVENT_PERSONAL_DATA_DAYS = env_int("EVENT_PERSONAL_DATA_DAYS", 90)

# Membership (membership/): the portal's sign-in, how long links and personal data are kept.
LOGIN_URL = "membership:portal-login"
MEMBERSHIP_STATUS_LINK_MAX_AGE_DAYS = env_int("MEMBERSHIP_STATUS_LINK_MAX_AGE_DAYS", 365)
MEMBERSHIP_APPLICATION_RETENTION_DAYS = env_int(
    "MEMBERSHIP_APPLICATION_RETENTION_DAYS", 365
)  # the privacy policy says one year
MEMBERSHIP_RENEWAL_NOTICE_DAYS = env_int("MEMBERSHIP_RENEWAL_NOTICE_DAYS", 30)
MEMBERSHIP_APPLICATIONS_PER_HOUR = env_int("MEMBERSHIP_APPLICATIONS_PER_HOUR", 5)
PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600  # a liaison's invitation link: a week
