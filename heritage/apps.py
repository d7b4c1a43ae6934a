from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HeritageConfig(AppConfig):
    name = "heritage"
    verbose_name = _("Heritage")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .plaques import signals  # noqa: F401 - connects the plaque code receivers
