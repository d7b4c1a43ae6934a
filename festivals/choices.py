from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarKind(models.TextChoices):
    LUNAR = "lunar", _("Lunar calendar")
    SOLAR = "solar", _("Solar calendar")


class Frequency(models.TextChoices):
    ANNUAL = "annual", _("Every year")
    EVERY_N_YEARS = "every_n_years", _("Every few years")
    IRREGULAR = "irregular", _("Irregular")
    DISCONTINUED = "discontinued", _("No longer held")


class StageKind(models.TextChoices):
    RITES = "rites", _("Rites (phần lễ)")
    FESTIVITIES = "festivities", _("Festivities (phần hội)")
    PREPARATION = "preparation", _("Preparation")
    OTHER = "other", _("Other")


class FestivalScale(models.TextChoices):
    VILLAGE = "village", _("Village")
    COMMUNE = "commune", _("Commune")
    REGIONAL = "regional", _("Several communes")
    CITY = "city", _("City")
    NATIONAL = "national", _("National")


class IntangibleListing(models.TextChoices):
    NATIONAL = "national", _("National intangible cultural heritage")
    UNESCO = "unesco", _("UNESCO intangible cultural heritage")
