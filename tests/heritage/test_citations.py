import datetime
import json
import re
from unittest import mock

import jsonschema
from django.conf import settings
from django.test import RequestFactory, SimpleTestCase, TestCase, override_settings
from django.urls import reverse

from heritage import citations
from heritage.citations import Citation, build_citation, permanent_url, to_bibtex, to_csl_data, to_ris
from heritage.models import CityHomePage
from heritage.plaques import plaque_code, short_url
from sites.models import RelicIndexPage
from tests.heritage.factories import (
    ProductIndexPageFactory,
    ProductPageFactory,
    build_commune,
    index_of,
    publish,
)
from tests.sites.factories import RelicPageFactory

HOST = "kienminh.localhost"
TODAY = datetime.date(2026, 11, 23)

# The shape of CSL input data (an array of items with typed fields, names and dates), after the
# Citation Style Language's csl-data schema, limited to the fields a web page citation uses.
NAME = {
    "type": "object",
    "properties": {name: {"type": "string"} for name in ("family", "given", "literal", "suffix")},
    "additionalProperties": False,
}
DATE = {
    "type": "object",
    "properties": {
        "date-parts": {
            "type": "array",
            "minItems": 1,
            "maxItems": 2,
            "items": {"type": "array", "minItems": 1, "maxItems": 3, "items": {"type": ["string", "number"]}},
        },
        "literal": {"type": "string"},
        "circa": {"type": ["string", "number", "boolean"]},
    },
    "additionalProperties": False,
}
CSL_DATA_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "array",
    "items": {
        "type": "object",
        "required": ["type", "id"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": ["string", "number"]},
            "type": {"enum": ["webpage", "post-weblog", "document", "entry-encyclopedia"]},
            "title": {"type": "string"},
            "container-title": {"type": "string"},
            "publisher": {"type": "string"},
            "genre": {"type": "string"},
            "language": {"type": "string"},
            "URL": {"type": "string"},
            "note": {"type": "string"},
            "author": {"type": "array", "items": NAME},
            "accessed": DATE,
            "issued": DATE,
        },
    },
}


def sample(**changes):
    values = {
        "author": "Ban Văn hóa xã Kiến Minh",
        "title": "Đền Kiến Minh & 100% gỗ lim",
        "site_name": "Kho di sản số Hải Phòng",
        "url": "https://kienminh.example/di-tich/den-kien-minh/",
        "accessed": TODAY,
        "published": datetime.date(2024, 3, 5),
        "kind": "di tích",
        "key": "den_kien_minh_2024",
    }
    values.update(changes)
    return Citation(**values)


def parse_bibtex(text):
    """A strict reading of one BibTeX entry: type, key and fields, with braces balanced."""
    match = re.fullmatch(r"@(\w+)\{([^,\s]+),\n(.*)\n\}\n", text, flags=re.S)
    if not match:
        raise AssertionError(f"Not a BibTeX entry: {text!r}")
    kind, key, body = match.groups()
    fields = {}
    for line in body.split(",\n"):
        name, value = re.fullmatch(r"  (\w+) = \{(.*)\}", line, flags=re.S).groups()
        depth = 0
        for index, char in enumerate(value):
            escaped = index and value[index - 1] == "\\"
            depth += (char == "{") - (char == "}") if not escaped else 0
            assert depth >= 0, f"Unbalanced braces in {name}"
        assert depth == 0, f"Unbalanced braces in {name}"
        fields[name] = value
    return kind, key, fields


class CitationStyleTests(SimpleTestCase):
    def test_vietnamese_style_follows_author_year_title_site_access_date_url(self):
        self.assertEqual(
            sample().vietnamese,
            "Ban Văn hóa xã Kiến Minh (2024), Đền Kiến Minh & 100% gỗ lim, Kho di sản số Hải Phòng, "
            "truy cập ngày 23/11/2026, https://kienminh.example/di-tich/den-kien-minh/",
        )

    def test_vietnamese_style_italicises_only_the_title_and_escapes_the_rest(self):
        html = sample().vietnamese_html
        self.assertIn("<i>Đền Kiến Minh &amp; 100% gỗ lim</i>", html)
        self.assertEqual(html.count("<"), 2)

    def test_apa_web_page_with_group_author(self):
        self.assertEqual(
            sample().apa,
            "Ban Văn hóa xã Kiến Minh. (2024, March 5). Đền Kiến Minh & 100% gỗ lim. Kho di sản số Hải Phòng. "
            "Retrieved November 23, 2026, from https://kienminh.example/di-tich/den-kien-minh/",
        )

    def test_apa_leaves_out_the_site_when_it_is_the_author_and_says_nd_without_a_date(self):
        citation = sample(author="Kho di sản số Hải Phòng", published=None)
        self.assertTrue(
            citation.apa.startswith("Kho di sản số Hải Phòng. (n.d.). Đền Kiến Minh & 100% gỗ lim. Retrieved")
        )

    def test_chicago_bibliography_and_note(self):
        citation = sample()
        self.assertEqual(
            citation.chicago,
            "Ban Văn hóa xã Kiến Minh. “Đền Kiến Minh & 100% gỗ lim.” Kho di sản số Hải Phòng. "
            "Last modified March 5, 2024. Accessed November 23, 2026. https://kienminh.example/di-tich/den-kien-minh/.",
        )
        self.assertEqual(
            citation.chicago_note,
            "Ban Văn hóa xã Kiến Minh, “Đền Kiến Minh & 100% gỗ lim,” Kho di sản số Hải Phòng, "
            "last modified March 5, 2024, accessed November 23, 2026, https://kienminh.example/di-tich/den-kien-minh/.",
        )

    def test_the_last_review_is_the_date_cited(self):
        citation = sample(reviewed=datetime.date(2025, 6, 1))
        self.assertIn("(2025, June 1)", citation.apa)
        self.assertTrue(citation.vietnamese.startswith("Ban Văn hóa xã Kiến Minh (2025),"))

    def test_without_any_date_the_vietnamese_style_says_so(self):
        self.assertIn("(không rõ năm)", sample(published=None).vietnamese)


class CitationFileTests(SimpleTestCase):
    def test_bibtex_is_a_balanced_online_entry_with_protected_capitals_and_urldate(self):
        kind, key, fields = parse_bibtex(to_bibtex(sample()))
        self.assertEqual((kind, key), ("online", "den_kien_minh_2024"))
        self.assertEqual(fields["title"], r"{Đền Kiến Minh \& 100\% gỗ lim}")
        self.assertEqual(fields["author"], "{Ban Văn hóa xã Kiến Minh}")
        self.assertEqual(fields["urldate"], "2026-11-23")
        self.assertEqual(fields["date"], "2024-03-05")
        self.assertEqual(fields["url"], "https://kienminh.example/di-tich/den-kien-minh/")

    def test_bibtex_escapes_every_special_character(self):
        _kind, _key, fields = parse_bibtex(to_bibtex(sample(title="a_b #1 $2 {x} ~ ^ \\")))
        self.assertEqual(fields["title"], r"{a\_b \#1 \$2 \{x\} \textasciitilde{} \textasciicircum{} \textbackslash{}}")

    def test_ris_is_an_electronic_record_with_crlf_lines(self):
        text = to_ris(sample())
        lines = text.split("\r\n")
        self.assertEqual(lines[0], "TY  - ELEC")
        self.assertEqual(lines[-2:], ["ER  - ", ""])
        for line in lines[:-1]:
            self.assertRegex(line, r"^[A-Z][A-Z0-9]  - ")
        self.assertIn("TI  - Đền Kiến Minh & 100% gỗ lim", lines)
        self.assertIn("Y2  - 2026/11/23", lines)
        self.assertIn("DA  - 2024/03/05", lines)
        self.assertIn("UR  - https://kienminh.example/di-tich/den-kien-minh/", lines)

    def test_ris_values_stay_on_one_line(self):
        self.assertIn("TI  - Đình Một Hai\r\n", to_ris(sample(title="Đình\nMột\r\nHai")))

    def test_csl_json_matches_the_csl_data_shape(self):
        data = to_csl_data(sample())
        jsonschema.validate(data, CSL_DATA_SCHEMA)
        self.assertEqual(data[0]["type"], "webpage")
        self.assertEqual(data[0]["accessed"], {"date-parts": [[2026, 11, 23]]})
        self.assertEqual(data[0]["author"], [{"literal": "Ban Văn hóa xã Kiến Minh"}])

    def test_csl_json_without_a_date_is_still_valid(self):
        data = json.loads(citations.to_csl_json(sample(published=None)))
        jsonschema.validate(data, CSL_DATA_SCHEMA)
        self.assertNotIn("issued", data[0])

    def test_the_schema_catches_a_malformed_item(self):
        broken = to_csl_data(sample())
        broken[0]["author"] = [{"name": "Ban Văn hóa"}]
        with self.assertRaises(jsonschema.ValidationError):
            jsonschema.validate(broken, CSL_DATA_SCHEMA)


class AccessDateTests(SimpleTestCase):
    @override_settings(TIME_ZONE="UTC")
    def test_dates_are_taken_in_vietnam_whatever_the_server_zone(self):
        evening_utc = datetime.datetime(2026, 11, 23, 20, 0, tzinfo=datetime.UTC)
        self.assertEqual(citations._local_date(evening_utc), datetime.date(2026, 11, 24))
        with mock.patch("django.utils.timezone.now", return_value=evening_utc):
            self.assertEqual(citations.today_in_vietnam(), datetime.date(2026, 11, 24))


class EntryCitationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()
        cls.setup.site.site_name = "Ban Văn hóa xã Kiến Minh"
        cls.setup.site.save()
        cls.relic = publish(
            RelicPageFactory(
                parent=index_of(cls.setup, RelicIndexPage),
                title="Đền Kiến Minh",
                last_reviewed=datetime.date(2025, 6, 1),
            )
        )
        cls.draft = RelicPageFactory(parent=index_of(cls.setup, RelicIndexPage), title="Đình nháp", live=False)

    def test_an_entry_is_cited_with_its_communes_office_archive_review_date_and_address(self):
        citation = build_citation(self.relic, today=TODAY)
        self.assertEqual(
            citation.vietnamese,
            f"Ban Văn hóa xã Kiến Minh (2025), Đền Kiến Minh, {settings.WAGTAIL_SITE_NAME}, "
            f"truy cập ngày 23/11/2026, {short_url(self.relic)}",
        )
        self.assertEqual(citation.url, f"{settings.PUBLIC_BASE_URL}/q/{plaque_code(self.relic)}")

    def test_citing_an_entry_on_its_own_site_costs_no_query(self):
        request = RequestFactory().get("/", HTTP_HOST=HOST)
        build_citation(self.relic, request, today=TODAY)  # Wagtail's site caches
        with self.assertNumQueries(0):
            citation = build_citation(self.relic, request, today=TODAY)
        self.assertEqual(citation.author, "Ban Văn hóa xã Kiến Minh")

    def test_from_another_site_the_entry_keeps_its_communes_author(self):
        request = RequestFactory().get("/", HTTP_HOST="localhost")
        self.assertEqual(build_citation(self.relic, request, today=TODAY).author, "Ban Văn hóa xã Kiến Minh")

    def test_an_entry_outside_any_commune_is_authored_by_the_archive(self):
        city_products = ProductIndexPageFactory(parent=CityHomePage.objects.get(), title="Sản phẩm của thành phố")
        product = publish(ProductPageFactory(parent=city_products, title="Nước mắm Cát Hải"))
        self.assertEqual(build_citation(product, today=TODAY).author, settings.WAGTAIL_SITE_NAME)

    def test_the_plaque_short_url_is_cited_because_it_survives_moves_and_renames(self):
        self.assertEqual(permanent_url(self.relic), short_url(self.relic))
        self.assertRegex(permanent_url(self.relic), r"/q/KM-\d{4}$")

    def test_an_entry_without_a_plaque_code_is_cited_by_its_page_address(self):
        self.assertIsNone(short_url(self.draft))
        self.assertEqual(permanent_url(self.draft), self.draft.get_full_url())

    def test_the_entry_page_offers_the_citations_in_a_details_element(self):
        response = self.client.get(self.relic.url, HTTP_HOST=HOST)
        self.assertContains(response, '<summary class="cite__summary" id="cite-title">Trích dẫn trang này</summary>')
        self.assertContains(response, "Ban Văn hóa xã Kiến Minh (2025), <i>Đền Kiến Minh</i>")
        self.assertContains(response, "Retrieved ")
        for extension in ("bib", "ris", "json"):
            self.assertContains(response, f'href="/trich-dan/{self.relic.source_id}.{extension}" download')
        self.assertContains(response, f'href="/bao-cao/{self.relic.source_id}.pdf"')
        # The copy buttons stay hidden until the script finds a clipboard.
        self.assertContains(response, 'data-cite-copy="cite-vi"')
        self.assertContains(response, "hidden>Sao chép</button>")
        # Entry pages keep to the one stylesheet and script: the cite styles and button live there.
        self.assertContains(response, 'rel="stylesheet"', count=1)

    def test_downloads_have_their_content_types_and_file_names(self):
        expected = {
            "bib": "application/x-bibtex; charset=utf-8",
            "ris": "application/x-research-info-systems; charset=utf-8",
            "json": "application/vnd.citationstyles.csl+json; charset=utf-8",
        }
        for extension, content_type in expected.items():
            with self.subTest(extension=extension):
                url = reverse("citation_file", args=(self.relic.source_id, extension))
                response = self.client.get(url, HTTP_HOST=HOST)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["Content-Type"], content_type)
                self.assertEqual(response["Content-Disposition"], f'attachment; filename="den_kien_minh.{extension}"')
                self.assertIn("Đền Kiến Minh", response.content.decode("utf-8"))

    def test_downloaded_csl_json_is_valid(self):
        response = self.client.get(reverse("citation_file", args=(self.relic.source_id, "json")), HTTP_HOST=HOST)
        jsonschema.validate(json.loads(response.content), CSL_DATA_SCHEMA)

    def test_unknown_and_unpublished_entries_are_not_found(self):
        for source_id in ("khongco", self.draft.source_id):
            with self.subTest(source_id=source_id):
                response = self.client.get(reverse("citation_file", args=(source_id, "bib")), HTTP_HOST=HOST)
                self.assertEqual(response.status_code, 404)
        self.assertEqual(self.client.get(f"/trich-dan/{self.relic.source_id}.docx", HTTP_HOST=HOST).status_code, 404)
