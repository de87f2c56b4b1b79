"""Settings for Cảnh Giác 389, all read from the environment (see README, "Configuration")."""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from canhgiac.core.env import env, envbool, envint, envlist

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("CANHGIAC_VAR_DIR", str(BASE_DIR / "var"))).resolve()
# Everything this process writes (database file, keys, uploads, import files, exports) is for the
# service account alone: files 0600, folders 0700, var/ itself 0700 (docs/security.md, "Uploads").
os.umask(0o077)
VAR_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
if VAR_DIR.stat().st_uid == os.getuid():
    VAR_DIR.chmod(0o700)

# "production" requires an explicit SECRET_KEY and turns on secure cookies.
CANHGIAC_ENV = env("CANHGIAC_ENV", "local")
PRODUCTION = CANHGIAC_ENV == "production"
DEBUG = envbool("DEBUG", False)


def _secret_key() -> str:
    key = env("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when CANHGIAC_ENV=production")
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()


def _kept_key(name: str) -> str:
    """A key from the environment, or (outside production) one generated once into var/."""
    value = env(name)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when CANHGIAC_ENV=production")
    path = VAR_DIR / name.lower()
    if not path.exists():
        from cryptography.fernet import Fernet

        path.write_text(Fernet.generate_key().decode())
        path.chmod(0o600)
    return path.read_text().strip()


# Fernet key(s) encrypting tipsters' contact details at rest (docs/security.md). Comma-separated:
# the first encrypts, all decrypt (key rotation).
TIP_CONTACT_KEYS = [k.strip() for k in _kept_key("TIP_CONTACT_KEY").split(",") if k.strip()]
# Fernet key(s) encrypting the goods database's Ed25519 signing keys at rest (docs/goods.md).
# Comma-separated: the first encrypts, all decrypt.
GOODS_KEY_ENCRYPTION_KEYS = [k.strip() for k in _kept_key("GOODS_KEY_ENCRYPTION_KEY").split(",") if k.strip()]
# The public check's copy rule (docs/goods.md): a signed code is "suspicious" when scanned in at
# least GOODS_SUSPICIOUS_COMMUNES communes within GOODS_SUSPICIOUS_HOURS (this scan included), or
# more than GOODS_SUSPICIOUS_SCANS times in all.
GOODS_SUSPICIOUS_COMMUNES = envint("GOODS_SUSPICIOUS_COMMUNES", 3)
GOODS_SUSPICIOUS_HOURS = envint("GOODS_SUSPICIOUS_HOURS", 24)
GOODS_SUSPICIOUS_SCANS = envint("GOODS_SUSPICIOUS_SCANS", 20)
# The check log is written by each process every this many milliseconds (0: in the request).
GOODS_CHECK_LOG_FLUSH_MS = envint("GOODS_CHECK_LOG_FLUSH_MS", 200)
# Public tip submissions allowed per source address and hour (HTTP 429 beyond).
TIP_RATE_LIMIT_PER_HOUR = envint("TIP_RATE_LIMIT_PER_HOUR", 20)
CANHGIAC_BASE_URL = env("CANHGIAC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
CANHGIAC_PERIODIC_SECONDS = envint("CANHGIAC_PERIODIC_SECONDS", 300)
# Hours an export job's file is kept for its owner before the periodic purge deletes it
# (core.exports, docs/architecture.md "Exports").
CANHGIAC_EXPORT_KEEP_HOURS = envint("CANHGIAC_EXPORT_KEEP_HOURS", 24)
# Every worker writes a heartbeat row this often; a worker silent for CANHGIAC_WORKER_TIMEOUT_SECONDS
# is taken for dead by the others, which fail its running jobs (docs/operations.md, "Workers").
CANHGIAC_HEARTBEAT_SECONDS = envint("CANHGIAC_HEARTBEAT_SECONDS", 10)
CANHGIAC_WORKER_TIMEOUT_SECONDS = envint("CANHGIAC_WORKER_TIMEOUT_SECONDS", 120)
# The worker seals audit events every few seconds and anchors the chain's head outside the
# database every CANHGIAC_AUDIT_ANCHOR_MINUTES (docs/audit.md).
CANHGIAC_AUDIT_SEAL_SECONDS = envint("CANHGIAC_AUDIT_SEAL_SECONDS", 5)
CANHGIAC_AUDIT_ANCHOR_MINUTES = envint("CANHGIAC_AUDIT_ANCHOR_MINUTES", 15)
# processes audit-verify checks a long chain with (contiguous spans; docs/audit.md)
CANHGIAC_AUDIT_VERIFY_WORKERS = envint("CANHGIAC_AUDIT_VERIFY_WORKERS", 2)
# "Trước ngày 30/9": due on 30/9 itself (true, the default) or on 29/9 (false); plans and
# reporting both read it through core.dates.before_day (docs/plans.md, docs/reporting.md).
CANHGIAC_BEFORE_DAY_INCLUSIVE = envbool("CANHGIAC_BEFORE_DAY_INCLUSIVE", True)
# Usernames of the 389 committee's head and deputies, told when the Standing Office's report is late.
CANHGIAC_COMMITTEE_LEADERS = envlist("CANHGIAC_COMMITTEE_LEADERS")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

CANHGIAC_PROVINCES = envlist("CANHGIAC_PROVINCES", "dak_lak")

# Behind a reverse proxy (docs/security.md, "Behind a proxy"): the client address is read from
# X-Forwarded-For only when TRUSTED_PROXY is on, counting TRUSTED_PROXY_HOPS proxies from the right.
TRUSTED_PROXY = envbool("TRUSTED_PROXY", False)
TRUSTED_PROXY_HOPS = envint("TRUSTED_PROXY_HOPS", 1) if TRUSTED_PROXY else 0
if TRUSTED_PROXY and TRUSTED_PROXY_HOPS < 1:
    raise ImproperlyConfigured("TRUSTED_PROXY_HOPS must be at least 1 when TRUSTED_PROXY is on")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # its local Swagger UI assets: the API docs load nothing from outside
    "template_partials",
    "django_filters",
    "django_tables2",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "canhgiac.core",
    "canhgiac.directory",
    "canhgiac.accounts",
    "canhgiac.audit",
    "canhgiac.portal",
    "canhgiac.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "canhgiac.core.middleware.RequestLimitsMiddleware",
    # the public check of a code answered without the middleware that do nothing for it
    "canhgiac.goods.middleware.PublicCheckMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "canhgiac.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "canhgiac.core.middleware.SecurityHeadersMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "canhgiac.core.middleware.RequestContextMiddleware",
    "canhgiac.accounts.middleware.TwoFactorRequiredMiddleware",
    "canhgiac.accounts.middleware.PasswordChangeRequiredMiddleware",
    "canhgiac.core.middleware.FiguresOnlyMiddleware",
    "canhgiac.core.middleware.ExternalPrincipalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "canhgiac.core.middleware.DatabaseDownMiddleware",
]

ROOT_URLCONF = "canhgiac.urls"
WSGI_APPLICATION = "canhgiac.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "canhgiac.core.context_processors.shell",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'canhgiac.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web server and the worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# A read replica for dashboards and reports, if configured (see docs/scaling.md).
if env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(env("DATABASE_REPLICA_URL"))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
for _alias in DATABASES.values():
    if _alias["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend with a health check that needs no round trip (core/db/postgresql).
        _alias["ENGINE"] = "canhgiac.core.db.postgresql"
DATABASE_ROUTERS = ["canhgiac.core.dbrouter.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failed sign-ins (django-axes).
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = envbool("AXES_ENABLED", True)
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "canhgiac.core.middleware.client_ip"
# Lockout is per account, not per IP: many officers sign in through one office NAT address
# (docs/security.md). Hence axes.W006 is silenced on purpose.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

OTP_TOTP_ISSUER = "Cảnh Giác 389"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "canhgiac" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Static files are served by the app (WhiteNoise) straight from the apps' folders, so no
# collectstatic step is needed on an offline intranet server.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(env("CANHGIAC_MEDIA_DIR", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# Request bounds (docs/security.md): a whole request body over MAX_REQUEST_BODY_MB is refused by
# its Content-Length before any byte is read (RequestLimitsMiddleware); form fields other than files
# are held in memory up to DATA_UPLOAD_MAX_MEMORY_SIZE; files above FILE_UPLOAD_MAX_MEMORY_SIZE
# stream to a temporary file created 0600.
MAX_REQUEST_BODY_SIZE = envint("MAX_REQUEST_BODY_MB", 60) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if env("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "canhgiac389@localhost")

TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Shared cache (rate limits): Redis when REDIS_URL is set (several app servers), else the database
# so that all gunicorn workers of one machine share counters.
if env("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")}
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "canhgiac_cache"}
    }

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # HSTS: browsers refuse plain HTTP to this host for a year once they have seen it over TLS.
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)

DJANGO_TABLES2_TEMPLATE = "core/table.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Domain apps added by later issues: each is in INSTALLED_APPS and mounts canhgiac.<app>.urls at /<app>/.
CANHGIAC_EXTRA_APPS: list[str] = [
    "subjects",
    "cases",
    "tips",
    "plans",
    "reporting",
    "goods",
    "online",
    "committee",
]
INSTALLED_APPS += [f"canhgiac.{app}" for app in CANHGIAC_EXTRA_APPS]

# The online app (docs/online.md): the risk score from which a listing is flagged, and the hours a
# platform of each kind has to take a listing down (Decree 147/2024: 24 hours; override per kind).
CANHGIAC_ONLINE_FLAG_THRESHOLD = int(env("CANHGIAC_ONLINE_FLAG_THRESHOLD", "50"))
CANHGIAC_ONLINE_TAKEDOWN_HOURS = {"marketplace": 24, "social": 24, "livestream": 24, "website": 24}
