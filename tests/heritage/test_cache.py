"""The full-page cache serves anonymous visitors and is purged through Wagtail's front-end cache invalidation."""

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory, TestCase, override_settings
from django.urls import resolve

from heritage.cache import FullPageCacheMiddleware, PageCacheBackend
from heritage.models import EntryLink
from people.models import PersonIndexPage
from sites.models import RelicIndexPage
from tests.heritage.factories import build_commune, index_of, publish
from tests.people.factories import PersonPageFactory
from tests.sites.factories import RelicPageFactory

HOST = "kienminh.localhost"


@override_settings(FULL_PAGE_CACHE_ENABLED=True)
class FullPageCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.kien_minh = build_commune("Kiến Minh", "KM", HOST)
        cls.an_khanh = build_commune("An Khánh", "AK", "ankhanh.localhost")
        cls.index = index_of(cls.kien_minh, RelicIndexPage)
        cls.relic = RelicPageFactory(parent=cls.index, title="Đình Kiến Minh", summary="Ngôi đình cổ của xã.")

    def setUp(self):
        cache.clear()
        self.client.defaults["HTTP_HOST"] = HOST

    def get(self, url, **extra):
        return self.client.get(url, **extra)

    def test_the_first_anonymous_request_misses_and_the_second_hits_with_the_same_page(self):
        first = self.get(self.relic.url)
        second = self.get(self.relic.url)
        self.assertEqual((first.status_code, first["X-Cache"]), (200, "MISS"))
        self.assertEqual((second.status_code, second["X-Cache"]), (200, "HIT"))
        self.assertEqual(first.content, second.content)
        self.assertContains(second, "Đình Kiến Minh")
        self.assertEqual(second["Content-Type"], first["Content-Type"])
        self.assertIn("Content-Security-Policy", second)

    def test_a_plaque_scan_after_the_first_one_is_served_from_the_cache(self):
        self.get(self.relic.url)
        self.assertEqual(self.get(self.relic.url, HTTP_USER_AGENT="Zalo QR scanner")["X-Cache"], "HIT")

    def test_each_host_and_query_string_is_its_own_entry(self):
        self.get(self.index.url)
        self.assertEqual(self.get(self.index.url + "?page=2")["X-Cache"], "MISS")
        self.assertEqual(self.get(self.index.url + "?page=2")["X-Cache"], "HIT")
        other = index_of(self.an_khanh, RelicIndexPage)
        response = self.get(other.url, HTTP_HOST="ankhanh.localhost")
        self.assertEqual(response["X-Cache"], "MISS")

    def test_publishing_purges_the_page_and_its_index(self):
        self.get(self.relic.url)
        self.get(self.index.url)
        self.relic.title = "Đình Kiến Minh (đã sửa)"
        with self.captureOnCommitCallbacks(execute=True):
            publish(self.relic)
        response = self.get(self.relic.url)
        self.assertEqual(response["X-Cache"], "MISS")
        self.assertContains(response, "Đình Kiến Minh (đã sửa)")
        self.assertEqual(self.get(self.index.url)["X-Cache"], "MISS")
        self.assertEqual(self.get(self.relic.url)["X-Cache"], "HIT")

    def test_publishing_a_new_entry_purges_the_index_that_lists_it(self):
        self.assertNotContains(self.get(self.index.url), "Chùa Mới")
        with self.captureOnCommitCallbacks(execute=True):
            publish(RelicPageFactory(parent=self.index, title="Chùa Mới", live=False))
        response = self.get(self.index.url)
        self.assertEqual(response["X-Cache"], "MISS")
        self.assertContains(response, "Chùa Mới")

    def test_a_page_shows_a_linked_entry_renamed_after_it_was_cached(self):
        person = publish(PersonPageFactory(parent=index_of(self.kien_minh, PersonIndexPage), title="Ngô Quyền"))
        self.relic.links_out.add(EntryLink(target=person, relation="related"))
        publish(self.relic)
        self.assertContains(self.get(self.relic.url), "Ngô Quyền")
        self.assertEqual(self.get(self.relic.url)["X-Cache"], "HIT")

        person.title = "Ngô Vương Quyền"
        with self.captureOnCommitCallbacks(execute=True):
            publish(person)

        response = self.get(self.relic.url)
        self.assertEqual(response["X-Cache"], "MISS")
        self.assertContains(response, "Ngô Vương Quyền")

    def test_unpublishing_purges_the_page(self):
        self.get(self.relic.url)
        with self.captureOnCommitCallbacks(execute=True):
            self.relic.unpublish()
        self.assertEqual(self.get(self.relic.url).status_code, 404)

    def test_moving_a_page_purges_its_old_address(self):
        old_url = self.relic.url
        self.assertEqual(self.get(old_url).status_code, 200)
        with self.captureOnCommitCallbacks(execute=True):
            self.relic.move(index_of(self.an_khanh, RelicIndexPage), pos="last-child")
        self.assertEqual(self.get(old_url).status_code, 404)

    def test_logged_in_users_never_get_or_fill_the_cache(self):
        self.get(self.relic.url)
        user = get_user_model().objects.create_superuser("quantri", "qt@example.vn", "mật-khẩu")
        self.client.force_login(user)
        response = self.get(self.relic.url)
        self.assertEqual(response["X-Cache"], "BYPASS")
        self.assertContains(response, "wagtail-userbar")
        self.client.logout()
        self.client.cookies.clear()
        response = self.get(self.relic.url)
        self.assertEqual(response["X-Cache"], "HIT")
        self.assertNotContains(response, "wagtail-userbar")

    def test_the_admin_search_and_posts_are_never_cached(self):
        self.assertNotEqual(self.get("/admin/login/").get("X-Cache"), "HIT")
        self.get("/tim-kiem/?q=dinh")
        self.assertEqual(self.get("/tim-kiem/?q=dinh")["X-Cache"], "BYPASS")
        self.assertNotEqual(self.client.post(self.relic.url).get("X-Cache"), "HIT")

    def test_the_wagtail_backend_purges_every_query_string_of_a_url(self):
        self.get(self.index.url + "?page=2")
        PageCacheBackend({}).purge(self.index.get_full_url())
        self.assertEqual(self.get(self.index.url + "?page=2")["X-Cache"], "MISS")


@override_settings(FULL_PAGE_CACHE_ENABLED=True)
class FullPageCacheMiddlewareTests(TestCase):
    """The rules on what is stored, with responses made up by a view standing in for Wagtail's."""

    def setUp(self):
        cache.clear()
        self.factory = RequestFactory(HTTP_HOST=HOST)

    def run_twice(self, make_response, **extra):
        results = []
        for _attempt in range(2):
            request = self.factory.get("/di-tich/dinh/", **extra)
            request.resolver_match = resolve("/di-tich/dinh/")

            def view(request, make_response=make_response):
                return make_response(request)

            results.append(FullPageCacheMiddleware(view)(request))
        return results

    def test_a_plain_response_is_stored(self):
        _first, second = self.run_twice(lambda request: HttpResponse("trang"))
        self.assertEqual(second["X-Cache"], "HIT")

    def test_a_response_that_sets_a_cookie_is_never_stored(self):
        def with_cookie(request):
            response = HttpResponse("trang")
            response.set_cookie("theo-doi", "1")
            return response

        first, second = self.run_twice(with_cookie)
        self.assertEqual((first["X-Cache"], second["X-Cache"]), ("BYPASS", "BYPASS"))

    def test_a_page_carrying_a_csrf_token_is_never_stored(self):
        def with_token(request):
            request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
            return HttpResponse("biểu mẫu")

        self.assertEqual(self.run_twice(with_token)[1]["X-Cache"], "BYPASS")

    def test_private_and_error_responses_are_never_stored(self):
        def private(request):
            response = HttpResponse("riêng")
            response["Cache-Control"] = "private"
            return response

        self.assertEqual(self.run_twice(private)[1]["X-Cache"], "BYPASS")
        self.assertEqual(self.run_twice(lambda request: HttpResponse(status=500))[1]["X-Cache"], "BYPASS")

    def test_visitors_with_a_session_cookie_are_never_served_from_the_cache(self):
        self.run_twice(lambda request: HttpResponse("trang"))
        request = self.factory.get("/di-tich/dinh/")
        request.COOKIES["sessionid"] = "abc"
        response = FullPageCacheMiddleware(lambda request: HttpResponse("của riêng tôi"))(request)
        self.assertEqual(response.content.decode(), "của riêng tôi")

    @override_settings(FULL_PAGE_CACHE_ENABLED=False)
    def test_nothing_is_stored_when_the_cache_is_off(self):
        _first, second = self.run_twice(lambda request: HttpResponse("trang"))
        self.assertNotIn("X-Cache", second)

    def test_a_cached_page_with_an_inline_script_keeps_the_nonce_it_was_made_with(self):
        from heritage.security import SecurityHeadersMiddleware

        def page(request):
            return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

        responses = []
        for _attempt in range(2):
            request = self.factory.get("/di-tich/dinh/")
            request.resolver_match = resolve("/di-tich/dinh/")
            responses.append(SecurityHeadersMiddleware(FullPageCacheMiddleware(page))(request))
        first, second = responses
        self.assertEqual(second["X-Cache"], "HIT")
        nonce = first.content.decode().split('"')[1]
        self.assertIn(f"'nonce-{nonce}'", second["Content-Security-Policy"])
