import factory

from festivals.models import FestivalIndexPage, FestivalPage
from tests.heritage.factories import HeritagePageFactory


class FestivalIndexPageFactory(HeritagePageFactory):
    class Meta:
        model = FestivalIndexPage

    title = "Lễ hội"


class FestivalPageFactory(HeritagePageFactory):
    class Meta:
        model = FestivalPage

    title = factory.Sequence(lambda n: f"Lễ hội làng số {n}")
    summary = "Lễ hội truyền thống của làng."
    start_month = 1
    start_day = 10
