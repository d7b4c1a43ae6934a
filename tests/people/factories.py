import factory
import wagtail_factories

from people.models import PersonIndexPage, PersonPage


class PersonIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = PersonIndexPage

    title = "Nhân vật lịch sử"


class PersonPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = PersonPage

    title = factory.Sequence(lambda n: f"Nhân vật số {n}")
    summary = "Một nhân vật lịch sử của địa phương."
