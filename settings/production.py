"""Production: everything from environment variables (README, "Configuration"); refuses to start without
what it needs. ``python manage.py check --deploy`` passes with no warnings (tests/heritage/test_production.py)."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env, env_bool, env_int, env_list

DEBUG = False
SECRET_KEY = env("SECRET_KEY", required=True)
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set the ALLOWED_HOSTS environment variable.")
env("DATABASE_URL", required=True)
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":  # noqa: F405
    raise ImproperlyConfigured("Production runs on PostgreSQL: DATABASE_URL must start with postgres://.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", PUBLIC_BASE_URL)  # noqa: F405

# --- HTTPS ----------------------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # the load balancer's health check speaks plain HTTP
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if not SECURE_HSTS_PRELOAD or not SECURE_SSL_REDIRECT:
    # Turning these off is a decision taken through the environment (documented in docs/deployment.md),
    # for example TLS ended at a load balancer that redirects by itself.
    SILENCED_SYSTEM_CHECKS = [
        *(["security.W021"] if not SECURE_HSTS_PRELOAD else []),
        *(["security.W008"] if not SECURE_SSL_REDIRECT else []),
    ]

# --- Static files: WhiteNoise with hashed, compressed names -------------------------------------------
MIDDLEWARE.insert(  # noqa: F405
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,  # noqa: F405
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}
STATIC_URL = env("STATIC_URL", "/static/")
WHITENOISE_MAX_AGE = env_int("WHITENOISE_MAX_AGE", 3600)  # hashed names are cached for ten years anyway

# --- Uploads: on disk (MEDIA_ROOT) or in S3-compatible object storage -----------------------------------
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", "") or None  # MinIO, Ceph, a provider's S3
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", "") or None
    AWS_S3_CUSTOM_DOMAIN = env("AWS_S3_CUSTOM_DOMAIN", "") or None
    AWS_ACCESS_KEY_ID = env("AWS_ACCESS_KEY_ID", "") or None  # else the machine's role or ~/.aws
    AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY", "") or None
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = env_bool("AWS_QUERYSTRING_AUTH", False)
    AWS_S3_FILE_OVERWRITE = False
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}  # noqa: F405
    if AWS_S3_CUSTOM_DOMAIN:
        MEDIA_URL = f"https://{AWS_S3_CUSTOM_DOMAIN}/"
    elif AWS_S3_ENDPOINT_URL:
        MEDIA_URL = f"{AWS_S3_ENDPOINT_URL.rstrip('/')}/{AWS_STORAGE_BUCKET_NAME}/"
    else:
        MEDIA_URL = f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com/"

# --- Cache: Redis when given, else the database (python manage.py createcachetable) ---------------------
REDIS_URL = env("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "heritage"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "heritage_cache",
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 20_000)},
        }
    }
SESSION_ENGINE = "django.contrib.sessions.backends.db"

FULL_PAGE_CACHE_ENABLED = env_bool("FULL_PAGE_CACHE", True)

# --- E-mail (workflow notifications, password resets) --------------------------------------------------
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Admin", address) for address in env_list("ADMIN_EMAILS")]

LOGGING["root"]["level"] = env("LOG_LEVEL", "INFO")  # noqa: F405
