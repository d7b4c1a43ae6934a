"""A small local HTTP server that speaks Nominatim's search and reverse protocol, with its failures.

``mode`` chooses the answer: "ok" (a place), "empty" (nothing found), "timeout" (answers after the
client gave up), "429" (rate limited), "500" (server error). Every request is recorded.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PLACE = {
    "place_id": 1,
    "lat": "20.8561234",
    "lon": "106.6822789",
    "display_name": "Đình Kiến Thụy, Kiến Minh, Hải Phòng, Việt Nam",
}


class NominatimHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        server = self.server
        parts = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        server.requests.append((parts.path, query, self.headers.get("User-Agent", "")))
        if server.mode == "timeout":
            time.sleep(server.delay)
            self._send(200, [])
        elif server.mode == "429":
            self._send(429, {"error": "Too many requests"}, {"Retry-After": "60"})
        elif server.mode == "500":
            self._send(500, {"error": "Internal error"})
        elif parts.path.endswith("/search"):
            self._send(200, [] if server.mode == "empty" else [PLACE])
        elif parts.path.endswith("/reverse"):
            if server.mode == "empty":
                self._send(200, {"error": "Unable to geocode"})
            else:
                self._send(200, {**PLACE, "lat": query.get("lat", PLACE["lat"]), "lon": query.get("lon", PLACE["lon"])})
        else:
            self._send(404, {"error": "Not found"})

    def _send(self, status, data, headers=None):
        body = json.dumps(data, ensure_ascii=False).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout case)


class NominatimServer:
    def __init__(self):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), NominatimHandler)
        self.httpd.daemon_threads = True
        self.httpd.mode = "ok"
        self.httpd.delay = 2.0
        self.httpd.requests = []
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self):
        host, port = self.httpd.server_address
        return f"http://{host}:{port}"

    @property
    def requests(self):
        return self.httpd.requests

    def set_mode(self, mode):
        self.httpd.mode = mode

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
