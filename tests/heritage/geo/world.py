"""Entries on a map, built the way the archive builds them: two communes, relics, a festival, products."""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Collection, Locale, Page

from festivals.models import FestivalIndexPage
from heritage.models import EntryLink, ProductIndexPage
from people.models import PersonIndexPage
from sites.choices import RelicTypeCode
from sites.models import RecognitionDecision, RelicIndexPage, RelicType
from tests.festivals.factories import FestivalPageFactory
from tests.heritage.factories import ProductPageFactory, build_commune, index_of, publish
from tests.people.factories import PersonPageFactory
from tests.sites.factories import RelicPageFactory


def relic(setup, title, lat=None, lon=None, rank="", relic_type=None, **fields):
    page = RelicPageFactory(
        parent=index_of(setup, RelicIndexPage),
        title=title,
        latitude=Decimal(lat) if lat is not None else None,
        longitude=Decimal(lon) if lon is not None else None,
        **fields,
    )
    if rank:
        RecognitionDecision.objects.create(page=page, level=rank)
    if relic_type:
        page.relic_types.add(RelicType.objects.get(code=relic_type))
    return publish(page)


def product(setup, title, lat=None, lon=None):
    page = ProductPageFactory(
        parent=index_of(setup, ProductIndexPage),
        title=title,
        latitude=Decimal(lat) if lat is not None else None,
        longitude=Decimal(lon) if lon is not None else None,
    )
    return publish(page)


def festival(setup, title, held_at=None):
    page = FestivalPageFactory(parent=index_of(setup, FestivalIndexPage), title=title)
    if held_at is not None:
        EntryLink.objects.create(source=page, target=held_at, relation="held_at")
    return publish(page)


def ensure_migrated_rows():
    """Put back the rows that migrations create, when a transactional test before this one flushed them."""
    if Page.get_first_root_node() is not None:
        return
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    Page.add_root(instance=Page(title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page)))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    for order, code in enumerate(RelicTypeCode.values):
        RelicType.objects.get_or_create(code=code, defaults={"sort_order": order})


def build_world():
    """Kiến Minh (relics, a festival held at one, a product, a relic without a place, a person) and An Khánh."""
    ensure_migrated_rows()
    kien_minh = build_commune("Kiến Minh", "KM", "kienminh.localhost")
    an_khanh = build_commune("An Khánh", "AK", "ankhanh.localhost")
    world = {"kien_minh": kien_minh, "an_khanh": an_khanh}
    world["dinh"] = relic(kien_minh, "Đình Kiến Thụy", "20.856100", "106.682300", "national", "architectural_artistic")
    world["chua"] = relic(kien_minh, "Chùa Đông Khê", "20.858000", "106.684000", "city", "historical")
    world["mieu"] = relic(kien_minh, "Miếu Cây Đa", "20.900000", "106.700000")
    world["den"] = relic(kien_minh, "Đền chưa định vị")
    world["hoi"] = festival(kien_minh, "Hội làng Kiến Thụy", held_at=world["dinh"])
    world["banh"] = product(kien_minh, "Bánh đa cua Kiến Minh", "20.860000", "106.690000")
    world["nguoi"] = publish(PersonPageFactory(parent=index_of(kien_minh, PersonIndexPage), title="Phạm Văn Thờ"))
    world["nha_tho"] = relic(an_khanh, "Nhà thờ họ Phạm", "21.000000", "106.500000", "city")
    return world
