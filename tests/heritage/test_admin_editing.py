"""Editors work in the Wagtail admin: every entry form opens, saves and goes to review."""

import json
import re
import unicodedata

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import querydict_from_html

from festivals.models import FestivalIndexPage, FestivalPage
from heritage.models import CityHomePage, HomePage, ProductIndexPage, ProductPage
from people.models import PersonIndexPage, PersonPage
from sites.models import RelicIndexPage, RelicPage
from tests.heritage.factories import build_commune, index_of

User = get_user_model()

ENTRY_TYPES = [
    (RelicIndexPage, RelicPage, {}),
    (FestivalIndexPage, FestivalPage, {"start_month": "8", "start_day": "10"}),
    (PersonIndexPage, PersonPage, {"birth_text": "khoảng 1230"}),
    (ProductIndexPage, ProductPage, {}),
]


def add_url(model, parent):
    return reverse("wagtailadmin_pages:add", args=[model._meta.app_label, model._meta.model_name, parent.pk])


class PageTreeTests(WagtailPageTestCase):
    def test_entries_live_only_under_the_index_of_their_kind(self):
        for index_model, entry_model, _fields in ENTRY_TYPES:
            with self.subTest(entry=entry_model.__name__):
                self.assertAllowedParentPageTypes(entry_model, {index_model})
                self.assertAllowedSubpageTypes(entry_model, set())

    def test_index_pages_live_under_a_commune_or_the_city_home(self):
        for index_model, _entry_model, _fields in ENTRY_TYPES:
            with self.subTest(index=index_model.__name__):
                self.assertAllowedParentPageTypes(index_model, {HomePage, CityHomePage})

    def test_commune_home_pages_live_at_the_root_or_under_the_city(self):
        self.assertAllowedParentPageTypes(HomePage, {Page, CityHomePage})


class AdminEditingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.commune = build_commune("Kiến Minh", "KM", "kienminh.localhost")
        cls.editor = User.objects.create_user("bientap", password="mật-khẩu-thử")
        cls.editor.groups.add(cls.commune.editors)

    def submit_new_entry(self, index_model, entry_model, fields):
        parent = index_of(self.commune, index_model)
        url = add_url(entry_model, parent)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
        data["title"] = "Đình Đông Khê"
        data["summary"] = "Ngôi đình thờ Thành hoàng làng."
        # The admin's JavaScript fills the slug from the title as the editor types.
        data["slug"] = "dinh-dong-khe"
        # StreamFields are built by the admin's JavaScript; an empty one posts only its count.
        for field in entry_model._meta.get_fields():
            if isinstance(field, StreamField):
                data[f"{field.name}-count"] = "0"
        for name, value in fields.items():
            data[name] = value
        data["action-submit"] = "Submit"
        return self.client.post(url, data), parent

    def test_an_editor_can_submit_every_kind_of_entry_for_review(self):
        self.client.force_login(self.editor)
        for index_model, entry_model, fields in ENTRY_TYPES:
            with self.subTest(entry=entry_model.__name__):
                response, parent = self.submit_new_entry(index_model, entry_model, fields)
                self.assertEqual(
                    response.status_code,
                    302,
                    response.context["form"].errors if response.status_code == 200 else response.status_code,
                )
                page = entry_model.objects.child_of(parent).get()
                self.assertFalse(page.live)
                self.assertEqual(page.current_workflow_state.status, "in_progress")

    def test_the_slug_field_transliterates_d_stroke_as_d_while_the_editor_types(self):
        self.client.force_login(self.editor)
        response = self.client.get(add_url(RelicPage, index_of(self.commune, RelicIndexPage)))
        slug_input = BeautifulSoup(response.content, "html.parser").find("input", attrs={"name": "slug"})
        formatters = json.loads(slug_input["data-w-slug-formatters-value"])
        # Each formatter is [[regex, flags], replacement], applied before the admin's own transliteration.
        self.assertIn(["đ", "d"], [[regex, replacement] for (regex, _flags), replacement in formatters])

        # Vowels with tone marks are unknown to that transliteration, which drops them ("Đền" → "dn"):
        # the formatters leave their bare letters, whether the title was typed composed or not.
        for title in ("Đền thờ Trần Hưng Đạo, Ỷ Lan", unicodedata.normalize("NFD", "Đền thờ Trần Hưng Đạo, Ỷ Lan")):
            formatted = title
            for (regex, _flags), replacement in formatters:
                formatted = re.sub(regex, replacement, formatted)
            self.assertEqual(formatted, "Den tho Tran Hung Dao, Y Lan")

    def test_a_festival_with_an_impossible_lunar_day_is_refused_with_a_message(self):
        self.client.force_login(self.editor)
        response, parent = self.submit_new_entry(
            FestivalIndexPage, FestivalPage, {"start_month": "8", "start_day": "31"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(FestivalPage.objects.child_of(parent).exists())
