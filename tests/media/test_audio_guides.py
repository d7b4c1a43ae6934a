"""Audio guides on entries: played under the main image, transcript under the player and in the search index."""

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import TestCase, override_settings
from django.urls import reverse
from wagtail.fields import StreamField
from wagtail.test.utils.form_data import querydict_from_html

from heritage.models import EntryAudioGuide
from sites.models import RelicIndexPage
from tests.heritage.factories import ImageFactory, build_commune, index_of, publish
from tests.media.factories import HeritageMediaFactory
from tests.sites.factories import RelicPageFactory

COMMUNE_HOST = "kienminh.localhost"
User = get_user_model()


class AudioGuideTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()
        cls.relic = RelicPageFactory(
            parent=index_of(cls.setup, RelicIndexPage),
            title="Đình Đông Khê",
            summary="Ngôi đình thờ Thành hoàng làng.",
            image=ImageFactory(title="Cổng đình"),
        )
        cls.short_vi = HeritageMediaFactory(transcript="Tương truyền Cá Ông đã cứu dân chài làng Đông Khê.")
        cls.long_en = HeritageMediaFactory(
            language="en", transcript="The whale god saved the fishermen of the village."
        )
        EntryAudioGuide.objects.create(page=cls.relic, media=cls.short_vi, language="vi", length="short")
        EntryAudioGuide.objects.create(page=cls.relic, media=cls.long_en, language="en", length="long")
        cls.relic = publish(cls.relic)

    def setUp(self):
        cache.clear()
        self.client.defaults["HTTP_HOST"] = COMMUNE_HOST

    def page_soup(self):
        response = self.client.get(self.relic.url)
        self.assertEqual(response.status_code, 200)
        return BeautifulSoup(response.content, "html.parser")


class EntryPageAudioGuideTests(AudioGuideTestCase):
    def test_each_guide_has_a_player_that_downloads_nothing_before_play(self):
        players = self.page_soup().select(".listen audio")
        self.assertEqual([audio["src"] for audio in players], [self.short_vi.url, self.long_en.url])
        self.assertEqual({audio["preload"] for audio in players}, {"none"})

    def test_each_guide_says_its_language_and_length(self):
        labels = [label.get_text(" ", strip=True) for label in self.page_soup().select(".listen__label")]
        self.assertIn("Tiếng Việt", labels[0])
        self.assertIn("Ngắn", labels[0])
        self.assertIn("Tiếng Anh", labels[1])

    def test_the_transcript_is_under_the_player_in_the_guides_language(self):
        transcripts = self.page_soup().select(".listen .transcript")
        self.assertIn("Cá Ông", transcripts[0].get_text())
        self.assertEqual(transcripts[1]["lang"], "en")

    def test_title_summary_image_and_audio_guide_come_before_everything_else(self):
        article = self.page_soup().select_one("article.entry")
        order = [
            element.get("class", [""])[0]
            for element in article.find_all(["header", "figure", "section", "dl"], recursive=True)
            if element.get("class") and element.get("class")[0] in {"entry__header", "figure", "listen", "facts"}
        ]
        self.assertEqual(order[:3], ["entry__header", "figure", "listen"])

    def test_the_main_image_is_fetched_at_once_with_its_size_and_a_webp_source(self):
        figure = self.page_soup().select_one(".entry__image")
        self.assertEqual(figure.source["type"], "image/webp")
        self.assertFalse(figure.img.has_attr("loading"))
        self.assertTrue(figure.img["width"].isdigit() and figure.img["height"].isdigit())

    def test_an_entry_without_guides_shows_no_audio_section(self):
        other = publish(RelicPageFactory(parent=index_of(self.setup, RelicIndexPage), title="Miếu Trung"))
        response = self.client.get(other.url)
        self.assertNotContains(response, 'class="listen"')


@override_settings(SEARCH_BACKEND="search.builtin.BuiltinBackend")
class AudioGuideSearchTests(AudioGuideTestCase):
    def test_the_search_document_carries_the_transcripts(self):
        text = " ".join(self.relic.specific.search_document()["text"])
        self.assertIn("Cá Ông đã cứu dân chài", text)
        self.assertIn("whale god", text)

    def test_an_entry_is_found_by_words_only_its_audio_guide_says(self):
        response = self.client.get(reverse("search"), {"q": "ca ong cuu dan chai"})
        titles = [
            title.get_text(strip=True)
            for title in BeautifulSoup(response.content, "html.parser").select(".result__title")
        ]
        self.assertIn("Đình Đông Khê", titles)

    def test_an_edited_transcript_is_searchable_without_publishing_the_entry_again(self):
        def snippet(query):
            results = self.client.get("/api/search/", {"q": query}).json()["results"]
            text = " ".join(result["snippet"] for result in results if result["id"] == self.relic.pk)
            return BeautifulSoup(text, "html.parser").get_text()

        self.assertNotIn("kỳ lân", snippet("ky lan da xanh"))
        self.short_vi.transcript = "Trước sân đình còn đôi kỳ lân đá xanh thời Mạc."
        self.short_vi.save()
        self.assertIn("kỳ lân", snippet("ky lan da xanh"))


class AudioGuideAdminTests(AudioGuideTestCase):
    def setUp(self):
        super().setUp()
        self.client.defaults.pop("HTTP_HOST")
        self.client.force_login(User.objects.create_superuser("quantri", "q@example.org", "mật-khẩu-thử"))

    def edit_form_data(self):
        url = reverse("wagtailadmin_pages:edit", args=[self.relic.pk])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
        # StreamFields are built by the admin's JavaScript; an empty one posts only its count.
        for field in type(self.relic)._meta.get_fields():
            if isinstance(field, StreamField):
                data[f"{field.name}-count"] = "0"
        return url, data

    def test_the_edit_form_lists_the_guides_of_the_entry(self):
        _url, data = self.edit_form_data()
        self.assertEqual(data["audio_guides-TOTAL_FORMS"], "2")
        self.assertEqual(data["audio_guides-0-media"], str(self.short_vi.pk))

    def test_two_guides_of_the_same_language_and_length_are_refused_with_a_message(self):
        url, data = self.edit_form_data()
        # The second guide becomes another Vietnamese short guide.
        data["audio_guides-1-language"] = "vi"
        data["audio_guides-1-length"] = "short"
        data["action-publish"] = "Publish"
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(EntryAudioGuide.objects.filter(page=self.relic, language="vi").count(), 1)
        form = response.context["form"]
        errors = [str(error) for child in form.formsets["audio_guides"].forms for error in child.non_field_errors()]
        errors += [str(error) for error in form.formsets["audio_guides"].non_form_errors()]
        self.assertIn("language", " ".join(errors))
