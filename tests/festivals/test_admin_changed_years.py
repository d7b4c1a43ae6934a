"""Editors record a year's actual dates inline on the festival page in the Wagtail admin."""

import datetime

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from wagtail.fields import StreamField
from wagtail.test.utils.form_data import querydict_from_html

from festivals.models import FestivalIndexPage, FestivalPage
from tests.festivals.factories import FestivalPageFactory
from tests.heritage.factories import build_commune, index_of

User = get_user_model()


class ChangedYearEditingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        setup = build_commune()
        cls.festival = FestivalPageFactory(parent=index_of(setup, FestivalIndexPage), title="Lễ hội đình Kiến Minh")
        cls.admin = User.objects.create_superuser("quantri", password="mật-khẩu-thử")

    def post_changed_year(self, **fields):
        self.client.force_login(self.admin)
        url = reverse("wagtailadmin_pages:edit", args=[self.festival.pk])
        response = self.client.get(url)
        self.assertContains(response, "occurrence_overrides-TOTAL_FORMS")
        data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
        for field in FestivalPage._meta.get_fields():
            if isinstance(field, StreamField):
                data[f"{field.name}-count"] = "0"
        data["occurrence_overrides-TOTAL_FORMS"] = "1"
        prefix = "occurrence_overrides-0-"
        data[f"{prefix}ORDER"] = "1"
        data[f"{prefix}DELETE"] = ""
        data[f"{prefix}id"] = ""
        for name, value in fields.items():
            data[f"{prefix}{name}"] = value
        data["action-publish"] = "Publish"
        return self.client.post(url, data)

    def test_an_editor_records_the_actual_dates_of_a_year(self):
        response = self.post_changed_year(
            year="2026", start_date="2026-10-02", end_date="2026-10-04", reason="Hoãn vì bão số 3"
        )
        self.assertEqual(response.status_code, 302)
        override = FestivalPage.objects.get(pk=self.festival.pk).occurrence_overrides.get()
        self.assertEqual((override.year, override.start_date), (2026, datetime.date(2026, 10, 2)))

    def test_a_changed_year_without_dates_is_refused_with_a_message(self):
        response = self.post_changed_year(year="2026", reason="Hoãn")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(FestivalPage.objects.get(pk=self.festival.pk).occurrence_overrides.exists())
