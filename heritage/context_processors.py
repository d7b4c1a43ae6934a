from django.conf import settings


def archive(request):
    """Values every public template needs: the archive's name and its public address."""
    return {"ARCHIVE_NAME": settings.WAGTAIL_SITE_NAME, "PUBLIC_BASE_URL": settings.PUBLIC_BASE_URL}
