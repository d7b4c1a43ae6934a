"""Shared set-up of the plaque tests: a commune with published relics."""

from django.core.cache import cache
from django.test import TestCase, override_settings

from sites.models import RelicIndexPage
from tests.heritage.factories import build_commune, index_of, publish
from tests.sites.factories import RelicPageFactory

PUBLIC_BASE_URL = "https://disan.example.vn"
COMMUNE_HOST = "kienminh.localhost"


def published_relic(setup, **kwargs):
    return publish(RelicPageFactory(parent=index_of(setup, RelicIndexPage), **kwargs))


@override_settings(PUBLIC_BASE_URL=PUBLIC_BASE_URL, ALLOWED_HOSTS=["disan.example.vn", ".localhost", "testserver"])
class PlaqueTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()

    def setUp(self):
        super().setUp()
        cache.clear()
