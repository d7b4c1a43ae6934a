"""Coordinates as people type them: decimal points or Vietnamese decimal commas, with clear errors."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase
from django.utils import translation

from heritage.geo.coords import CoordinateError, CoordinateFormField, format_degrees, in_vietnam, parse_point
from heritage.geo.distance import format_distance, geodesic_m, parse_near


class ParsePointTests(SimpleTestCase):
    def test_a_pair_with_a_decimal_point_is_read(self):
        self.assertEqual(parse_point("20.8449, 106.6881"), (Decimal("20.8449"), Decimal("106.6881")))

    def test_a_pair_with_vietnamese_decimal_commas_is_read(self):
        self.assertEqual(parse_point("20,8449 106,6881"), (Decimal("20.8449"), Decimal("106.6881")))
        self.assertEqual(parse_point("20,8449; 106,6881"), (Decimal("20.8449"), Decimal("106.6881")))

    def test_malformed_text_gets_a_message_saying_how_to_write_it(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)
        for text in ("", "hai mươi, một trăm", "20.8449", "20.8.4,106", "1e3,5"):
            with self.subTest(text=text), self.assertRaises(CoordinateError) as raised:
                parse_point(text)
            self.assertTrue(str(raised.exception))

    def test_out_of_range_values_are_refused(self):
        with self.assertRaisesMessage(CoordinateError, "-90"):
            parse_point("120.5,20.1")

    def test_near_is_none_when_absent_and_floats_when_given(self):
        self.assertIsNone(parse_near(None))
        self.assertIsNone(parse_near("  "))
        self.assertEqual(parse_near("20.85,106.68"), (20.85, 106.68))


class CoordinateFormFieldTests(SimpleTestCase):
    def test_a_decimal_comma_is_accepted_and_rounded_to_six_places(self):
        self.assertEqual(CoordinateFormField().clean("20,84491234"), Decimal("20.844912"))

    def test_a_malformed_value_is_a_clear_error(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)
        with self.assertRaises(ValidationError) as raised:
            CoordinateFormField().clean("20°50'N")
        self.assertIn("20.8449", raised.exception.messages[0])

    def test_values_are_shown_with_a_decimal_point_whatever_the_language(self):
        self.assertEqual(CoordinateFormField().prepare_value(Decimal("20.844900")), "20.8449")
        self.assertEqual(format_degrees(Decimal("106.000000")), "106")


class DistanceTests(SimpleTestCase):
    def test_hai_phong_to_hanoi_is_about_a_hundred_kilometres(self):
        metres = geodesic_m((20.8449, 106.6881), (21.0285, 105.8542))
        self.assertGreater(metres, 85_000)
        self.assertLess(metres, 95_000)

    def test_short_and_long_distances_read_in_metres_and_kilometres(self):
        with translation.override("vi"):
            self.assertEqual(format_distance(42.4), "42 m")
            self.assertEqual(format_distance(1234), "1,2 km")

    def test_the_paracel_islands_are_in_vietnam_and_bangkok_is_not(self):
        self.assertTrue(in_vietnam(16.5, 111.6))
        self.assertFalse(in_vietnam(13.75, 100.5))
