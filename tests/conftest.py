import shutil

import pytest
from django.conf import settings

pytest_plugins = ["tests.browser_fixtures"]


@pytest.fixture(autouse=True, scope="session")
def _clean_test_media():
    """Uploads made by tests go to their own folder, emptied after the run."""
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
