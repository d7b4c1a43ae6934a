"""Security headers, rate limits, login lockout, rich-text sanitizing and the admin kept out of search engines."""

import hashlib
import json
import re
from base64 import b64encode

from bs4 import BeautifulSoup
from django.contrib.auth import authenticate, get_user_model
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import RequestFactory, TestCase, override_settings
from wagtail.admin.rich_text import DraftailRichTextArea

from heritage.security import SecurityHeadersMiddleware, _inline_style_hashes
from sites.models import RelicIndexPage
from tests.heritage.factories import build_commune, index_of
from tests.sites.factories import RelicPageFactory

HOST = "kienminh.localhost"


def directives(policy):
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


class SecurityHeaderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.kien_minh = build_commune("Kiến Minh", "KM", HOST)
        cls.relic = RelicPageFactory(parent=index_of(cls.kien_minh, RelicIndexPage), title="Đình Kiến Minh")

    def setUp(self):
        cache.clear()
        self.client.defaults["HTTP_HOST"] = HOST

    def test_public_pages_get_a_strict_policy_without_unsafe_inline(self):
        for url in ("/", self.relic.get_url_parts()[2], "/tim-kiem/?q=dinh"):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            policy = directives(response["Content-Security-Policy"])
            self.assertEqual(policy["script-src"][0], "'self'")
            for name in ("default-src", "script-src", "style-src"):
                self.assertNotIn("'unsafe-inline'", policy[name], (url, name))
                self.assertNotIn("'unsafe-eval'", policy[name], (url, name))
            self.assertEqual(policy["object-src"], ["'none'"])
            self.assertEqual(policy["frame-ancestors"], ["'none'"])
            self.assertEqual(response["X-Frame-Options"], "DENY")
            self.assertIn("camera=()", response["Permissions-Policy"])
            self.assertEqual(response["Referrer-Policy"], "strict-origin-when-cross-origin")
            self.assertEqual(response["X-Content-Type-Options"], "nosniff")

    def test_public_pages_have_no_inline_script_style_or_event_handler_the_policy_would_block(self):
        for url in ("/", self.relic.get_url_parts()[2], "/tim-kiem/?q=dinh", "/khong-co-trang-nay/"):
            response = self.client.get(url)
            soup = BeautifulSoup(response.content, "html.parser")
            nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
            for script in soup.find_all("script"):
                allowed = (
                    script.get("src")
                    or script.get("type") in ("application/ld+json", "application/json")
                    or (nonce and script.get("nonce") == nonce.group(1))
                )
                self.assertTrue(allowed, f"{url}: inline script the policy blocks: {str(script)[:80]}")
            self.assertEqual(soup.find_all("style"), [], url)
            for element in soup.find_all(True):
                handlers = [name for name in element.attrs if name.startswith("on")]
                self.assertEqual(handlers, [], f"{url}: {element.name} has {handlers}")
                self.assertNotIn("style", element.attrs, f"{url}: {element.name} has a style attribute")

    def test_the_error_pages_inline_style_is_allowed_by_its_hash(self):
        self.assertEqual(len(_inline_style_hashes()), 1)
        allowed = directives(self.client.get("/")["Content-Security-Policy"])["style-src"]
        for name in ("500.html", "503.html", "507.html"):
            styles = re.findall(r"<style>(.*?)</style>", render_to_string(name), flags=re.DOTALL)
            self.assertEqual(len(styles), 1, name)
            digest = b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
            self.assertIn(f"'sha256-{digest}'", allowed, name)

    def test_a_template_that_asks_for_a_nonce_gets_it_in_the_policy(self):
        request = RequestFactory().get("/")

        def view(request):
            from django.http import HttpResponse

            return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

        response = SecurityHeadersMiddleware(view)(request)
        nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
        self.assertIn(f"'nonce-{nonce}'", directives(response["Content-Security-Policy"])["script-src"])
        plain = SecurityHeadersMiddleware(lambda request: __import__("django.http").http.HttpResponse("x"))(
            RequestFactory().get("/")
        )
        self.assertNotIn("nonce-", plain["Content-Security-Policy"])

    def test_the_admin_gets_a_workable_policy_and_stays_out_of_search_engines(self):
        response = self.client.get("/admin/login/")
        self.assertEqual(response.status_code, 200)
        policy = directives(response["Content-Security-Policy"])
        self.assertEqual(policy["frame-ancestors"], ["'self'"])
        self.assertEqual(response["X-Frame-Options"], "SAMEORIGIN")
        self.assertEqual(response["X-Robots-Tag"], "noindex, nofollow")
        robots = self.client.get("/robots.txt").content.decode()
        self.assertIn("Disallow: /admin/", robots)

    def test_the_health_check_answers_ok(self):
        response = self.client.get("/healthz/")
        self.assertEqual((response.status_code, response.content), (200, b"ok\n"))


SMALL_LIMITS = {
    "api": {"paths": ["/api/"], "limit": 3, "seconds": 60},
    "search": {"paths": ["/tim-kiem/"], "limit": 2, "seconds": 60},
    "forms": {"methods": ["POST"], "exclude": ["/admin/"], "limit": 2, "seconds": 60},
}


@override_settings(RATE_LIMIT_ENABLED=True, RATE_LIMITS=SMALL_LIMITS)
class RateLimitTests(TestCase):
    def setUp(self):
        cache.clear()

    def test_search_answers_429_in_vietnamese_with_retry_after_past_the_limit(self):
        for _attempt in range(2):
            self.assertEqual(self.client.get("/tim-kiem/?q=dinh").status_code, 200)
        response = self.client.get("/tim-kiem/?q=dinh")
        self.assertEqual(response.status_code, 429)
        self.assertGreater(int(response["Retry-After"]), 0)
        self.assertContains(response, "Quá nhiều yêu cầu", status_code=429)
        self.assertIn("Content-Security-Policy", response)

    def test_the_api_answers_429_as_json(self):
        for _attempt in range(3):
            self.assertEqual(self.client.get("/api/search/?q=dinh").status_code, 200)
        response = self.client.get("/api/search/?q=dinh")
        self.assertEqual(response.status_code, 429)
        body = json.loads(response.content)
        self.assertEqual(body["error"], "too_many_requests")
        self.assertEqual(str(body["retry_after"]), response["Retry-After"])
        self.assertIn("Quá nhiều yêu cầu", body["detail"])

    def test_each_address_has_its_own_count(self):
        for _attempt in range(2):
            self.client.get("/tim-kiem/?q=dinh", REMOTE_ADDR="10.0.0.1")
        self.assertEqual(self.client.get("/tim-kiem/?q=dinh", REMOTE_ADDR="10.0.0.1").status_code, 429)
        self.assertEqual(self.client.get("/tim-kiem/?q=dinh", REMOTE_ADDR="10.0.0.2").status_code, 200)

    @override_settings(CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR")
    def test_behind_a_trusted_proxy_the_address_it_adds_is_counted(self):
        for _attempt in range(2):
            self.client.get("/tim-kiem/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
        # A visitor cannot escape by writing a first hop of their own: the proxy's last entry counts.
        self.assertEqual(self.client.get("/tim-kiem/", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7").status_code, 429)
        self.assertEqual(self.client.get("/tim-kiem/", HTTP_X_FORWARDED_FOR="203.0.113.8").status_code, 200)

    def test_form_posts_are_limited_and_the_admin_is_not(self):
        for _attempt in range(2):
            self.assertNotEqual(self.client.post("/lien-he/", {"message": "xin chào"}).status_code, 429)
        self.assertEqual(self.client.post("/lien-he/", {"message": "xin chào"}).status_code, 429)
        self.assertNotEqual(self.client.post("/admin/login/", {"username": "a", "password": "b"}).status_code, 429)


@override_settings(LOGIN_FAILURES_PER_USER=3, LOGIN_FAILURES_PER_IP=10, LOGIN_LOCKOUT_SECONDS=600)
class LoginLockoutTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = get_user_model().objects.create_superuser("bientap", "bt@example.vn", "mật-khẩu-đúng")
        cls.other = get_user_model().objects.create_superuser("thamdinh", "td@example.vn", "mật-khẩu-khác")

    def setUp(self):
        cache.clear()

    def login(self, username, password, address="10.0.0.1"):
        return self.client.post("/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address)

    def test_wagtails_login_locks_an_account_after_repeated_failures(self):
        for _attempt in range(3):
            response = self.login("bientap", "sai")
            self.assertEqual(response.status_code, 200)  # the form again, with its error
        response = self.login("bientap", "mật-khẩu-đúng")
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Đăng nhập sai quá nhiều lần", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertIsNone(
            authenticate(
                RequestFactory().post("/", REMOTE_ADDR="10.9.9.9"), username="bientap", password="mật-khẩu-đúng"
            )
        )

    def test_another_account_from_the_same_address_can_still_sign_in(self):
        for _attempt in range(3):
            self.login("bientap", "sai")
        response = self.login("thamdinh", "mật-khẩu-khác")
        self.assertEqual(response.status_code, 302)
        self.assertIn("_auth_user_id", self.client.session)

    def test_an_address_trying_many_accounts_is_locked_out(self):
        for attempt in range(10):
            self.login(f"khong-ton-tai-{attempt}", "sai", address="10.0.0.66")
        self.assertEqual(self.login("thamdinh", "mật-khẩu-khác", address="10.0.0.66").status_code, 429)
        self.assertEqual(self.login("thamdinh", "mật-khẩu-khác", address="10.0.0.67").status_code, 302)

    def test_a_successful_login_forgets_earlier_failures(self):
        for _attempt in range(2):
            self.login("bientap", "sai")
        self.assertEqual(self.login("bientap", "mật-khẩu-đúng").status_code, 302)
        self.client.logout()
        for _attempt in range(2):
            self.login("bientap", "sai")
        self.assertEqual(self.login("bientap", "mật-khẩu-đúng").status_code, 302)


class RichTextSanitizingTests(TestCase):
    def test_the_admin_editor_drops_scripts_event_handlers_and_javascript_links(self):
        contentstate = {
            "blocks": [
                {
                    "key": "a1",
                    "type": "unstyled",
                    "text": "<script>alert(1)</script> Đình làng",
                    "depth": 0,
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": 26, "length": 9, "key": 0}],
                }
            ],
            "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "javascript:alert(1)"}}},
        }
        widget = DraftailRichTextArea(features=["bold", "link"])
        html = widget.value_from_datadict({"body": json.dumps(contentstate)}, {}, "body")
        self.assertNotIn("<script", html)
        self.assertNotIn("javascript:", html)
        self.assertIn("&lt;script&gt;", html)
        self.assertIn("<a>Đình làng</a>", html)  # the link kept its text and lost its address


class TwoFactorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = get_user_model().objects.create_superuser("bientap", "bt@example.vn", "mật-khẩu-đúng")

    def setUp(self):
        cache.clear()
        self.client.force_login(self.user)

    def current_code(self, device):
        from django_otp.oath import TOTP

        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        return str(totp.token()).zfill(device.digits)

    def unthrottle(self, device):
        """django-otp slows down attempts after a wrong code; the tests do not wait for it."""
        device.refresh_from_db()
        device.throttling_failure_count = 0
        device.throttling_failure_timestamp = None
        device.save()

    def wrong_code(self, device):
        return str((int(self.current_code(device)) + 500_000) % 1_000_000).zfill(6)

    def test_without_an_authenticator_the_admin_opens_after_the_password(self):
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    def test_a_user_with_an_authenticator_must_enter_its_code_before_the_admin_opens(self):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=self.user, name="default", confirmed=True)
        response = self.client.get("/admin/pages/")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], "/admin/2fa/verify/?next=/admin/pages/")
        form = self.client.get(response["Location"])
        self.assertContains(form, 'autocomplete="one-time-code"')

        refused = self.client.post("/admin/2fa/verify/", {"token": self.wrong_code(device), "next": "/admin/pages/"})
        self.assertEqual(refused.status_code, 200)
        self.assertEqual(self.client.get("/admin/").status_code, 302)

        self.assertEqual(TOTPDevice.objects.get(pk=device.pk).throttling_failure_count, 1)
        self.unthrottle(device)
        accepted = self.client.post("/admin/2fa/verify/", {"token": self.current_code(device), "next": "/admin/pages/"})
        self.assertEqual((accepted.status_code, accepted["Location"]), (302, "/admin/pages/"))
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    def test_the_next_address_cannot_lead_to_another_site(self):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=self.user, name="default", confirmed=True)
        response = self.client.post(
            "/admin/2fa/verify/", {"token": self.current_code(device), "next": "https://ke-gian.example.com/"}
        )
        self.assertEqual(response["Location"], "/admin/")

    @override_settings(TWO_FACTOR_REQUIRED=True)
    def test_when_required_a_user_sets_up_an_authenticator_before_anything_else(self):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        self.assertEqual(self.client.get("/admin/")["Location"], "/admin/2fa/setup/")
        page = self.client.get("/admin/2fa/setup/")
        self.assertContains(page, "<svg")
        device = TOTPDevice.objects.get(user=self.user, confirmed=False)
        self.assertEqual(self.client.post("/admin/2fa/setup/", {"token": self.wrong_code(device)}).status_code, 200)
        self.assertFalse(TOTPDevice.objects.filter(user=self.user, confirmed=True).exists())
        self.unthrottle(device)
        response = self.client.post("/admin/2fa/setup/", {"token": self.current_code(device)})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.context["codes"]), 10)
        self.assertTrue(TOTPDevice.objects.get(pk=device.pk).confirmed)
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    def backup_codes(self):
        """Set up an authenticator as the setup page does; returns the backup codes it showed."""
        from django_otp.plugins.otp_totp.models import TOTPDevice

        self.client.get("/admin/2fa/setup/")
        device = TOTPDevice.objects.get(user=self.user, confirmed=False)
        return self.client.post("/admin/2fa/setup/", {"token": self.current_code(device)}).context["codes"]

    def test_a_backup_code_opens_the_admin_once(self):
        codes = self.backup_codes()
        self.client.logout()
        self.client.force_login(self.user)
        self.assertEqual(self.client.get("/admin/").status_code, 302)
        accepted = self.client.post("/admin/2fa/verify/", {"token": codes[0], "next": "/admin/"})
        self.assertEqual((accepted.status_code, accepted["Location"]), (302, "/admin/"))
        self.assertEqual(self.client.get("/admin/").status_code, 200)
        self.assertContains(self.client.get("/admin/2fa/backup-codes/"), "9")

        self.client.logout()
        self.client.force_login(self.user)
        refused = self.client.post("/admin/2fa/verify/", {"token": codes[0], "next": "/admin/"})
        self.assertEqual(refused.status_code, 200)
        self.assertIn("token", refused.context["form"].errors)
        self.assertEqual(self.client.get("/admin/").status_code, 302)

    def test_new_backup_codes_replace_the_old_ones(self):
        from django_otp import devices_for_user

        old = self.backup_codes()
        new = self.client.post("/admin/2fa/backup-codes/").context["codes"]
        self.assertEqual(len(new), 10)
        self.assertFalse(set(old) & set(new))
        self.client.logout()
        self.client.force_login(self.user)
        self.assertEqual(self.client.post("/admin/2fa/verify/", {"token": old[1]}).status_code, 200)
        for device in devices_for_user(self.user):  # a wrong code slows down the next attempt
            self.unthrottle(device)
        self.assertEqual(self.client.post("/admin/2fa/verify/", {"token": new[1]}).status_code, 302)

    def test_backup_codes_cannot_be_read_before_the_second_step(self):
        self.backup_codes()
        self.client.logout()
        self.client.force_login(self.user)
        response = self.client.post("/admin/2fa/backup-codes/")
        self.assertEqual(response["Location"], "/admin/2fa/verify/?next=/admin/2fa/backup-codes/")

    def test_without_an_authenticator_there_are_no_backup_codes(self):
        self.assertEqual(self.client.get("/admin/2fa/backup-codes/")["Location"], "/admin/2fa/setup/")


class MapTileSourceTests(TestCase):
    @override_settings(MAP_TILE_URL="https://{s}.tiles.example.vn/{z}/{x}/{y}.png")
    def test_the_tile_servers_origin_is_allowed_with_a_wildcard_for_its_subdomains(self):
        from heritage.security import _tile_sources

        self.assertEqual(_tile_sources(), ["https://*.tiles.example.vn"])
