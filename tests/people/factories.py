import factory

from people.models import PersonIndexPage, PersonPage
from tests.heritage.factories import HeritagePageFactory


class PersonIndexPageFactory(HeritagePageFactory):
    class Meta:
        model = PersonIndexPage

    title = "Nhân vật lịch sử"


class PersonPageFactory(HeritagePageFactory):
    class Meta:
        model = PersonPage

    title = factory.Sequence(lambda n: f"Nhân vật số {n}")
    summary = "Một nhân vật lịch sử của địa phương."
