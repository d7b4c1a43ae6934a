from .audio import EntryAudioGuide, GuideLength
from .geo import ProtectionZone, ZoneLevel
from .pages import (
    CityHomePage,
    EntryLink,
    EntryName,
    EntrySource,
    GeoLocationMixin,
    HeritageIndexPage,
    HeritagePage,
    HeritagePageTag,
    HomePage,
    LinkRelation,
    NameKind,
)
from .plaques import LegacyPlaqueCode, PlaqueCode, PlaqueScanDay, PlaqueSequence
from .products import ProductIndexPage, ProductKind, ProductPage
from .taxonomy import Commune, Period, Source, SourceKind, Village

__all__ = [
    "CityHomePage",
    "Commune",
    "EntryAudioGuide",
    "EntryLink",
    "EntryName",
    "EntrySource",
    "GeoLocationMixin",
    "GuideLength",
    "HeritageIndexPage",
    "HeritagePage",
    "HeritagePageTag",
    "HomePage",
    "LegacyPlaqueCode",
    "LinkRelation",
    "NameKind",
    "Period",
    "PlaqueCode",
    "PlaqueScanDay",
    "PlaqueSequence",
    "ProductIndexPage",
    "ProductKind",
    "ProductPage",
    "ProtectionZone",
    "Source",
    "SourceKind",
    "Village",
    "ZoneLevel",
]
