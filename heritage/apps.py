from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HeritageConfig(AppConfig):
    name = "heritage"
    verbose_name = _("Heritage")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Signal receivers: failed-login counting, full-page cache purges on page moves, plaque
        # codes on first publish, and the content generation.
        from . import cache, freshness, security  # noqa: F401
        from .plaques import signals  # noqa: F401

        freshness.connect_signals()
