"""The WSGI application benchmarks/lighthouse.py serves with gunicorn: the site, and /media/ the way
nginx serves it in production (deploy/nginx/heritage.conf: from disk, ``expires 7d``)."""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.core.wsgi import get_wsgi_application

site = get_wsgi_application()
MEDIA_ROOT = Path(settings.MEDIA_ROOT).resolve()
MEDIA_URL = settings.MEDIA_URL


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    if path.startswith(MEDIA_URL):
        file = (MEDIA_ROOT / path[len(MEDIA_URL) :]).resolve()
        if MEDIA_ROOT in file.parents and file.is_file():
            content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            body = file.read_bytes()
            headers = [
                ("Content-Type", content_type),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "max-age=604800"),
                ("X-Content-Type-Options", "nosniff"),
            ]
            start_response("200 OK", headers)
            return [body]
    return site(environ, start_response)
