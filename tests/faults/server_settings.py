"""The production settings, for the site the PostgreSQL fault test runs in a gunicorn process of its own.

Only the static files differ: Django's plain storage instead of WhiteNoise's manifest, which would
need a collectstatic run first. The database settings (CONN_MAX_AGE, CONN_HEALTH_CHECKS), the error
handlers and the middleware are production's.
"""

from settings.production import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
