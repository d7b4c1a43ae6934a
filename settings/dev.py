from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "dev-only-not-secret"  # dev and test settings only
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
