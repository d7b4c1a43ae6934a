"""The project's URLs plus uploaded files, for browser tests that play recordings and open pictures.

Uploaded files are served the way a production web server serves them, with byte ranges: a browser
can seek in a recording only when the server answers ``Range`` requests (Django's ``serve`` does not).
"""

import mimetypes
import re
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import re_path
from django.utils._os import safe_join

from settings.urls import urlpatterns as project_urlpatterns

RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


def serve_with_ranges(request, path):
    try:
        full_path = Path(safe_join(settings.MEDIA_ROOT, path))
    except ValueError as error:
        raise Http404 from error
    if not full_path.is_file():
        raise Http404
    data = full_path.read_bytes()
    content_type = mimetypes.guess_type(full_path.name)[0] or "application/octet-stream"
    match = RANGE.match(request.headers.get("Range", ""))
    if not match:
        response = HttpResponse(data, content_type=content_type)
    else:
        start = int(match[1]) if match[1] else max(0, len(data) - int(match[2] or 0))
        end = min(int(match[2]), len(data) - 1) if match[1] and match[2] else len(data) - 1
        response = HttpResponse(data[start : end + 1], content_type=content_type, status=206)
        response["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
    response["Accept-Ranges"] = "bytes"
    return response


urlpatterns = [
    re_path(r"^uploads/(?P<path>.*)$", serve_with_ranges),
    *project_urlpatterns,
]
