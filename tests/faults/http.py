"""A plain HTTP client for the fault tests: real sockets against a live server, any Host header."""

import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from urllib.parse import urlsplit


def fetch(base_url, path, *, host=None, timeout=30):
    """``(status, body)`` for ``path`` on the server at ``base_url``; status 0 when no answer came."""
    status, _headers, body = fetch_with_headers(base_url, path, host=host, timeout=timeout)
    return status, body


def fetch_with_headers(base_url, path, *, host=None, timeout=30):
    """``(status, headers, body)``, as ``fetch``."""
    parts = urlsplit(base_url)
    headers = {"Host": f"{host}:{parts.port}"} if host else {}
    request = urllib.request.Request(f"{parts.scheme}://127.0.0.1:{parts.port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
    except OSError as error:
        return 0, {}, str(error).encode()


class Visitors:
    """Threads requesting ``targets`` (``(host, path)`` pairs) in turn until stopped, counting answers."""

    def __init__(self, base_url, targets, *, threads=4):
        self.base_url = base_url
        self.targets = targets
        self.threads = [threading.Thread(target=self._visit, args=(index,), daemon=True) for index in range(threads)]
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.statuses = Counter()
        self.failures = []  # (phase, host, path, status, body start) of answers >= 500 or none at all
        self.phase = "before"

    def _visit(self, index):
        turn = index
        while not self.stopping.is_set():
            host, path = self.targets[turn % len(self.targets)]
            turn += 1
            status, body = fetch(self.base_url, path, host=host)
            with self.lock:
                self.statuses[(self.phase, status)] += 1
                if status == 0 or status >= 500:
                    self.failures.append((self.phase, host, path, status, body[:300]))

    def count(self, phase):
        with self.lock:
            return sum(count for (counted_phase, _status), count in self.statuses.items() if counted_phase == phase)

    def wait_for(self, phase, requests, timeout=300):
        deadline = time.monotonic() + timeout
        while self.count(phase) < requests and time.monotonic() < deadline:
            time.sleep(0.2)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)
