import factory
import wagtail_factories

from festivals.models import FestivalIndexPage, FestivalPage


class FestivalIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = FestivalIndexPage

    title = "Lễ hội"


class FestivalPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = FestivalPage

    title = factory.Sequence(lambda n: f"Lễ hội làng số {n}")
    summary = "Lễ hội truyền thống của làng."
    start_month = 1
    start_day = 10
