"""Settings shared by every environment; dev, test and production change only what differs."""

import json
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import env, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent
# Uploads, the SQLite file and collected static files live outside the code, in a git-ignored folder.
DATA_DIR = Path(env("DATA_DIR", str(BASE_DIR / ".data")))

INSTALLED_APPS = [
    "media",
    "heritage",
    "sites",
    "festivals",
    "people",
    "search",
    "wagtailmedia",
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
    "django_filters",
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
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "settings.urls"
WSGI_APPLICATION = "settings.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "heritage.context_processors.archive",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The public interface is Vietnamese whatever the browser asks for (no LocaleMiddleware); the
# Wagtail admin follows each user's own language preference.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Each app carries its own locale/ folder; Django finds them through INSTALLED_APPS.
LOCALE_PATHS = []

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# The public address printed on plaques and used in absolute links (JSON-LD, Open Graph, sitemaps).
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,.localhost,testserver")

WAGTAIL_SITE_NAME = env("WAGTAIL_SITE_NAME", "Kho di sản số Hải Phòng")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", PUBLIC_BASE_URL)
WAGTAIL_I18N_ENABLED = False
# Slugs are ASCII: heritage.text.slugify_vi turns "Đình Đông Khê" into "dinh-dong-khe".
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = [("vi", "Tiếng Việt")]
WAGTAILIMAGES_IMAGE_MODEL = "media.HeritageImage"
WAGTAILMEDIA = {
    "MEDIA_MODEL": "media.HeritageMedia",
    "MEDIA_FORM_BASE": "media.forms.HeritageMediaForm",
    "AUDIO_EXTENSIONS": ["aac", "flac", "m4a", "mp3", "ogg", "opus", "wav"],
    "VIDEO_EXTENSIONS": ["m4v", "mov", "mp4", "webm"],
}
# Upload checks by content (media/validators.py) on every admin upload form.
WAGTAILIMAGES_IMAGE_FORM_BASE = "media.forms.HeritageImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "media.forms.HeritageDocumentForm"
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]  # never svg: it can carry scripts
MEDIA_MAX_UPLOAD_SIZE = 200 * 1024 * 1024  # audio and video
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "jpg", "jpeg", "odt", "pdf", "png", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 64_000_000
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.wagtail_hooks"}}  # the database backend, folding Vietnamese

# The archive's own search (search/backends.py): Elasticsearch when a node is given, else built in.
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", "")
ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX", "heritage")
ELASTICSEARCH_TIMEOUT = float(env("ELASTICSEARCH_TIMEOUT", "2"))
SEARCH_BACKEND = "search.elastic.ElasticsearchBackend" if ELASTICSEARCH_URL else "search.builtin.BuiltinBackend"

# Maps (heritage/geo, docs/geo.md): geocoding through geopy, tiles from a tile server; no CDN.
GEOCODER = env("GEOCODER", "nominatim")  # a geopy service name
GEOCODER_OPTIONS = json.loads(env("GEOCODER_OPTIONS", "{}"))  # extra arguments, e.g. {"api_key": "..."}
NOMINATIM_URL = env("NOMINATIM_URL", "https://nominatim.openstreetmap.org")
GEOCODER_USER_AGENT = env("GEOCODER_USER_AGENT", "heritage-archive (Kho di san so Hai Phong)")
GEOCODER_TIMEOUT = float(env("GEOCODER_TIMEOUT", "5"))
MAP_TILE_URL = env("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env(
    "MAP_TILE_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
)
MAP_DEFAULT_CENTER = [float(part) for part in env("MAP_DEFAULT_CENTER", "20.8449,106.6881").split(",")]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# --- Security, caching and rate limits (heritage/security.py, heritage/cache.py, docs/security.md) ---
INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
MIDDLEWARE[MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1 : 0] = [
    "heritage.security.SecurityHeadersMiddleware",
    "heritage.security.RateLimitMiddleware",
    "heritage.security.LoginLockoutMiddleware",
    "heritage.cache.FullPageCacheMiddleware",
]
AUTHENTICATION_BACKENDS = ["heritage.security.LockoutBackend", "django.contrib.auth.backends.ModelBackend"]
# Optional two-step sign-in for staff (heritage/twofactor.py); TWO_FACTOR_REQUIRED makes it compulsory.
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]
MIDDLEWARE[MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1 : 0] = [
    "django_otp.middleware.OTPMiddleware",
    "heritage.twofactor.TwoFactorMiddleware",
]
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", False)
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME

X_FRAME_OPTIONS = "DENY"  # the admin answers SAMEORIGIN for its own previews (SecurityHeadersMiddleware)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(self), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), browsing-topics=()"
)
CSP_FRAME_SOURCES = env_list(
    "CSP_FRAME_SOURCES", "https://www.youtube-nocookie.com,https://www.youtube.com,https://player.vimeo.com"
)
CSP_EXTRA_SOURCES = env_list("CSP_EXTRA_SOURCES")
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)
# The request header a trusted proxy sets to the visitor's address ("HTTP_X_REAL_IP"); empty: REMOTE_ADDR.
CLIENT_IP_HEADER = env("CLIENT_IP_HEADER", "")

RATE_LIMIT_ENABLED = env_bool("RATE_LIMIT_ENABLED", True)
RATE_LIMITS = {
    "api": {"paths": ["/api/"], "limit": env_int("RATE_LIMIT_API", 120), "seconds": 60},
    "search": {"paths": ["/tim-kiem/"], "limit": env_int("RATE_LIMIT_SEARCH", 60), "seconds": 60},
    "forms": {
        "methods": ["POST"],
        "exclude": ["/admin/", "/django-admin/"],
        "limit": env_int("RATE_LIMIT_FORMS", 10),
        "seconds": 60,
    },
}
LOGIN_LOCKOUT_ENABLED = env_bool("LOGIN_LOCKOUT_ENABLED", True)
LOGIN_FAILURES_PER_USER = env_int("LOGIN_FAILURES_PER_USER", 5)
LOGIN_FAILURES_PER_IP = env_int("LOGIN_FAILURES_PER_IP", 20)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 900)
LOGIN_PATHS = ["/admin/login/"]

FULL_PAGE_CACHE_ENABLED = env_bool("FULL_PAGE_CACHE", False)
FULL_PAGE_CACHE_SECONDS = env_int("FULL_PAGE_CACHE_SECONDS", 600)
FULL_PAGE_CACHE_EXCLUDE = ["/admin/", "/django-admin/", "/documents/", "/api/"]
WAGTAILFRONTENDCACHE = {"default": {"BACKEND": "heritage.cache.PageCacheBackend"}}
