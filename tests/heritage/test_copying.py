"""Copying an entry in the admin makes a new entry with its own source ID; aliases are refused."""

from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.test import TestCase
from wagtail.models import Page

from heritage.models import HeritagePage
from sites.models import RelicIndexPage, RelicPage
from tests.heritage.factories import build_commune, index_of, publish
from tests.sites.factories import RelicPageFactory

User = get_user_model()


class CopyingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.kien_minh = build_commune()
        cls.index = index_of(cls.kien_minh, RelicIndexPage)
        cls.relic = publish(RelicPageFactory(parent=cls.index, title="Đình Kiến Thụy"))
        cls.admin = User.objects.create_superuser("quantri", "quantri@example.vn", "mật-khẩu-thử")

    def setUp(self):
        self.client.force_login(self.admin)

    def copy(self, page, **data):
        form = {"new_title": "Đình Kiến Thụy (bản sao)", "new_slug": "dinh-kien-thuy-ban-sao"}
        form["new_parent_page"] = str(page.get_parent().pk)
        return self.client.post(f"/admin/pages/{page.pk}/copy/", {**form, **data})

    def test_a_copy_is_a_new_entry_with_its_own_source_id(self):
        response = self.copy(self.relic)
        self.assertEqual(response.status_code, 302)
        copied = RelicPage.objects.get(slug="dinh-kien-thuy-ban-sao")
        self.relic.refresh_from_db()
        self.assertNotEqual(copied.source_id, self.relic.source_id)
        self.assertTrue(copied.source_id)
        # Its copied revision carries the new ID, so publishing it keeps the two apart.
        revision = copied.get_latest_revision()
        self.assertEqual(revision.content["source_id"], copied.source_id)
        revision.publish()
        copied.refresh_from_db()
        self.assertTrue(copied.live)
        self.assertNotEqual(copied.source_id, self.relic.source_id)

    def test_an_alias_of_an_entry_is_refused_with_a_message(self):
        before = Page.objects.count()
        response = self.copy(self.relic, alias="on")
        self.assertRedirects(response, f"/admin/pages/{self.relic.pk}/copy/", fetch_redirect_response=False)
        self.assertEqual(Page.objects.count(), before)
        self.assertEqual([message.level_tag for message in get_messages(response.wsgi_request)], ["error"])

    def test_an_alias_of_an_index_with_its_entries_is_refused_but_not_without_them(self):
        data = {"new_title": "Di tích (bí danh)", "new_slug": "di-tich-bi-danh", "alias": "on"}
        before = HeritagePage.objects.count()
        response = self.copy(self.index, copy_subpages="on", **data)
        self.assertRedirects(response, f"/admin/pages/{self.index.pk}/copy/", fetch_redirect_response=False)
        self.assertFalse(Page.objects.filter(slug="di-tich-bi-danh").exists())
        response = self.copy(self.index, **data)
        self.assertEqual(response.status_code, 302)
        alias = Page.objects.get(slug="di-tich-bi-danh")
        self.assertEqual(alias.alias_of_id, self.index.pk)
        self.assertEqual(HeritagePage.objects.count(), before)
