"""Settings shared by every environment.

Every deploy-time value is read from the environment here, in one place, with an embedded
default that keeps a laptop install zero-setup (SQLite, database search, console email).
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# The site shell is a plain folder: Python reserves the module name `site`.
SITE_DIR = BASE_DIR / "site"

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Requests that may write (POST, PUT, PATCH, DELETE) run in one transaction; reads do not
# (perf.apps, ATOMIC_READ_REQUESTS), so that on SQLite a page view never takes the
# write lock that `BEGIN IMMEDIATE` means, and readers never queue behind one another.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
ATOMIC_READ_REQUESTS = env.bool("ATOMIC_READ_REQUESTS", default=False)
# One connection per worker thread, kept between requests (no connect and pragmas per request).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the writer work at once under several gunicorn workers; a write
    # transaction takes the lock at its start (IMMEDIATE) so it never fails half-way; reads
    # go through the memory map.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA mmap_size=268435456; PRAGMA cache_size=-32000;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    # Project apps first so their templates override Wagtail's.
    "wiki",
    "licensing",
    "repository",
    "search",
    "translations",
    "perf",
    "operations",
    "notifications",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "axes",
    # Optional TOTP second factor with recovery codes (operations.twofactor).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and authentication: a cached public page costs no database query.
    "perf.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Database lost during a view: a translated 503 page, and broken connections closed.
    "operations.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in reader's groups, memberships and permissions, kept between their requests.
    "perf.readers.ReaderCacheMiddleware",
    # Signed-in readers arriving at "/" go to the home page in their chosen language.
    "translations.middleware.UserLanguageMiddleware",
    # wagtail-localize's translate/sync views check no page permission: add it.
    "translations.middleware.LocalizePermissionMiddleware",
    "operations.middleware.SessionTimeoutMiddleware",
    # Second factor: which device verified this session (operations.twofactor).
    "django_otp.middleware.OTPMiddleware",
    "operations.middleware.DownloadAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Holds people whose second step is pending at the code page (after messages: it sets one).
    "operations.twofactor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wiki.middleware.PrivateByDefaultMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so that the other middlewares see the authenticated user before lockout handling.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "wiki.context_processors.languages",
            ],
            # |date with « 1er » in French, |number, |language_in_text (config/formats/dates.py).
            "builtins": ["config.formats.templatetags"],
        },
    },
]

AUTHENTICATION_BACKENDS = [
    # Axes must come first so that a locked-out account is refused before the password check.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, whose user also says whether they have a TOTP device (read with the
    # user, so two-step sign-in applies at once to sessions opened before it was turned on).
    "operations.twofactor.TwoFactorModelBackend",
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

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Failed logins: after AXES_FAILURE_LIMIT failures for one user name from one address, further
# attempts are refused for AXES_COOLOFF_TIME hours, then allowed again (nobody is locked out for ever).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "wiki.views.account.lockout"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Internationalisation: French first, then English, with Quebec and Canadian formats.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Montreal"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]
WAGTAIL_I18N_ENABLED = True
# Wagtail and wagtail-localize put these names inside sentences ("submitted for translation
# into English" / « soumise pour traduction en anglais »): French writes them in lower case
# there (config/formats/dates.py has the same names for templates).
WAGTAIL_CONTENT_LANGUAGES = [
    ("fr", pgettext_lazy("language name inside a sentence, as in 'in French'", "French")),
    ("en", pgettext_lazy("language name inside a sentence, as in 'in English'", "English")),
]
# Translating a live page must not publish an untranslated copy.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
LANGUAGE_COOKIE_NAME = "cop_language"
LANGUAGE_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [SITE_DIR / "static"]
STORAGES = {
    # Uploads are written whole or not at all (operations.storage).
    "default": {"BACKEND": "operations.storage.AtomicFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Plateforme CdP <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://"),
}
# The parts of pages kept under the content generation (wiki.fragments, perf.readers) never
# change under their key: in front of a shared cache, each process keeps those it has read
# (perf.cache_backends). With the per-process default cache, the same memory serves both.
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    CACHES["fragments"] = dict(CACHES["default"])
else:
    CACHES["fragments"] = {
        "BACKEND": "perf.cache_backends.LayeredCache",
        "OPTIONS": {"SHARED": "default", "MAX_ENTRIES": 5000},
    }
FRAGMENT_CACHE_ALIAS = "fragments"
# With a cache shared by every app process (CACHE_URL=redis://... in production), sessions can
# be read from it instead of the database: SESSION_ENGINE=django.contrib.sessions.backends.cached_db.
# Never with the per-process default cache: a session ended in one process would live on in another.
SESSION_ENGINE = env("SESSION_ENGINE", default="django.contrib.sessions.backends.db")

# Wagtail
WAGTAIL_SITE_NAME = "Plateforme des communautés de pratique"
WAGTAILADMIN_BASE_URL = env("BASE_URL", default="http://127.0.0.1:8000")
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# Shared page and collection passwords are stored in plain text: everyone has an account instead.
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"SHARED_PASSWORD": False}
# Other serve methods bypass the permission check.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "txt", "csv", "xlsx", "ods", "pptx", "odp"]
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = env.int("MAX_UPLOAD_MB", default=200) * 1024 * 1024
# Admin uploads (library, multiple uploader, chooser) get the repository's content checks.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "repository.forms.CheckedDocumentForm"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_USER_TIME_ZONES = ["America/Montreal"]
# The Steering Committee's approval publishes memorandum deliverables (licensing.integrity).
WAGTAIL_FINISH_WORKFLOW_ACTION = "licensing.integrity.publish_workflow_state"
WAGTAILADMIN_COMMENTS_ENABLED = True

# Analysis for Wagtail's Elasticsearch backend (the `search` app). The platform's search
# documents (`search.models.SearchEntry`) name `cop_french` or `cop_english` on each language's
# fields; Wagtail's own page fields have no analyzer of their own, so the index default
# applies: French first (elisions, accents folded, light stemming) with French and English
# stop words.
_ELISIONS = ["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "lorsqu", "puisqu"]
ELASTICSEARCH_INDEX_SETTINGS = {
    "settings": {
        "analysis": {
            "filter": {
                "cop_elision": {"type": "elision", "articles_case": True, "articles": _ELISIONS},
                "cop_french_stop": {"type": "stop", "stopwords": "_french_"},
                "cop_english_stop": {"type": "stop", "stopwords": "_english_"},
                "cop_french_stemmer": {"type": "stemmer", "language": "light_french"},
                "cop_english_stemmer": {"type": "stemmer", "language": "english"},
            },
            "analyzer": {
                "default": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": [
                        "cop_elision",
                        "lowercase",
                        "asciifolding",
                        "cop_french_stop",
                        "cop_english_stop",
                        "cop_french_stemmer",
                    ],
                },
                "cop_french": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": [
                        "cop_elision",
                        "lowercase",
                        "asciifolding",
                        "cop_french_stop",
                        "cop_french_stemmer",
                    ],
                },
                "cop_english": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["lowercase", "asciifolding", "cop_english_stop", "cop_english_stemmer"],
                },
            },
        }
    }
}
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
if ELASTICSEARCH_URL:
    # Wagtail's Elasticsearch 8 backend with the access rule inside the platform's queries.
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX_PREFIX": env("ELASTICSEARCH_INDEX_PREFIX", default="cop_"),
            "TIMEOUT": 5,
            "OPTIONS": {},
            "INDEX_SETTINGS": ELASTICSEARCH_INDEX_SETTINGS,
        }
    }
else:
    WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "wagtail.search.backends.database"},
    }

# Caching of public pages (the `perf` app): pages the access rule shows to anonymous visitors
# are sent with `Cache-Control: public, s-maxage=PAGE_CACHE_SECONDS` for a shared HTTP cache
# (Varnish or nginx, see deploy/), which Wagtail purges on publish when FRONTEND_CACHE_URL is
# set; without one, each process keeps them in Django's cache (PAGE_CACHE_LOCAL). Every other
# response is `Cache-Control: private`.
FRONTEND_CACHE_URL = env("FRONTEND_CACHE_URL", default="")
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
# Signed-in pages keep their per-reader parts (menu, language links, page tree, rendered body,
# backlinks) in Django's cache for this long, under the content generation (wiki.fragments).
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=300)
PAGE_CACHE_LOCAL = env.bool("PAGE_CACHE_LOCAL", default=not FRONTEND_CACHE_URL)
PAGE_CACHE_ALIAS = "default"
# Touched on every publish or access change; on the shared file system when several hosts run.
PAGE_CACHE_STAMP = env("PAGE_CACHE_STAMP", default=str(BASE_DIR / "var" / "page-cache-generation"))
if FRONTEND_CACHE_URL:
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
    # Several shared caches (one per front-end host, or Varnish and nginx side by side):
    # comma-separated URLs, each purged on publish.
    WAGTAILFRONTENDCACHE = {
        ("default" if number == 0 else f"cache{number}"): {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": location.strip(),
        }
        for number, location in enumerate(FRONTEND_CACHE_URL.split(","))
    }

# Media on S3-compatible object storage instead of MEDIA_ROOT (needs `django-storages[s3]`
# installed; credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, read by boto3).
# Files stay private: documents are still served through Django's checked views.
MEDIA_S3_BUCKET = env("MEDIA_S3_BUCKET", default="")
if MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": env("MEDIA_S3_ENDPOINT_URL", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Security defaults that hold in every environment; production.py tightens the rest.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
# Signed out after this long without a request, and in any case this long after signing in
# (operations.middleware.SessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_MINUTES", default=120) * 60
SESSION_ABSOLUTE_TIMEOUT = SESSION_COOKIE_AGE
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # Wagtail's admin still relies on inline scripts and styles; the public site does not.
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
}

# Virus scan of every upload (operations.scan): "off" or "clamav". With "clamav" an upload the
# scanner does not pass, or cannot scan (missing, no signatures, slower than the timeout), is
# refused. Production: install clamav-daemon, set VIRUS_SCAN=clamav (CLAMAV_COMMAND=clamdscan).
VIRUS_SCAN = env("VIRUS_SCAN", default="off")
CLAMAV_COMMAND = env("CLAMAV_COMMAND", default="clamdscan")
# A signature folder or file for clamscan (clamdscan uses the daemon's own configuration).
CLAMAV_DATABASE = env("CLAMAV_DATABASE", default="")
VIRUS_SCAN_TIMEOUT = env.int("VIRUS_SCAN_TIMEOUT", default=60)
# The image library's forms scan new files too (documents: repository.forms).
WAGTAILIMAGES_IMAGE_FORM_BASE = "operations.forms.ScannedImageForm"

# Two-step sign-in (operations.twofactor): the name shown in authenticator apps, and whether
# administrators must turn it on before using the administration.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Plateforme CdP")
TWO_FACTOR_REQUIRED_FOR_SUPERUSERS = env.bool("TWO_FACTOR_REQUIRED_FOR_SUPERUSERS", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# Password of every account created by `manage.py load_demo`.
DEMO_PASSWORD = env("DEMO_PASSWORD", default="cop-demo-2026")
