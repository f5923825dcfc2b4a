"""chibo settings.

Everything is read from the environment (see `.env.example`). With no environment at all
the app runs in its embedded default: SQLite in the project folder, Celery tasks run
eagerly in-process and e-mail is printed to the console.
"""

from email.utils import parseaddr
from pathlib import Path

import environ
from celery.schedules import crontab
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A developer's .env is optional; production sets real environment variables.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str(
    "SECRET_KEY",
    default="dev-only-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz",
)
if not DEBUG and SECRET_KEY.startswith("dev-only-"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The admin, auth, axes and pghistory under their Vietnamese names (chibo/app_configs.py).
INSTALLED_APPS = [
    "chibo.app_configs.AdminConfig",
    "chibo.app_configs.AuthConfig",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "chibo.app_configs.AxesConfig",
    "pgtrigger",
    "chibo.app_configs.PGHistoryConfig",
    "pghistory.admin",
    "chibo",
    "meetings",
]

MIDDLEWARE = [
    # First, so every response (redirects, errors) carries the request id.
    "chibo.middleware.RequestIdMiddleware",
    # Before anything reads request.GET/POST (CSRF, axes, the views).
    "chibo.middleware.StripNullCharactersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "chibo.security.sessions.SessionTrackingMiddleware",
    "chibo.history.HistoryMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "chibo.urls"

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
                "meetings.context_processors.navigation",
                "csp.context_processors.nonce",
            ],
        },
    },
]

WSGI_APPLICATION = "chibo.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# Read replicas (chibo/db_router.py, deploy/OPERATIONS.md): comma-separated URLs of streaming
# replicas. Unset: no router, no middleware, every query on "default".
for _number, _url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[]), start=1):
    DATABASES[f"replica{_number}"] = {
        **environ.Env.db_url_config(_url),
        "ATOMIC_REQUESTS": False,
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        # Tests: the same test database as "default", no database of its own.
        "TEST": {"MIRROR": "default"},
    }
DATABASE_REPLICAS = [alias for alias in DATABASES if alias.startswith("replica")]
# After a POST the browser reads from the primary this long (longer than any replica lag).
DATABASE_REPLICA_PIN_SECONDS = env.int("DATABASE_REPLICA_PIN_SECONDS", default=10)
# The heavy read pages whose GETs may be served by a replica.
DATABASE_REPLICA_VIEWS = env.list(
    "DATABASE_REPLICA_VIEWS",
    default=[
        "dashboard:home",
        "dashboard:org",
        "dashboard:cell",
        "dashboard:export",
        "library:index",
        "library:detail",
        "minutes:register",
        "minutes:register_export",
        "archive:cell",
        "archive:org",
    ],
)
if DATABASE_REPLICAS:
    DATABASE_ROUTERS = ["chibo.db_router.ReplicaRouter"]
    # Before the session: the whole request, session writes included, runs inside its scope.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "chibo.db_router.ReplicaReadsMiddleware",
    )
# PgBouncer in transaction mode (deploy/pgbouncer/): a server connection serves one transaction
# of one client, so nothing may outlive a transaction. Server-side cursors (.iterator()) do.
DATABASE_POOLER = env.str("DATABASE_POOLER", default="")
if DATABASE_POOLER == "pgbouncer":
    for _database in DATABASES.values():
        _database["DISABLE_SERVER_SIDE_CURSORS"] = True
        # Keeping the connection to PgBouncer is cheap; check it before reuse after a restart.
        _database["CONN_HEALTH_CHECKS"] = True
elif DATABASE_POOLER:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DATABASE_POOLER must be empty or 'pgbouncer'.")
# History context (who, which URL) is attached to the writes of unsafe requests only: a GET
# writes nothing, and attaching it would wrap every read query of every page.
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# The admin lists the recorded changes under a Vietnamese name (a proxy of pghistory.Events).
PGHISTORY_ADMIN_MODEL = "meetings.HistoryEvent"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "meetings.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "chibo.security.hashers.ChiboArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "chibo.security.passwords.SimilarityValidator"},
    {"NAME": "chibo.security.passwords.LengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "chibo.security.passwords.CommonValidator"},
    {"NAME": "chibo.security.passwords.NumericValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses logins of a locked-out user before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "chibo.security.auth.ChiboModelBackend",
]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Lockouts count per user AND real client address (chibo/security/client_ip.py), not per
# nginx's 127.0.0.1: one attacker must not lock the account for everyone else.
AXES_CLIENT_IP_CALLABLE = "chibo.security.client_ip.client_ip"
# Reverse proxies in front of gunicorn (deploy/OPERATIONS.md). 0: none, REMOTE_ADDR is the
# client and X-Forwarded-For is ignored. The shipped nginx layout: 1, from loopback.
CHIBO_PROXY_COUNT = env.int("CHIBO_PROXY_COUNT", default=0)
# Where the last proxy connects from (IPs or CIDR networks); a header from anywhere else is ignored.
CHIBO_TRUSTED_PROXIES = env.list("CHIBO_TRUSTED_PROXIES", default=["127.0.0.1", "::1"])


def _check_proxy_settings():
    import ipaddress

    from django.core.exceptions import ImproperlyConfigured

    if CHIBO_PROXY_COUNT < 0:
        raise ImproperlyConfigured("CHIBO_PROXY_COUNT must be 0 or more.")
    for entry in CHIBO_TRUSTED_PROXIES:
        try:
            ipaddress.ip_network(entry.strip(), strict=False)
        except ValueError:
            raise ImproperlyConfigured(f"CHIBO_TRUSTED_PROXIES: {entry!r} is not an IP or a network.") from None


_check_proxy_settings()

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
# Django's and the third-party apps' own messages in a party office's wording (login error,
# admin titles, …); these come before the packages' translations.
LOCALE_PATHS = [BASE_DIR / "chibo" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
FORMAT_MODULE_PATH = ["chibo.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed names let nginx/whitenoise cache static files for a year (immutable).
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploaded files are never served directly; they go through permission-checked views.
MEDIA_URL = "/media-not-served/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail -----------------------------------------------------------------------------
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="chibo <no-reply@chibo.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who gets the daily integrity check's alert, besides the active superusers with an address
# (verify_integrity, deploy/OPERATIONS.md): "Name <address>" entries, comma separated.
ADMINS = [parseaddr(entry) for entry in env.list("ADMINS", default=[]) if parseaddr(entry)[1]]
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Only the load test turns this on (bench/load): a bare view to compare throughput with.
CHIBO_BENCH_BARE_VIEW = env.bool("CHIBO_BENCH_BARE_VIEW", default=False)

# Django's cache holds data only (never rendered pages). On Redis it is shared by every
# process and machine; its own database number keeps cache.clear() away from the broker.
CACHE_URL = env.str("CACHE_URL", default="")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "chibo",
            "TIMEOUT": env.int("CACHE_SECONDS", default=3600),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery -----------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must not hang a request when Redis is down: the outbox sweeper catches up.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    # Unacked tasks of a killed worker come back after this; the sweeper usually wins first.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}
# Broker high availability (deploy/OPERATIONS.md, "Redis Sentinel"): REDIS_URL may name the
# Sentinels, `sentinel://10.0.0.1:26379/0;sentinel://10.0.0.2:26379/0;…`; kombu asks them for
# the current primary of REDIS_SENTINEL_MASTER and asks again after a fail-over.
if REDIS_URL.startswith("sentinel://"):
    CELERY_BROKER_TRANSPORT_OPTIONS["master_name"] = env.str("REDIS_SENTINEL_MASTER", default="chibo")
    CELERY_BROKER_TRANSPORT_OPTIONS["sentinel_kwargs"] = {"socket_timeout": 1, "socket_connect_timeout": 1}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="chibo")
# Queues (deploy/OPERATIONS.md, "Hàng đợi"): in a large installation one worker unit per queue
# (deploy/systemd/chibo-worker@.service), so a flood of reminder mail never waits in front of a
# finalisation's mail with its PDFs, nor a night job in front of either. A worker started
# without -Q (`make worker`, chibo-worker.service) consumes every queue listed here.
CELERY_TASK_QUEUES = [Queue(name) for name in (CELERY_TASK_DEFAULT_QUEUE, "email", "documents", "reports")]
CELERY_TASK_ROUTES = (
    # Outbox batches: "documents" when they carry the minutes or a topic, else "email".
    "chibo.celery.route_outbox_batch",
    {
        # The sweeper finds due rows and enqueues their batches (routed above).
        "meetings.tasks.send_due": {"queue": "email"},
        # The jobs that walk every cell: reminders and warnings written in bulk, the rollups.
        "meetings.tasks.create_reminders": {"queue": "reports"},
        "meetings.tasks.quarter_watch": {"queue": "reports"},
        "meetings.tasks.compliance_check": {"queue": "reports"},
        "meetings.tasks.action_items_late": {"queue": "reports"},
        "meetings.tasks.integrity_check": {"queue": "reports"},
    },
)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Time limits of every task, in seconds (meetings/tasks.py gives the jobs that walk every cell
# longer ones). A batch of outbox mail cut short hands its unsent rows back or to the sweeper.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=270)
# Outbox delivery (meetings/services/notifications/): the only place for these defaults.
NOTIFICATIONS = {
    "MAX_ATTEMPTS": env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=5),
    "RETRY_BASE_SECONDS": env.float("NOTIFICATIONS_RETRY_BASE_SECONDS", default=60),
    "RETRY_MAX_SECONDS": env.float("NOTIFICATIONS_RETRY_MAX_SECONDS", default=3600),
    # A row left in "sending" longer than this (worker killed mid-send) is sent again.
    "CLAIM_TIMEOUT_SECONDS": env.int("NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS", default=300),
    "BATCH_SIZE": env.int("NOTIFICATIONS_BATCH_SIZE", default=100),
    "SWEEP_SECONDS": env.float("NOTIFICATIONS_SWEEP_SECONDS", default=60),
    "SWEEP_LIMIT": env.int("NOTIFICATIONS_SWEEP_LIMIT", default=20000),
    # Days before the meeting when members who have not replied are asked again.
    "REPLY_REMINDER_DAYS": env.list("CHIBO_REPLY_REMINDER_DAYS", cast=int, default=[3]),
    # Local hour at which date-based reminders (deadlines, quarter watch) go out.
    "MORNING_HOUR": env.int("NOTIFICATIONS_MORNING_HOUR", default=7),
}

# One beat process only (see README). The sweeper is the safety net that sends every due,
# unsent outbox row, so a lost trigger or a dead worker only delays mail.
CELERY_BEAT_SCHEDULE = {
    "notifications-sweep": {"task": "meetings.tasks.send_due", "schedule": NOTIFICATIONS["SWEEP_SECONDS"]},
    "notifications-reminders": {"task": "meetings.tasks.create_reminders", "schedule": crontab(hour=5, minute=30)},
    "notifications-quarter-watch": {"task": "meetings.tasks.quarter_watch", "schedule": crontab(hour=6, minute=0)},
    # Recompute the current and previous quarter's figures, repair and log any drift.
    "compliance-check": {"task": "meetings.tasks.compliance_check", "schedule": crontab(hour=2, minute=30)},
    # Recompute the hash chains of sealed records and the stored files; mail the administrators
    # on any mismatch (verify_integrity).
    "integrity-check": {"task": "meetings.tasks.integrity_check", "schedule": crontab(hour=3, minute=15)},
    # Action items whose due date has just passed count as late on the committee's dashboard.
    "action-items-late": {"task": "meetings.tasks.action_items_late", "schedule": crontab(hour=0, minute=20)},
}

# --- Domain rules (DOMAIN.md, marked configurable) --------------------------------------
CHIBO = {
    "MATERIALS_MIN_DAYS_BEFORE": env.int("CHIBO_MATERIALS_MIN_DAYS_BEFORE", default=1),
    "MIN_DURATION_MINUTES": env.int("CHIBO_MIN_DURATION_MINUTES", default=90),
    "MIN_DURATION_COMBINED_MINUTES": env.int("CHIBO_MIN_DURATION_COMBINED_MINUTES", default=120),
    "QUALITY_MIN_ATTENDANCE_RATE": env.float("CHIBO_QUALITY_MIN_ATTENDANCE_RATE", default=0.85),
    "UNEXCUSED_ABSENCE_FLAG_MONTHS": env.int("CHIBO_UNEXCUSED_ABSENCE_FLAG_MONTHS", default=3),
    # Full members attending here temporarily from elsewhere: counted among the resolution's
    # voters or not (practice varies; DOMAIN.md §8 "Votes").
    "VOTES_COUNT_VISITING": env.bool("CHIBO_VOTES_COUNT_VISITING", default=False),
    "GRADE_THRESHOLDS": {"good": 90, "fair": 70, "average": 50},
    # The recorded grade is capped by measured facts (DOMAIN.md §8 "Quality grade"):
    # (fact, highest grade allowed when it holds); a fact left out caps nothing.
    "GRADE_CAPS": [
        ("attendance_low", "fair"),  # rate at or below QUALITY_MIN_ATTENDANCE_RATE
        ("absence_unexcused", "fair"),
        ("duration_short", "fair"),  # under MIN_DURATION_(COMBINED_)MINUTES
        ("materials_late", "fair"),  # notice under MATERIALS_MIN_DAYS_BEFORE, or none
        ("step_missing", "average"),  # one of the nine steps not recorded
    ],
    # Quality criteria of a thematic meeting: (key, label, max points); the maxima sum to 100.
    "QUALITY_CRITERIA": [
        ("preparation", "Chuẩn bị chu đáo: đề dẫn, tham luận, tài liệu gửi trước", 20),
        ("attendance", "Đảng viên dự họp đầy đủ", 15),
        ("procedure", "Thực hiện đúng trình tự, đủ thời lượng", 15),
        ("discussion", "Thảo luận sôi nổi, liên hệ bản thân, chi bộ, cơ quan", 25),
        ("conclusion", "Kết luận rõ, có giải pháp và định hướng thực hiện", 15),
        ("minutes", "Biên bản ghi đầy đủ, đúng thể thức", 10),
    ],
    "MEETING_REMINDER_DAYS": env.list("CHIBO_MEETING_REMINDER_DAYS", cast=int, default=[7, 1]),
    # Alarms of the meeting in the .ics attachments and the member's feed: minutes before the
    # start (a day and an hour); an empty list sends none.
    "CALENDAR_ALARMS": env.list("CHIBO_CALENDAR_ALARMS", cast=int, default=[1440, 60]),
    "DEADLINE_REMINDER_DAYS": env.list("CHIBO_DEADLINE_REMINDER_DAYS", cast=int, default=[3, 1]),
    # Days before an action item's due date its owner is reminded (issue 17).
    "ACTION_REMINDER_DAYS": env.int("CHIBO_ACTION_REMINDER_DAYS", default=3),
    # Kinds of meeting that review the earlier meetings' action items (issue 17).
    "ACTION_REVIEW_KINDS": env.list("CHIBO_ACTION_REVIEW_KINDS", default=["thematic", "regular"]),
    # Days after an action item's due date before it is flagged as not reviewed.
    "ACTION_REVIEW_GRACE_DAYS": env.int("CHIBO_ACTION_REVIEW_GRACE_DAYS", default=30),
    "QUARTER_WATCH_DAYS": env.int("CHIBO_QUARTER_WATCH_DAYS", default=20),
    # Days after a quarter's end in which its thematic meeting may still be scheduled, held or
    # finalised (with a stored warning); after them it can no longer count for that quarter.
    "PERIOD_GRACE_DAYS": env.int("CHIBO_PERIOD_GRACE_DAYS", default=5),
    # Online and hybrid meetings (issue 17, item 6): the conditions of HD 03-HD/TW (27/12/2022),
    # which pilots online party meetings, as configurable rules. Each one that does not hold is a
    # warning of the meeting (rules/meeting_mode.py), never a refusal; False turns it off.
    "ONLINE_MEETING_RULES": {
        # The chair confirms the content is not a state secret ("Nội dung không thuộc bí mật nhà nước").
        "REQUIRE_NOT_SECRET": env.bool("CHIBO_ONLINE_REQUIRE_NOT_SECRET", default=True),
        # The online room is named: its link or the name of the connection point.
        "REQUIRE_ROOM": env.bool("CHIBO_ONLINE_REQUIRE_ROOM", default=True),
        # Modes that must state why the cell cannot meet in one place (dịch bệnh, thiên tai, địa bàn xa…).
        "REASON_REQUIRED_FOR": env.list("CHIBO_ONLINE_REASON_REQUIRED_FOR", default=["online"]),
        # DOMAIN.md §8: only where more than half of the members cannot gather in one place, read
        # at a hybrid meeting's roll call as "more than half of the expected members joined online".
        "REMOTE_MAJORITY": env.bool("CHIBO_ONLINE_REMOTE_MAJORITY", default=True),
    },
    "UPLOAD_MAX_BYTES": env.int("CHIBO_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024),
    # Budget of one PDF rendering (meetings.documents.base.render_pdf), kept well below
    # gunicorn's timeout (GUNICORN_TIMEOUT, 60 s) so a request fails with a message, not a kill.
    "PDF_RENDER_SECONDS": env.float("CHIBO_PDF_RENDER_SECONDS", default=20),
    "PDF_MARGINS_MM": {
        "left": env.int("CHIBO_PDF_MARGIN_LEFT_MM", default=30),
        "right": env.int("CHIBO_PDF_MARGIN_RIGHT_MM", default=15),
        "top": env.int("CHIBO_PDF_MARGIN_TOP_MM", default=20),
        "bottom": env.int("CHIBO_PDF_MARGIN_BOTTOM_MM", default=20),
    },
}
# Digital signatures of sealed minutes (issue 18; deploy/OPERATIONS.md "Chữ ký số"). Off in
# production unless CHIBO_SIGNING_ENABLED is set; on by default in development and the demo.
CHIBO["SIGNING_ENABLED"] = env.bool("CHIBO_SIGNING_ENABLED", default=DEBUG)
# Fernet key (urlsafe base64, 32 bytes) that encrypts the stored PKCS#12 files. Unset in
# development: derived from SECRET_KEY; required in production when signing is enabled.
CHIBO["SIGNING_KEY"] = env.str("CHIBO_SIGNING_KEY", default="")
# A folder of CA certificates (PEM or DER) the verification page trusts, read at verify time.
CHIBO["TRUST_ROOTS_DIR"] = env.path("CHIBO_TRUST_ROOTS_DIR", default=str(MEDIA_ROOT) + "/trust-roots")
if CHIBO["SIGNING_ENABLED"] and not DEBUG and not CHIBO["SIGNING_KEY"]:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("CHIBO_SIGNING_KEY must be set when CHIBO_SIGNING_ENABLED is on (deploy/OPERATIONS.md).")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The largest text form (a 200,000-character topic, 4 bytes a character) fits; files are streamed
# separately and checked by their own limits.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Security ---------------------------------------------------------------------------
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)
# Inactivity expiry without a session write per request: chibo.security.sessions touches the
# session (and so renews its expiry) at most every few minutes of activity.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Local health probes talk plain HTTP to gunicorn.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    # Secure cookies need HTTPS; only a loopback test run (e2e, load test) turns this off.
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    if env.bool("USE_X_FORWARDED_PROTO", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: scripts only from our own static files (no inline scripts, no eval).
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # Inline style attributes are harmless here and used by Bootstrap/Chart.js; scripts are not.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# LOG_FORMAT=json in production: one JSON object per line (chibo/logging.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "chibo.logging.RequestContextFilter"}},
    "formatters": {
        "plain": {"()": "chibo.logging.PlainFormatter"},
        "json": {"()": "chibo.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_context"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own console/mail handlers dropped: its records (django.request errors with
        # method, path, user id) reach the root handler once, in the chosen format.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        # DEBUG: one line per heavy page, how many queries the replica and the primary served.
        "chibo.db_router": {"level": env.str("DATABASE_ROUTER_LOG_LEVEL", default="INFO")},
        # Per-step chatter of PDF rendering.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
