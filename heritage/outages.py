"""What a visitor or an editor sees when a service the site stands on fails (docs/faults.md).

Django calls ``server_error`` (``handler500`` in settings/urls.py) for any exception nothing else
handled, from a view or a middleware, while that exception is being handled. Two failures get an
answer of their own instead of the generic 500 page:

- the database cannot be reached (stopped, restarting, out of connections): 503 with Retry-After,
  so browsers, load balancers and crawlers know it is temporary. Django opens a new connection on
  the next request (``CONN_HEALTH_CHECKS``), so the site recovers by itself once the database is back;
- the disk is full while a file is stored: 507, saying the file was not saved. The storage
  (``media.storage``) has removed what it had written, and the database row was never inserted.

Everything is rendered from templates that need no database, no request context and no static files.
"""

import errno
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

RETRY_AFTER_SECONDS = 30
DISK_FULL_ERRORS = {errno.ENOSPC, errno.EDQUOT}


def database_unavailable(error):
    return isinstance(error, OperationalError | InterfaceError)


def disk_full(error):
    while error is not None:
        if isinstance(error, OSError) and error.errno in DISK_FULL_ERRORS:
            return True
        error = error.__cause__ or error.__context__
    return False


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    error = sys.exc_info()[1]
    if database_unavailable(error):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if disk_full(error):
        message = _("The server's disk is full, so the file was not saved and nothing was changed.")
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            # The admin's multiple upload shows error_message next to the file (Wagtail's own answer
            # for a refused file); any other status would only say that the upload failed.
            return JsonResponse({"success": False, "error_message": message})
        return HttpResponse(loader.render_to_string("507.html", {"message": message}), status=507)
    return defaults.server_error(request, template_name)
