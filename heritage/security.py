"""Security headers, rate limits and login lockout for the public site and the admin.

- ``SecurityHeadersMiddleware`` sends a strict Content-Security-Policy on the public site (our own
  scripts from /static/ only, no ``unsafe-inline``; an inline script needs ``nonce="{{ request.csp_nonce }}"``),
  a looser one that the Wagtail admin works with under /admin/, a Permissions-Policy, and keeps
  the admin out of search engines (``X-Robots-Tag``).
- ``RateLimitMiddleware`` counts requests per client address in the cache and answers 429 with
  ``Retry-After`` and a Vietnamese page or JSON body once a limit (``RATE_LIMITS``) is reached.
- Failed logins are counted per user name and per address (``user_login_failed``);
  ``LoginLockoutMiddleware`` refuses the admin login form and ``LockoutBackend`` refuses every
  ``authenticate()`` call while the account or address is locked out.
"""

import hashlib
import re
import secrets
import time
from base64 import b64encode
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import JsonResponse
from django.template.response import SimpleTemplateResponse
from django.utils.translation import gettext as _

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


def client_ip(request):
    """The visitor's address: REMOTE_ADDR, or the header a trusted proxy sets (``CLIENT_IP_HEADER``)."""
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if header:
        value = request.META.get(header, "")
        # X-Forwarded-For lists every hop; the last one was added by our own proxy.
        address = value.split(",")[-1].strip()
        if address:
            return address
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _cache():
    return caches[getattr(settings, "SECURITY_CACHE_ALIAS", "default")]


def _hash_key(*parts):
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()[:32]


# --- Content-Security-Policy and other headers -----------------------------------------------------


class LazyNonce:
    """A nonce made only when a template asks for it, so pages without inline scripts carry none."""

    def __init__(self, value=None):
        self._value = value

    @property
    def used(self):
        return self._value is not None

    def __str__(self):
        if self._value is None:
            self._value = b64encode(secrets.token_bytes(16)).decode()
        return self._value

    __html__ = __str__


def _inline_style_hashes():
    """Hashes of the inline <style> of the error pages (500, 503, 507), which are rendered without
    static files and share ``outage_base.html``."""
    template = Path(__file__).parent / "templates" / "outage_base.html"
    try:
        text = template.read_text(encoding="utf-8")
    except OSError:
        return []
    return [
        f"'sha256-{b64encode(hashlib.sha256(style.encode()).digest()).decode()}'"
        for style in re.findall(r"<style>(.*?)</style>", text, flags=re.DOTALL)
    ]


def _tile_sources():
    """The map tile server (MAP_TILE_URL), where map pages load their tile images; ``{s}``
    subdomains become a wildcard."""
    parts = urlsplit(getattr(settings, "MAP_TILE_URL", "").replace("{s}", "*"))
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme in ("http", "https") and parts.netloc else []


def _origin(url):
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _policy(directives):
    return "; ".join(f"{name} {' '.join(values)}".strip() for name, values in directives.items())


class SecurityHeadersMiddleware:
    """Content-Security-Policy, Permissions-Policy, frame policy and X-Robots-Tag on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def style_hashes(self):
        return _inline_style_hashes()

    def _extra(self):
        # Uploads served from object storage or a CDN domain are allowed where images and media load.
        origins = [_origin(settings.MEDIA_URL), _origin(settings.STATIC_URL)]
        return [origin for origin in origins if origin] + list(getattr(settings, "CSP_EXTRA_SOURCES", []))

    def public_policy(self, nonce):
        extra = self._extra()
        script_src = ["'self'", *extra]
        if nonce.used:
            script_src.append(f"'nonce-{nonce}'")
        return _policy(
            {
                "default-src": ["'self'"],
                "script-src": script_src,
                "style-src": ["'self'", *extra, *self.style_hashes],
                "img-src": ["'self'", "data:", *extra, *_tile_sources()],
                "media-src": ["'self'", *extra],
                "font-src": ["'self'", *extra],
                "connect-src": ["'self'"],
                "frame-src": ["'self'", *getattr(settings, "CSP_FRAME_SOURCES", [])],
                "object-src": ["'none'"],
                "base-uri": ["'self'"],
                "form-action": ["'self'"],
                "frame-ancestors": ["'none'"],
            }
        )

    def admin_policy(self):
        # Wagtail's admin writes inline scripts and styles and previews embeds from other sites.
        extra = self._extra()
        return _policy(
            {
                "default-src": ["'self'"],
                "script-src": ["'self'", "'unsafe-inline'", *extra],
                "style-src": ["'self'", "'unsafe-inline'", *extra],
                "img-src": ["'self'", "data:", "blob:", *extra, *_tile_sources()],
                "media-src": ["'self'", "blob:", *extra],
                "font-src": ["'self'", "data:", *extra],
                "connect-src": ["'self'"],
                "frame-src": ["'self'", *getattr(settings, "CSP_FRAME_SOURCES", [])],
                "object-src": ["'none'"],
                "base-uri": ["'self'"],
                "form-action": ["'self'"],
                "frame-ancestors": ["'self'"],
            }
        )

    def __call__(self, request):
        nonce = getattr(request, "csp_nonce", None) or LazyNonce()
        request.csp_nonce = nonce
        response = self.get_response(request)
        is_admin = request.path.startswith(ADMIN_PREFIXES)
        header = "Content-Security-Policy"
        if getattr(settings, "CSP_REPORT_ONLY", False):
            header = "Content-Security-Policy-Report-Only"
        if header not in response:
            response[header] = self.admin_policy() if is_admin else self.public_policy(request.csp_nonce)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.setdefault("X-Content-Type-Options", "nosniff")
        if is_admin:
            # The admin previews pages in frames of its own; the public site is framed by nobody.
            response["X-Frame-Options"] = "SAMEORIGIN"
            response["X-Robots-Tag"] = "noindex, nofollow"
            response.setdefault("Cache-Control", "private, no-store")
        return response


# --- Rate limits -----------------------------------------------------------------------------------


def _rate_rule(request):
    """The first rule of RATE_LIMITS that matches the request: (name, limit, seconds) or None."""
    for name, rule in getattr(settings, "RATE_LIMITS", {}).items():
        methods = rule.get("methods")
        if methods and request.method not in methods:
            continue
        prefixes = rule.get("paths", ())
        excluded = rule.get("exclude", ())
        if prefixes and not request.path.startswith(tuple(prefixes)):
            continue
        if excluded and request.path.startswith(tuple(excluded)):
            continue
        return name, int(rule["limit"]), int(rule["seconds"])
    return None


def hit(bucket, limit, seconds):
    """Count one hit in a fixed window; return the seconds to wait when over the limit, else 0."""
    cache = _cache()
    now = int(time.time())
    window = now // seconds
    key = f"ratelimit:{bucket}:{window}"
    if cache.add(key, 1, seconds + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, seconds + 1)
            count = 1
    if count > limit:
        return max(1, (window + 1) * seconds - now)
    return 0


def too_many_requests(request, retry_after, message=None):
    message = message or _("Too many requests. Please wait a moment and try again.")
    wants_json = request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")
    if wants_json:
        response = JsonResponse({"error": "too_many_requests", "detail": message, "retry_after": retry_after})
        response.status_code = 429
    else:
        response = SimpleTemplateResponse(
            "429.html", {"message": message, "retry_after": retry_after, "request": request}, status=429
        )
        response.render()
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class RateLimitMiddleware:
    """Per-address request limits on search, forms and the API (settings.RATE_LIMITS)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(settings, "RATE_LIMIT_ENABLED", True):
            rule = _rate_rule(request)
            if rule is not None:
                name, limit, seconds = rule
                retry_after = hit(_hash_key(name, client_ip(request)), limit, seconds)
                if retry_after:
                    return too_many_requests(request, retry_after)
        return self.get_response(request)


# --- Login throttling and lockout ------------------------------------------------------------------


def _failure_keys(username, ip):
    keys = [("ip", _hash_key("ip", ip), settings.LOGIN_FAILURES_PER_IP)]
    if username:
        keys.append(("user", _hash_key("user", username.strip().lower()), settings.LOGIN_FAILURES_PER_USER))
    return keys


def lockout_remaining(username, ip):
    """Seconds until this user name and address may try again, 0 when they may try now."""
    if not getattr(settings, "LOGIN_LOCKOUT_ENABLED", True):
        return 0
    cache = _cache()
    remaining = 0
    for _kind, key, limit in _failure_keys(username, ip):
        record = cache.get(f"login-failures:{key}")
        if record and record["count"] >= limit:
            remaining = max(remaining, int(record["until"] - time.time()))
    return max(remaining, 0)


def record_failure(username, ip):
    cache = _cache()
    seconds = settings.LOGIN_LOCKOUT_SECONDS
    for _kind, key, _limit in _failure_keys(username, ip):
        cache_key = f"login-failures:{key}"
        record = cache.get(cache_key) or {"count": 0}
        record["count"] += 1
        record["until"] = time.time() + seconds
        cache.set(cache_key, record, seconds)


def clear_failures(username):
    if username:
        _cache().delete(f"login-failures:{_hash_key('user', username.strip().lower())}")


@receiver(user_login_failed)
def _count_failed_login(sender, credentials, request=None, **kwargs):
    if request is None or not getattr(settings, "LOGIN_LOCKOUT_ENABLED", True):
        return
    record_failure(credentials.get("username", ""), client_ip(request))


@receiver(user_logged_in)
def _forget_failed_logins(sender, request, user, **kwargs):
    clear_failures(user.get_username())


class LockoutBackend:
    """First in AUTHENTICATION_BACKENDS: refuses every login attempt while locked out."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        ip = client_ip(request) if request is not None else ""
        if request is not None and lockout_remaining(username or "", ip):
            raise PermissionDenied  # authenticate() stops here and tries no other backend
        return None


class LoginLockoutMiddleware:
    """Answers a locked-out login POST with 429 and the time to wait, before any password is checked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path in getattr(settings, "LOGIN_PATHS", ()):
            remaining = lockout_remaining(request.POST.get("username", ""), client_ip(request))
            if remaining:
                minutes = max(1, (remaining + 59) // 60)
                return too_many_requests(
                    request,
                    remaining,
                    _("Too many failed sign-in attempts. Try again in %(minutes)s minutes.") % {"minutes": minutes},
                )
        return self.get_response(request)
