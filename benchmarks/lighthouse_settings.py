"""Settings for benchmarks/lighthouse.py: settings.production's choices for what a browser sees, on a
throw-away database (DATABASE_URL, SQLite unless the script is given another), without TLS.

Kept from production: DEBUG off, WhiteNoise with hashed and compressed static files, the database
cache, the full-page cache, the security headers and Content-Security-Policy. Stand-ins for nginx:
GZipMiddleware compresses the HTML (nginx ``gzip on``) and lighthouse_wsgi.py serves /media/ with a
seven-day lifetime (nginx ``expires 7d``).
"""

from settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "lighthouse-benchmark-only-" + "k3y" * 20  # a throw-away site on 127.0.0.1
ALLOWED_HOSTS = ["localhost", ".localhost", "127.0.0.1"]

MIDDLEWARE.insert(  # noqa: F405
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,  # noqa: F405
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
MIDDLEWARE.insert(0, "django.middleware.gzip.GZipMiddleware")  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}  # noqa: F405
WHITENOISE_MAX_AGE = 3600

CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "heritage_cache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
FULL_PAGE_CACHE_ENABLED = True
# Lighthouse and the warm-up ask for the search page more often than a visitor would.
RATE_LIMIT_ENABLED = False
ELASTICSEARCH_URL = ""
SEARCH_BACKEND = "search.builtin.BuiltinBackend"
