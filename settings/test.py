from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"  # dev and test settings only
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = DATA_DIR / "test-media"  # noqa: F405
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Tests never write to a developer's own Elasticsearch: the suite's default backend is the built-in
# one, and the tests marked elasticsearch reach the node through ELASTICSEARCH_TEST_URL with
# indices of their own.
ELASTICSEARCH_URL = ""
ELASTICSEARCH_INDEX_PREFIX = "heritage-test"
SEARCH_BACKEND = "search.builtin.BuiltinBackend"

# Rate limits and the full-page cache would make unrelated tests depend on each other through the
# cache; their own tests turn them on with override_settings.
RATE_LIMIT_ENABLED = False
FULL_PAGE_CACHE_ENABLED = False
