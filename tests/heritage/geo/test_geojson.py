"""Open GeoJSON of the entries and of each entry with its zones, checked with the geojson library."""

import gzip
import json
from datetime import date

import geojson
from django.test import TestCase

from heritage.models import ProtectionZone

from .world import build_world, relic

ZONE = {
    "type": "Polygon",
    "coordinates": [
        [[106.6820, 20.8558], [106.6826, 20.8558], [106.6826, 20.8564], [106.6820, 20.8564], [106.6820, 20.8558]]
    ],
}


def valid_collection(test, response):
    test.assertEqual(response.status_code, 200)
    test.assertTrue(response["Content-Type"].startswith("application/geo+json"))
    collection = geojson.loads(response.content.decode())
    test.assertIsInstance(collection, geojson.FeatureCollection)
    test.assertTrue(collection.is_valid, collection.errors())
    return json.loads(response.content)


class EntriesGeoJSONTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def get(self, **params):
        return valid_collection(self, self.client.get("/api/geo/entries.geojson", params))

    def titles(self, data):
        return sorted(feature["properties"]["title"] for feature in data["features"])

    def test_the_answer_is_sent_compressed_to_clients_that_accept_it(self):
        plain = self.client.get("/api/geo/entries.geojson")
        packed = self.client.get("/api/geo/entries.geojson", HTTP_ACCEPT_ENCODING="gzip")
        self.assertEqual(packed["Content-Encoding"], "gzip")
        self.assertEqual(gzip.decompress(packed.content), plain.content)

    def test_a_newly_published_entry_appears_although_the_answer_was_kept(self):
        before = self.titles(self.get())
        relic(self.world["kien_minh"], "Đình Mới Dựng", "20.870000", "106.690000")
        after = self.titles(self.get())
        self.assertNotIn("Đình Mới Dựng", before)
        self.assertIn("Đình Mới Dựng", after)

    def test_every_entry_with_a_place_is_a_point_feature_with_its_properties(self):
        data = self.get()
        self.assertEqual(
            self.titles(data),
            sorted(
                [
                    "Đình Kiến Thụy",
                    "Chùa Đông Khê",
                    "Miếu Cây Đa",
                    "Hội làng Kiến Thụy",
                    "Bánh đa cua Kiến Minh",
                    "Nhà thờ họ Phạm",
                ]
            ),
        )
        dinh = next(f for f in data["features"] if f["properties"]["title"] == "Đình Kiến Thụy")
        self.assertEqual(dinh["geometry"], {"type": "Point", "coordinates": [106.6823, 20.8561]})
        self.assertEqual(dinh["properties"]["source_id"], self.world["dinh"].source_id)
        self.assertEqual(dinh["properties"]["type"], "relic")
        self.assertEqual(dinh["properties"]["rank"], "national")
        self.assertEqual(dinh["properties"]["url"], "http://kienminh.localhost/di-tich/dinh-kien-thuy/")

    def test_a_festival_takes_the_place_of_the_relic_it_is_held_at(self):
        data = self.get(type="festival")
        self.assertEqual(self.titles(data), ["Hội làng Kiến Thụy"])
        self.assertEqual(data["features"][0]["geometry"]["coordinates"], [106.6823, 20.8561])

    def test_an_entry_without_a_place_is_not_a_feature(self):
        self.assertNotIn("Đền chưa định vị", self.titles(self.get()))

    def test_filters_by_rank_commune_and_type(self):
        self.assertEqual(self.titles(self.get(rank="city")), ["Chùa Đông Khê", "Nhà thờ họ Phạm"])
        self.assertEqual(self.titles(self.get(commune="AK")), ["Nhà thờ họ Phạm"])
        self.assertEqual(self.titles(self.get(type="product")), ["Bánh đa cua Kiến Minh"])
        self.assertEqual(self.titles(self.get(relic_type="historical")), ["Chùa Đông Khê"])

    def test_bbox_keeps_the_entries_inside_it(self):
        data = self.get(bbox="106.68,20.855,106.685,20.859")
        self.assertEqual(self.titles(data), ["Chùa Đông Khê", "Hội làng Kiến Thụy", "Đình Kiến Thụy"])

    def test_a_malformed_bbox_is_a_400_with_a_reason(self):
        for bbox in ("1,2,3", "a,b,c,d", "106.7,20,106.6,21", "0,0,200,10", "nan,1,2,3"):
            with self.subTest(bbox=bbox):
                response = self.client.get("/api/geo/entries.geojson", {"bbox": bbox})
                self.assertEqual(response.status_code, 400)
                self.assertTrue(response.json()["error"])

    def test_unpublished_entries_are_not_shared(self):
        self.world["chua"].unpublish()
        self.assertNotIn("Chùa Đông Khê", self.titles(self.get()))

    def test_the_features_have_no_decimal_comma(self):
        body = self.client.get("/api/geo/entries.geojson").content.decode()
        self.assertNotIn("20,856", body)
        self.assertIn("20.8561", body)


class EntryGeoJSONTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        dinh = cls.world["dinh"]
        ProtectionZone.objects.create(entry=dinh, level="I", geometry=ZONE, approved_on=date(2001, 5, 4))
        newer = {"type": "Polygon", "coordinates": [[[c[0], c[1] + 0.0001] for c in ZONE["coordinates"][0]]]}
        ProtectionZone.objects.create(
            entry=dinh, level="I", geometry=newer, approved_on=date(2019, 3, 1), document_reference="12/QĐ-UBND"
        )
        ProtectionZone.objects.create(entry=dinh, level="II", geometry=ZONE, approved_on=date(2001, 5, 4))

    def test_an_entry_has_its_point_and_the_zones_in_force(self):
        data = valid_collection(self, self.client.get(f"/api/geo/entries/{self.world['dinh'].source_id}.geojson"))
        kinds = [(f["geometry"]["type"], f["properties"].get("zone")) for f in data["features"]]
        self.assertEqual(
            sorted(kinds, key=str), sorted([("Point", None), ("Polygon", "I"), ("Polygon", "II")], key=str)
        )
        zone_one = next(f for f in data["features"] if f["properties"].get("zone") == "I")
        self.assertEqual(zone_one["properties"]["approved_on"], "2019-03-01")
        self.assertEqual(zone_one["properties"]["document_reference"], "12/QĐ-UBND")

    def test_the_history_keeps_earlier_versions(self):
        url = f"/api/geo/entries/{self.world['dinh'].source_id}.geojson"
        data = valid_collection(self, self.client.get(url, {"history": "1"}))
        dates = sorted(f["properties"]["approved_on"] for f in data["features"] if f["properties"].get("zone") == "I")
        self.assertEqual(dates, ["2001-05-04", "2019-03-01"])

    def test_a_festival_shows_its_relic_s_place(self):
        data = valid_collection(self, self.client.get(f"/api/geo/entries/{self.world['hoi'].source_id}.geojson"))
        self.assertEqual(data["features"][0]["geometry"]["coordinates"], [106.6823, 20.8561])

    def test_an_unknown_entry_is_a_404(self):
        self.assertEqual(self.client.get("/api/geo/entries/khong-co.geojson").status_code, 404)
