"""Protection zones I and II: polygons drawn or uploaded as GeoJSON, each approval kept as a version."""

import json
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, TestCase
from django.urls import reverse

from heritage.models import ProtectionZone
from heritage.models.geo import polygon_geometry

from .world import build_world

User = get_user_model()
RING = [[106.6820, 20.8558], [106.6826, 20.8558], [106.6826, 20.8564], [106.6820, 20.8564], [106.6820, 20.8558]]


class PolygonGeometryTests(SimpleTestCase):
    def test_a_feature_collection_from_a_gis_program_becomes_its_polygon(self):
        exported = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"ten": "KV I"},
                    "geometry": {"type": "Polygon", "coordinates": [RING]},
                }
            ],
        }
        self.assertEqual(polygon_geometry(json.dumps(exported)), {"type": "Polygon", "coordinates": [RING]})

    def test_bad_zones_are_refused_with_a_reason(self):
        cases = [
            "{not json",
            {"type": "Point", "coordinates": [106.68, 20.85]},
            {"type": "Polygon", "coordinates": [RING[:-1]]},
            {"type": "Polygon", "coordinates": [[[20.85, 206.68], *RING[1:-1], [20.85, 206.68]]]},
            {"type": "Polygon", "coordinates": [RING[:3]]},
            {"type": "FeatureCollection", "features": []},
        ]
        for case in cases:
            with self.subTest(case=case), self.assertRaises(ValidationError) as raised:
                polygon_geometry(case)
            self.assertTrue(raised.exception.messages[0])


class ZoneVersionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        cls.admin = User.objects.create_superuser("quantri", password="mật-khẩu-thử")

    def test_a_new_approval_replaces_the_zone_in_force_and_keeps_the_old_one(self):
        dinh = self.world["dinh"]
        old = ProtectionZone.objects.create(
            entry=dinh, level="I", geometry={"type": "Polygon", "coordinates": [RING]}, approved_on=date(2001, 1, 1)
        )
        new = ProtectionZone.objects.create(
            entry=dinh, level="I", geometry={"type": "Polygon", "coordinates": [RING]}, approved_on=date(2020, 1, 1)
        )
        self.assertEqual(ProtectionZone.current_for([dinh.pk]), [new])
        self.assertFalse(old.is_current)
        self.assertEqual(ProtectionZone.objects.filter(entry=dinh).count(), 2)

    def add(self, geometry):
        self.client.force_login(self.admin)
        return self.client.post(
            reverse("wagtailsnippets_heritage_protectionzone:add"),
            {
                "entry": self.world["dinh"].pk,
                "level": "II",
                "approved_on": "2019-03-01",
                "geometry": geometry,
                "document_reference": "12/QĐ-UBND",
                "note": "",
            },
        )

    def test_an_editor_uploads_a_zone_as_geojson_in_the_admin(self):
        feature = {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [RING]}}
        response = self.add(json.dumps(feature))
        self.assertEqual(response.status_code, 302)
        zone = ProtectionZone.objects.get(entry=self.world["dinh"], level="II")
        self.assertEqual(zone.geometry, {"type": "Polygon", "coordinates": [RING]})
        self.assertEqual(zone.revisions.count(), 1)

    def test_a_zone_with_swapped_coordinates_is_refused_and_nothing_is_saved(self):
        swapped = {"type": "Polygon", "coordinates": [[[lat, lon] for lon, lat in RING]]}
        response = self.add(json.dumps(swapped))
        self.assertEqual(response.status_code, 200)
        self.assertIn("geometry", response.context["form"].errors)
        self.assertFalse(ProtectionZone.objects.exists())

    def test_the_zone_form_has_the_drawing_map_and_the_upload(self):
        self.client.force_login(self.admin)
        response = self.client.get(reverse("wagtailsnippets_heritage_protectionzone:add"))
        self.assertContains(response, "data-geo-zone")
        self.assertContains(response, 'type="file"')
        self.assertContains(response, "heritage/vendor/leaflet/leaflet.js")
