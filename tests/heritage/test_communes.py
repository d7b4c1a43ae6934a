"""Each commune's editors work only in their commune; the city's reviewers approve and publish."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import TestCase
from wagtail.documents.models import Document
from wagtail.models import Page, Site
from wagtail.permissions import policy_registry

from heritage.communes import REVIEWER_GROUP, setup_commune
from heritage.models import CityHomePage, HomePage
from media.models import HeritageImage
from sites.models import RelicIndexPage, RelicPage
from tests.heritage.factories import ImageFactory, build_commune, index_of
from tests.sites.factories import RelicPageFactory

User = get_user_model()


def make_user(username, group):
    user = User.objects.create_user(username=username, password="mật-khẩu-thử", email=f"{username}@example.vn")
    user.groups.add(group)
    return user


class CommuneSetupTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.kien_minh = build_commune("Kiến Minh", "KM", "kienminh.localhost")

    def test_each_commune_is_its_own_site_rooted_at_its_home_page(self):
        site = Site.objects.get(hostname="kienminh.localhost")
        self.assertEqual(site.root_page.specific, self.kien_minh.home)

    def test_home_page_gets_one_index_page_per_kind_with_ascii_slugs(self):
        children = self.kien_minh.home.get_children().specific()
        self.assertEqual(
            [type(page).__name__ for page in children],
            ["RelicIndexPage", "FestivalIndexPage", "PersonIndexPage", "ProductIndexPage"],
        )
        for page in children:
            self.assertTrue(page.slug.isascii(), page.slug)

    def test_running_the_setup_again_creates_nothing_new(self):
        pages, groups = Page.objects.count(), Group.objects.count()
        setup_commune(self.kien_minh.commune, hostname="kienminh.localhost")
        self.assertEqual((Page.objects.count(), Group.objects.count()), (pages, groups))

    def test_the_city_home_is_the_default_site(self):
        self.assertIsInstance(Site.objects.get(is_default_site=True).root_page.specific, CityHomePage)


class CommunePermissionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.kien_minh = build_commune("Kiến Minh", "KM", "kienminh.localhost")
        cls.an_khanh = build_commune("An Khánh", "AK", "ankhanh.localhost")
        cls.own_relic = RelicPageFactory(parent=index_of(cls.kien_minh, RelicIndexPage), title="Đình Kiến Minh")
        cls.other_relic = RelicPageFactory(parent=index_of(cls.an_khanh, RelicIndexPage), title="Chùa An Khánh")
        cls.editor = make_user("bientap-km", cls.kien_minh.editors)
        cls.reviewer = make_user("thamdinh", Group.objects.get(name=REVIEWER_GROUP))
        cls.own_image = ImageFactory(collection=cls.kien_minh.collection, title="Ảnh Kiến Minh")
        cls.other_image = ImageFactory(collection=cls.an_khanh.collection, title="Ảnh An Khánh")
        cls.other_document = Document.objects.create(
            title="Quyết định xếp hạng",
            collection=cls.an_khanh.collection,
            file=ContentFile(b"%PDF-1.4", name="qd.pdf"),
        )

    def test_an_editor_can_edit_but_not_publish_pages_of_their_commune(self):
        permissions = self.own_relic.permissions_for_user(self.editor)
        self.assertTrue(permissions.can_edit())
        self.assertFalse(permissions.can_publish())

    def test_an_editor_cannot_edit_move_or_delete_another_communes_pages(self):
        permissions = self.other_relic.permissions_for_user(self.editor)
        self.assertFalse(permissions.can_edit())
        self.assertFalse(permissions.can_delete())
        self.assertFalse(
            self.own_relic.permissions_for_user(self.editor).can_move_to(index_of(self.an_khanh, RelicIndexPage))
        )

    def test_an_editor_is_refused_another_communes_page_by_direct_url(self):
        self.client.force_login(self.editor)
        response = self.client.get(f"/admin/pages/{self.other_relic.pk}/edit/")
        self.assertNotEqual(response.status_code, 200)
        self.assertEqual(self.client.get(f"/admin/pages/{self.own_relic.pk}/edit/").status_code, 200)

    def test_an_editor_does_not_see_another_communes_drafts_in_the_page_explorer(self):
        self.client.force_login(self.editor)
        response = self.client.get(f"/admin/pages/{index_of(self.an_khanh, RelicIndexPage).pk}/")
        self.assertNotEqual(response.status_code, 200)

    def test_an_editor_can_change_only_their_communes_images_and_documents(self):
        images = policy_registry.get_by_type(HeritageImage)
        documents = policy_registry.get_by_type(Document)
        self.assertTrue(images.user_has_permission_for_instance(self.editor, "change", self.own_image))
        self.assertFalse(images.user_has_permission_for_instance(self.editor, "change", self.other_image))
        self.assertFalse(documents.user_has_permission_for_instance(self.editor, "change", self.other_document))

    def test_an_editor_is_refused_another_communes_image_by_direct_url(self):
        self.client.force_login(self.editor)
        self.assertNotEqual(self.client.get(f"/admin/images/{self.other_image.pk}/").status_code, 200)
        self.assertEqual(self.client.get(f"/admin/images/{self.own_image.pk}/").status_code, 200)

    def test_the_city_reviewer_can_publish_in_every_commune(self):
        for relic in (self.own_relic, self.other_relic):
            self.assertTrue(relic.permissions_for_user(self.reviewer).can_publish())


class ApprovalWorkflowTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.kien_minh = build_commune("Kiến Minh", "KM", "kienminh.localhost")
        cls.editor = make_user("bientap-km", cls.kien_minh.editors)
        cls.reviewer = make_user("thamdinh", Group.objects.get(name=REVIEWER_GROUP))

    def test_an_editors_submission_goes_live_only_when_a_reviewer_approves(self):
        index = index_of(self.kien_minh, RelicIndexPage)
        relic = index.add_child(instance=RelicPage(title="Đình Đông Khê", summary="Ngôi đình cổ.", live=False))
        relic.save_revision(user=self.editor)
        workflow = relic.get_workflow()
        self.assertIsNotNone(workflow, "Commune pages must be under the city's approval workflow.")

        state = workflow.start(relic, self.editor)
        relic.refresh_from_db()
        self.assertFalse(relic.live)
        task_state = state.current_task_state
        self.assertTrue(task_state.task.specific.user_can_access_editor(relic, self.reviewer))
        self.assertFalse(task_state.task.specific.user_can_access_editor(relic, self.editor))

        task_state.approve(user=self.reviewer)
        relic.refresh_from_db()
        self.assertTrue(relic.live)

    def test_a_new_commune_home_page_is_under_the_city_workflow(self):
        self.assertEqual(
            HomePage.objects.get(commune=self.kien_minh.commune).get_workflow().name, "Duyệt nội dung cấp thành phố"
        )


class CommuneIsolationThroughTheAdminTests(TestCase):
    """Every admin address an editor could type for another commune's pages, images and documents is refused,
    and nothing changes when they post to it."""

    @classmethod
    def setUpTestData(cls):
        cls.kien_minh = build_commune("Kiến Minh", "KM", "kienminh.localhost")
        cls.an_khanh = build_commune("An Khánh", "AK", "ankhanh.localhost")
        cls.own_index = index_of(cls.kien_minh, RelicIndexPage)
        cls.other_index = index_of(cls.an_khanh, RelicIndexPage)
        cls.own_relic = RelicPageFactory(parent=cls.own_index, title="Đình Kiến Minh")
        cls.other_relic = RelicPageFactory(parent=cls.other_index, title="Chùa An Khánh")
        cls.other_draft = cls.other_index.add_child(
            instance=RelicPage(title="Bản nháp miếu Hạ An Khánh", summary="Chưa duyệt.", live=False)
        )
        cls.other_revision = cls.other_draft.save_revision()
        cls.editor = make_user("bientap-km", cls.kien_minh.editors)
        cls.other_image = ImageFactory(collection=cls.an_khanh.collection, title="Ảnh riêng An Khánh")
        cls.own_image = ImageFactory(collection=cls.kien_minh.collection, title="Ảnh của Kiến Minh")
        cls.other_document = Document.objects.create(
            title="Hồ sơ riêng An Khánh",
            collection=cls.an_khanh.collection,
            file=ContentFile(b"%PDF-1.4", name="ho-so.pdf"),
        )

    def setUp(self):
        self.client.force_login(self.editor)

    def assertRefused(self, response, url):
        # Wagtail answers "permission denied" by a redirect to the dashboard with a message, or 403/404.
        self.assertIn(response.status_code, (302, 403, 404), url)
        if response.status_code == 302:
            self.assertNotIn(url, response["Location"])

    def test_another_communes_draft_cannot_be_seen_previewed_or_read_in_its_history(self):
        draft = self.other_draft
        for url in (
            f"/admin/pages/{draft.pk}/edit/",
            f"/admin/pages/{draft.pk}/edit/preview/",
            f"/admin/pages/{draft.pk}/history/",
            f"/admin/pages/{draft.pk}/revisions/{self.other_revision.pk}/view/",
            f"/admin/pages/{self.other_index.pk}/",
        ):
            response = self.client.get(url)
            self.assertRefused(response, url)
            self.assertNotContains(response, "Bản nháp miếu Hạ An Khánh", status_code=response.status_code)

    def test_another_communes_drafts_are_not_found_by_the_admin_search(self):
        response = self.client.get("/admin/pages/search/", {"q": "Bản nháp miếu Hạ"})
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Bản nháp miếu Hạ An Khánh")

    def test_posting_to_delete_unpublish_or_edit_another_communes_page_changes_nothing(self):
        relic = self.other_relic
        for url, data in (
            (f"/admin/pages/{relic.pk}/delete/", {}),
            (f"/admin/pages/{relic.pk}/unpublish/", {}),
            (f"/admin/pages/{relic.pk}/edit/", {"title": "Đã bị sửa", "slug": "da-bi-sua"}),
            (f"/admin/pages/{relic.pk}/copy/", {"new_title": "Bản sao", "new_slug": "ban-sao"}),
        ):
            self.assertRefused(self.client.post(url, data), url)
        relic.refresh_from_db()
        self.assertEqual((relic.title, relic.live), ("Chùa An Khánh", True))
        self.assertEqual(RelicPage.objects.filter(title="Bản sao").count(), 0)

    def test_pages_cannot_be_moved_between_communes_either_way(self):
        for page, destination in ((self.own_relic, self.other_index), (self.other_relic, self.own_index)):
            url = f"/admin/pages/{page.pk}/move/{destination.pk}/confirm/"
            self.assertRefused(self.client.post(url), url)
            page.refresh_from_db()
            self.assertNotEqual(page.get_parent().pk, destination.pk)
        self.assertRefused(self.client.get(f"/admin/pages/{self.other_relic.pk}/move/"), "move")

    def test_another_communes_images_and_documents_cannot_be_listed_changed_or_deleted(self):
        for url in ("/admin/images/", "/admin/images/chooser/", "/admin/documents/", "/admin/documents/chooser/"):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertNotContains(response, "Ảnh riêng An Khánh")
            self.assertNotContains(response, "Hồ sơ riêng An Khánh")
        self.assertContains(self.client.get("/admin/images/"), "Ảnh của Kiến Minh")
        for url in (
            f"/admin/images/{self.other_image.pk}/delete/",
            f"/admin/documents/edit/{self.other_document.pk}/",
            f"/admin/documents/delete/{self.other_document.pk}/",
        ):
            self.assertRefused(self.client.get(url), url)
            self.assertRefused(self.client.post(url, {"title": "Đã bị sửa"}), url)
        self.assertTrue(HeritageImage.objects.filter(pk=self.other_image.pk, title="Ảnh riêng An Khánh").exists())
        self.assertTrue(Document.objects.filter(pk=self.other_document.pk, title="Hồ sơ riêng An Khánh").exists())
