from django.db import models
from django.utils.translation import gettext_lazy as _


class RelicRank(models.TextChoices):
    """Levels of recognition under the Law on Cultural Heritage; the values are the interchange codes."""

    NATIONAL_SPECIAL = "national_special", _("Special national relic")
    NATIONAL = "national", _("National relic")
    CITY = "city", _("City-level relic")


# Highest first, for ordering and for choosing the current rank.
RANK_ORDER = [RelicRank.NATIONAL_SPECIAL, RelicRank.NATIONAL, RelicRank.CITY]


class InventoryStatus(models.TextChoices):
    INVENTORIED = "inventoried", _("Inventoried, not ranked")
    PROPOSED = "proposed", _("Proposed for ranking")
    RANKED = "ranked", _("Ranked")
    REVOKED = "revoked", _("Ranking revoked")


class PhaseKind(models.TextChoices):
    BUILT = "built", _("Built")
    REBUILT = "rebuilt", _("Rebuilt")
    RESTORED = "restored", _("Restored")
    EXTENDED = "extended", _("Extended")
    MOVED = "moved", _("Moved")
    DAMAGED = "damaged", _("Damaged")
    OTHER = "other", _("Other")


class RelicTypeCode(models.TextChoices):
    """Relic types of the Law on Cultural Heritage; sub-kinds of "historical" keep its prefix."""

    HISTORICAL = "historical", _("Historical")
    HISTORICAL_EVENT = "historical_event", _("Historical: site of an event")
    HISTORICAL_PERSON = "historical_person", _("Historical: memorial to a famous person")
    ARCHITECTURAL_ARTISTIC = "architectural_artistic", _("Architectural and artistic")
    ARCHAEOLOGICAL = "archaeological", _("Archaeological")
    SCENIC = "scenic", _("Scenic landscape")
    MIXED = "mixed", _("Mixed")
