"""The importer turns any file into imported entries or clear errors: never another exception."""

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from heritage.interchange import ImportFailed, ReadError, import_file
from heritage.models import HeritagePage
from tests.heritage.factories import build_commune

from .strategies import FUZZ, huge_numbers, weird_text

pytestmark = pytest.mark.django_db

HEADER = {"format": "heritage-archive", "version": 1}
TYPES = ["relic", "festival", "person", "product", "", "city", None, 3]
FIELDS = [
    "id", "type", "commune", "title", "summary", "body", "ranking", "recognition_year", "category", "village",
    "lat", "lon", "period", "phases", "image", "sources", "lunar_start", "lunar_end", "scale", "related",
    "stages", "programme", "birth", "death_year", "roles", "other_names", "product_kind", "ocop_stars", "maker",
    "tags",
]  # fmt: skip

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.floats(allow_nan=True), st.integers(), weird_text, huge_numbers),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.sampled_from(FIELDS + ["name", "day", "month"]), children)
    ),
    max_leaves=8,
)
# Records shaped like entries, with random values in the real fields.
records = st.fixed_dictionaries(
    {
        "id": st.one_of(st.sampled_from(["km-r001", "km-f001", "KM-x"]), weird_text),
        "type": st.sampled_from(TYPES),
        "commune": st.sampled_from(["Kiến Minh", "kien minh", "KM", "", "Nowhere"]),
        "title": st.one_of(st.just("Đình Đại Trà"), weird_text),
    },
    optional=dict.fromkeys(FIELDS[4:], json_values),
)
jsonl_lines = st.lists(
    st.one_of(
        records.map(lambda record: json.dumps(record, ensure_ascii=False)),
        json_values.map(json.dumps),
        weird_text,  # not JSON at all
    ),
    max_size=4,
)


class ImporterFuzzTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_commune("Kiến Minh", "KM", "kienminh.localhost")

    def import_bytes(self, data, suffix, *, dry_run):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"entries{suffix}"
            path.write_bytes(data)
            pages_before = HeritagePage.objects.count()
            try:
                result = import_file(path, dry_run=dry_run)
            except (ImportFailed, ReadError) as error:
                # A clear message, and nothing half-written.
                self.assertTrue(str(error).strip())
                self.assertEqual(HeritagePage.objects.count(), pages_before)
                return None
            if dry_run:
                self.assertEqual(HeritagePage.objects.count(), pages_before)
            return result

    @FUZZ
    @given(lines=jsonl_lines, header=st.booleans(), dry_run=st.booleans())
    def test_json_lines(self, lines, header, dry_run):
        text = "\n".join(([json.dumps(HEADER)] if header else []) + lines)
        self.import_bytes(text.encode("utf-8", "surrogatepass"), ".jsonl", dry_run=dry_run)

    @FUZZ
    @given(
        columns=st.lists(st.one_of(st.sampled_from(FIELDS + ["maker.name", "lunar_start"]), weird_text), max_size=8),
        rows=st.lists(st.lists(st.one_of(weird_text, huge_numbers), max_size=9), max_size=4),
        delimiter=st.sampled_from([",", ";", "\t"]),
        dry_run=st.booleans(),
    )
    def test_csv(self, columns, rows, delimiter, dry_run):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter)
        writer.writerow(columns)
        writer.writerows(rows)
        self.import_bytes(buffer.getvalue().encode("utf-8", "surrogatepass"), ".csv", dry_run=dry_run)

    @FUZZ
    @given(data=st.binary(max_size=300), suffix=st.sampled_from([".jsonl", ".csv", ".xlsx"]))
    def test_random_bytes(self, data, suffix):
        self.import_bytes(data, suffix, dry_run=True)
