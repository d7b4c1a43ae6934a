"""backup and restore: a commune with pages, revisions, workflow and uploads comes back whole into an empty site."""

import hashlib
import io
import json
import tarfile
import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import TestCase
from wagtail.documents.models import Document
from wagtail.models import GroupPagePermission, Page, Revision, Site, WorkflowState

from heritage.backup import BackupError, _wipe, create_backup, database_is_empty, restore_backup
from media.models import HeritageImage
from sites.models import RelicIndexPage, RelicPage
from tests.heritage.factories import ImageFactory, build_commune, index_of, publish
from tests.sites.factories import RelicPageFactory


def checksum(name):
    with default_storage.open(name, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def snapshot():
    """What must survive a backup and restore, in a form two databases can be compared by."""
    return {
        "pages": list(
            Page.objects.order_by("path").values_list(
                "pk", "path", "title", "slug", "live", "has_unpublished_changes", "content_type__model"
            )
        ),
        "relics": list(RelicPage.objects.order_by("pk").values_list("pk", "summary", "official_name", "rank")),
        "revisions": [
            (revision.object_id, revision.content_type.model, revision.created_at, revision.content)
            for revision in Revision.objects.order_by("pk").select_related("content_type")
        ],
        "workflow_states": list(WorkflowState.objects.values_list("base_content_type__model", "object_id", "status")),
        "users": list(get_user_model().objects.order_by("username").values_list("username", "groups__name")),
        "page_permissions": sorted(
            GroupPagePermission.objects.values_list("group__name", "page__path", "permission__codename")
        ),
        "sites": list(Site.objects.order_by("hostname").values_list("hostname", "root_page__path")),
        "images": [
            (image.title, image.collection.name, image.file.name, checksum(image.file.name))
            for image in HeritageImage.objects.order_by("pk")
        ],
        "documents": [
            (document.title, document.collection.name, document.file.name, checksum(document.file.name))
            for document in Document.objects.order_by("pk")
        ],
    }


class BackupRestoreTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.kien_minh = build_commune("Kiến Minh", "KM", "kienminh.localhost")
        index = index_of(cls.kien_minh, RelicIndexPage)
        cls.editor = get_user_model().objects.create_user("bientap-km", "bt@example.vn", "mật-khẩu")
        cls.editor.groups.add(cls.kien_minh.editors)
        cls.relic = RelicPageFactory(parent=index, title="Đình Kiến Minh", summary="Ngôi đình thờ Thành hoàng.")
        cls.relic.summary = "Ngôi đình thờ Thành hoàng làng, dựng thời Lê."
        publish(cls.relic)
        cls.relic.summary = "Bản nháp chưa duyệt."
        cls.relic.save_revision(user=cls.editor)  # a draft over the live version
        draft = index.add_child(instance=RelicPage(title="Chùa Đông Khê", summary="Chùa cổ.", live=False))
        draft.save_revision(user=cls.editor)
        draft.get_workflow().start(draft, cls.editor)
        cls.image = ImageFactory(collection=cls.kien_minh.collection, title="Ảnh cổng đình")
        cls.document = Document.objects.create(
            title="Quyết định xếp hạng",
            collection=cls.kien_minh.collection,
            file=ContentFile("Quyết định số 12/QĐ-UBND".encode(), name="quyet-dinh.txt"),
        )

    def setUp(self):
        self.workdir = Path(tempfile.mkdtemp())
        self.archive = self.workdir / "backup.tar.gz"

    def tearDown(self):
        for path in sorted(self.workdir.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        self.workdir.rmdir()

    def empty_the_site(self, manifest):
        _wipe("default")
        for member in manifest["files"]:
            if member.startswith("media/"):
                default_storage.delete(member.removeprefix("media/"))
        self.assertTrue(database_is_empty())
        self.assertFalse(Page.objects.exists())

    def test_restoring_into_an_empty_site_gives_back_entries_revisions_workflow_and_files(self):
        before = snapshot()
        self.assertEqual(len(before["revisions"]) >= 3 and len(before["workflow_states"]), 1)
        manifest = create_backup(self.archive)
        self.assertEqual(manifest["format"], "heritage-archive-backup")
        self.assertEqual(manifest["version"], 1)
        self.assertIn("media/" + self.image.file.name, manifest["files"])
        self.assertIn("media/" + self.document.file.name, manifest["files"])
        self.assertEqual(manifest["counts"]["sites.relicpage"], 2)

        self.empty_the_site(manifest)
        restore_backup(self.archive)

        after = snapshot()
        for key in before:
            self.assertEqual(after[key], before[key], key)
        restored = RelicPage.objects.get(pk=self.relic.pk)
        self.assertEqual(restored.get_latest_revision_as_object().summary, "Bản nháp chưa duyệt.")
        self.assertEqual(self.client.get(restored.get_url_parts()[2], HTTP_HOST="kienminh.localhost").status_code, 200)

    def test_a_new_page_after_a_restore_gets_a_fresh_id(self):
        create_backup(self.archive)
        restore_backup(self.archive, force=True)
        index = RelicIndexPage.objects.child_of(self.kien_minh.home).get()
        page = index.add_child(instance=RelicPage(title="Miếu Mới", summary="Miếu."))
        self.assertGreater(page.pk, max(Page.objects.exclude(pk=page.pk).values_list("pk", flat=True)))

    def test_a_database_with_content_is_refused_without_force(self):
        create_backup(self.archive)
        with self.assertRaisesMessage(BackupError, "not empty"):
            restore_backup(self.archive)
        self.assertTrue(Page.objects.filter(pk=self.relic.pk).exists())

    def test_a_damaged_archive_is_refused_before_anything_changes(self):
        manifest = create_backup(self.archive)
        damaged = self.workdir / "damaged.tar.gz"
        with tarfile.open(self.archive, "r:gz") as source, tarfile.open(damaged, "w:gz") as target:
            for member in source.getmembers():
                body = source.extractfile(member).read()
                if member.name == "media/" + self.document.file.name:
                    body = body.replace(b"12", b"99")
                target.addfile(member, io.BytesIO(body))
        before = snapshot()
        with self.assertRaisesMessage(BackupError, "Checksum mismatch"):
            restore_backup(damaged, force=True)
        self.assertEqual(snapshot(), before)
        self.assertEqual(len(manifest["files"]), len(json.loads(json.dumps(manifest["files"]))))

    def test_an_archive_of_another_kind_is_refused(self):
        other = self.workdir / "other.tar.gz"
        with tarfile.open(other, "w:gz") as archive:
            body = b'{"format": "something-else"}'
            info = tarfile.TarInfo("manifest.json")
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
        with self.assertRaisesMessage(BackupError, "not an archive made by the backup command"):
            restore_backup(other, force=True)

    def test_the_commands_write_and_read_the_archive(self):
        call_command("backup", output=str(self.archive), verbosity=0)
        self.assertTrue(self.archive.is_file())
        with self.assertRaisesMessage(CommandError, "not empty"):
            call_command("restore", str(self.archive), verbosity=0)
        call_command("restore", str(self.archive), force=True, no_reindex=True, verbosity=0)
        self.assertEqual(RelicPage.objects.count(), 2)
        with self.assertRaisesMessage(CommandError, "No archive"):
            call_command("restore", str(self.workdir / "missing.tar.gz"))

    def test_a_truncated_archive_is_refused_with_a_clear_message(self):
        create_backup(self.archive)
        truncated = self.workdir / "truncated.tar.gz"
        truncated.write_bytes(self.archive.read_bytes()[:-2000])
        with self.assertRaises(BackupError):
            restore_backup(truncated, force=True)
        self.assertTrue(Page.objects.filter(pk=self.relic.pk).exists())
