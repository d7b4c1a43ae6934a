"""Production settings: read from the environment, refuse to start without what they need, pass check --deploy."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": ".haiphong.example.vn,haiphong.example.vn",
    "DATABASE_URL": "postgres://heritage:mat-khau@db.internal:5432/heritage",
    "PUBLIC_BASE_URL": "https://haiphong.example.vn",
}
SHOW = """
import json
from django.conf import settings
print(json.dumps({
    "debug": settings.DEBUG,
    "middleware": settings.MIDDLEWARE,
    "storages": settings.STORAGES,
    "media_url": settings.MEDIA_URL,
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"].get("LOCATION"),
    "full_page_cache": settings.FULL_PAGE_CACHE_ENABLED,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "engine": settings.DATABASES["default"]["ENGINE"],
    "client_ip_header": settings.CLIENT_IP_HEADER,
}))
"""


def run(args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in REQUIRED and not key.startswith(("AWS_", "REDIS_", "DJANGO_"))
    }
    environment.update(DJANGO_SETTINGS_MODULE="settings.production", **env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def show(**env):
    result = run(["-c", "import django; django.setup()\n" + SHOW], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_passes_with_no_warnings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **REQUIRED)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "System check identified no issues (0 silenced)." in output


def test_check_deploy_passes_with_redis_and_object_storage():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **REQUIRED,
        REDIS_URL="redis://cache.internal:6379/1",
        AWS_STORAGE_BUCKET_NAME="di-san",
        AWS_S3_ENDPOINT_URL="https://s3.example.vn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_what_it_needs(missing):
    env = {key: value for key, value in REQUIRED.items() if key != missing}
    result = run(["manage.py", "check"], **env)
    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


def test_production_refuses_sqlite_and_a_weak_secret_key():
    sqlite = run(["manage.py", "check"], **{**REQUIRED, "DATABASE_URL": "sqlite:////tmp/heritage.sqlite3"})
    assert "PostgreSQL" in sqlite.stderr
    weak = run(["manage.py", "check"], **{**REQUIRED, "SECRET_KEY": "ngan"})
    assert "at least 50 random characters" in weak.stderr


def test_defaults_use_whitenoise_the_database_cache_and_disk_uploads():
    shown = show(**REQUIRED)
    assert shown["debug"] is False
    assert shown["engine"] == "django.db.backends.postgresql"
    assert shown["middleware"][:2] == [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]
    assert shown["storages"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert shown["storages"]["default"]["BACKEND"] == "media.storage.FileSystemStorage"
    assert shown["cache"] == "django.core.cache.backends.db.DatabaseCache"
    assert shown["full_page_cache"] is True
    assert shown["hsts"] == 31_536_000


def test_redis_object_storage_and_proxy_header_come_from_the_environment():
    shown = show(
        **REQUIRED,
        REDIS_URL="redis://cache.internal:6379/1",
        AWS_STORAGE_BUCKET_NAME="di-san",
        AWS_S3_CUSTOM_DOMAIN="anh.haiphong.example.vn",
        CLIENT_IP_HEADER="HTTP_X_REAL_IP",
    )
    assert shown["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert shown["cache_location"] == "redis://cache.internal:6379/1"
    assert shown["storages"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert shown["media_url"] == "https://anh.haiphong.example.vn/"
    assert shown["client_ip_header"] == "HTTP_X_REAL_IP"
