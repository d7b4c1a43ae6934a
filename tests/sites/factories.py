import factory
import wagtail_factories

from sites.models import RelicIndexPage, RelicPage


class RelicIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = RelicIndexPage

    title = "Di tích"


class RelicPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = RelicPage

    title = factory.Sequence(lambda n: f"Đình làng số {n}")
    summary = "Ngôi đình thờ Thành hoàng làng."
