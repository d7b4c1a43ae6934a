import factory

from sites.models import RelicIndexPage, RelicPage
from tests.heritage.factories import HeritagePageFactory


class RelicIndexPageFactory(HeritagePageFactory):
    class Meta:
        model = RelicIndexPage

    title = "Di tích"


class RelicPageFactory(HeritagePageFactory):
    class Meta:
        model = RelicPage

    title = factory.Sequence(lambda n: f"Đình làng số {n}")
    summary = "Ngôi đình thờ Thành hoàng làng."
