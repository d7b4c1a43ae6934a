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
from .products import ProductIndexPage, ProductKind, ProductPage
from .taxonomy import Commune, Period, Source, SourceKind, Village

__all__ = [
    "CityHomePage",
    "Commune",
    "EntryLink",
    "EntryName",
    "EntrySource",
    "GeoLocationMixin",
    "HeritageIndexPage",
    "HeritagePage",
    "HeritagePageTag",
    "HomePage",
    "LinkRelation",
    "NameKind",
    "Period",
    "ProductIndexPage",
    "ProductKind",
    "ProductPage",
    "ProtectionZone",
    "Source",
    "SourceKind",
    "Village",
    "ZoneLevel",
]
