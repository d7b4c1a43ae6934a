"""heritage.outages: the answers for a database that does not answer and a full disk (docs/faults.md).

The fault tests (tests/faults) show them on real failures; these check the handler on its own, on
every database backend.
"""

import errno
import json

from django.db import InterfaceError, OperationalError
from django.test import RequestFactory

from heritage.outages import server_error


def handled(error, **headers):
    """The handler's answer while ``error`` is being handled, as Django calls it."""
    request = RequestFactory().get("/", headers=headers)
    try:
        raise error
    except Exception:  # noqa: BLE001 - every kind, as Django's handler gets them
        return server_error(request)


def test_a_database_that_does_not_answer_gets_a_503_with_retry_after():
    for error in (OperationalError("connection refused"), InterfaceError("connection already closed")):
        response = handled(error)
        assert response.status_code == 503 and response["Retry-After"] == "30"
        assert "Kho di sản tạm thời gián đoạn" in response.content.decode()


def test_a_full_disk_gets_a_507_saying_nothing_was_saved():
    response = handled(OSError(errno.ENOSPC, "No space left on device"))
    assert response.status_code == 507
    assert "Ổ đĩa của máy chủ đã đầy nên tệp chưa được lưu" in response.content.decode()
    # The admin's multiple upload gets Wagtail's own refusal, which it shows next to the file.
    response = handled(OSError(errno.EDQUOT, "Disk quota exceeded"), x_requested_with="XMLHttpRequest")
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "success": False,
        "error_message": "Ổ đĩa của máy chủ đã đầy nên tệp chưa được lưu và không có gì bị thay đổi.",
    }


def test_other_errors_keep_the_500_page():
    for error in (ValueError("bug"), OSError(errno.EACCES, "Permission denied")):
        response = handled(error)
        assert response.status_code == 500
        assert "Retry-After" not in response
