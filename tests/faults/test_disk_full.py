"""The disk fills up during an image upload: a clear message, no database row, no partial file.

MEDIA_ROOT is a 1 MB tmpfs mounted for the test, and the uploads go through the admin's real views:
the single-image form (a 3 MB upload, which Django spools to a temporary file and then copies) and
the multiple upload (1.5 MB, written from memory). Either way the write fails part-way with ENOSPC.
"""

import contextlib
import io
import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from PIL import Image

from media.models import HeritageImage

# Transactional, as in production: the admin saves inside atomic blocks, which must really roll back.
pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

DISK_SIZE = 1024 * 1024
FULL_DISK_MESSAGE = "The server's disk is full, so the file was not saved and nothing was changed."


@pytest.fixture
def small_disk():
    """A 1 MB tmpfs, mounted for the test and unmounted afterwards (needs root, as CI runs)."""
    if os.getuid() != 0:
        pytest.fail("The disk-full test mounts a 1 MB tmpfs and needs root (CI runs as root).", pytrace=False)
    folder = Path(tempfile.mkdtemp(prefix="heritage-full-disk-"))
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK_SIZE}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        folder.rmdir()
        pytest.fail(f"Could not mount a tmpfs for the disk-full test: {result.stderr.strip()}", pytrace=False)
    try:
        with override_settings(MEDIA_ROOT=str(folder)):
            yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)
        with contextlib.suppress(OSError):
            folder.rmdir()


@pytest.fixture
def admin_client():
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "password")
    client = Client(raise_request_exception=False, headers={"accept-language": "en"})
    client.force_login(admin)
    return client


def noisy_png(side):
    """A PNG that does not compress: random pixels, about 3 bytes per pixel."""
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def files_in(folder):
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def test_an_upload_that_fills_the_disk_is_refused_cleanly(small_disk, admin_client):
    data = noisy_png(1000)
    assert len(data) > 2.5 * 1024 * 1024  # above FILE_UPLOAD_MAX_MEMORY_SIZE: spooled, then copied
    response = admin_client.post(
        reverse("wagtailimages:add"),
        {"title": "Đình Đại Trà", "file": SimpleUploadedFile("dinh-dai-tra.png", data, content_type="image/png")},
    )
    assert response.status_code == 507, response.content[:500]
    assert "Ổ đĩa của máy chủ đã đầy" in response.content.decode() or FULL_DISK_MESSAGE in response.content.decode()
    assert not HeritageImage.objects.exists()
    assert files_in(small_disk) == []

    # The admin's multiple upload (the "Add an image" button) gets the message in Wagtail's own answer.
    response = admin_client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile("chua-kien-minh.png", noisy_png(700), content_type="image/png")},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["success"] is False and answer["error_message"], answer
    assert not HeritageImage.objects.exists()
    assert files_in(small_disk) == []

    # The space went back: a small picture fits afterwards.
    response = admin_client.post(
        reverse("wagtailimages:add"),
        {"title": "Chùa", "file": SimpleUploadedFile("chua.png", noisy_png(100), content_type="image/png")},
    )
    assert response.status_code == 302, response.content[:500]
    assert HeritageImage.objects.count() == 1
    assert len(files_in(small_disk)) == 1
