import factory
import wagtail_factories
from wagtail.models import Page

from heritage.communes import setup_city, setup_commune
from heritage.models import CityHomePage, Commune, HomePage, Period, ProductIndexPage, ProductPage, Source, Village
from heritage.text import slugify_vi
from media.models import HeritageImage


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    code = factory.Sequence(
        lambda n: "T" + "ABCDEFGHJKLMNPQRSTUVWXYZ"[n % 24] + "ABCDEFGHJKLMNPQRSTUVWXYZ"[(n // 24) % 24]
    )


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    commune = factory.SubFactory(CommuneFactory)
    name = factory.Sequence(lambda n: f"Thôn {n}")


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Period
        django_get_or_create = ("name",)

    name = "Nhà Trần"
    start_year = 1226
    end_year = 1400


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    authors = "Nguyễn Văn A; Trần Thị B"
    title = factory.Sequence(lambda n: f"Địa chí Hải Phòng, tập {n}")
    publisher = "Nhà xuất bản Hải Phòng"
    year = 2010


class ImageFactory(wagtail_factories.ImageFactory):
    class Meta:
        model = HeritageImage


class HeritagePageFactory(wagtail_factories.PageFactory):
    """Page factories with the archive's ASCII slugs ("Đình" → "dinh", not "inh")."""

    slug = factory.LazyAttribute(lambda page: slugify_vi(page.title))

    class Meta:
        abstract = True


class CityHomePageFactory(HeritagePageFactory):
    class Meta:
        model = CityHomePage

    title = "Hải Phòng"


class HomePageFactory(HeritagePageFactory):
    class Meta:
        model = HomePage

    title = factory.LazyAttribute(lambda page: page.commune.name)
    commune = factory.SubFactory(CommuneFactory)


class ProductIndexPageFactory(HeritagePageFactory):
    class Meta:
        model = ProductIndexPage

    title = "Sản phẩm văn hóa"


class ProductPageFactory(HeritagePageFactory):
    class Meta:
        model = ProductPage

    title = factory.Sequence(lambda n: f"Bánh đa cua {n}")
    summary = "Món ăn đặc sản của làng."


def build_commune(name="Kiến Minh", code="KM", hostname="kienminh.localhost"):
    """A commune set up the way the archive sets one up: site, home, index pages, group, workflow."""
    if not CityHomePage.objects.exists():
        setup_city("Hải Phòng", hostname="localhost")
    commune, _created = Commune.objects.get_or_create(code=code, defaults={"name": name})
    return setup_commune(commune, hostname=hostname)


def index_of(setup, index_class):
    """The commune's index page of one kind."""
    return index_class.objects.child_of(setup.home).get()


def publish(page):
    page.save_revision().publish()
    return Page.objects.get(pk=page.pk).specific
