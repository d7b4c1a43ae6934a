"""The iCal writer's escaping and folding, read back by the icalendar library."""

import datetime
from types import SimpleNamespace

from django.test import SimpleTestCase
from icalendar import Calendar

from festivals.ical import build_feed, escape_text, fold
from festivals.occurrences import Occurrence


class WriterTests(SimpleTestCase):
    def test_long_lines_fold_at_75_octets_between_characters(self):
        line = "SUMMARY:" + "Lễ hội đình Đông Khê, rước kiệu; thi vật " * 6
        folded = fold(line).split("\r\n")
        self.assertGreater(len(folded), 1)
        self.assertTrue(all(len(part.encode("utf-8")) <= 75 for part in folded))
        self.assertTrue(all(part.startswith(" ") for part in folded[1:]))
        self.assertEqual("".join(part[1:] if index else part for index, part in enumerate(folded)), line)

    def test_text_special_characters_are_escaped(self):
        self.assertEqual(escape_text("a\\b;c,d\ne"), "a\\\\b\\;c\\,d\\ne")

    def test_a_feed_reads_back_with_the_same_text(self):
        festival = SimpleNamespace(
            pk=7,
            title="Hội làng; rước, tế\\lễ " * 4,
            summary="Dòng một\nDòng hai",
            location="Đình, miếu; chùa",
            calendar="lunar",
        )
        occurrence = Occurrence(festival, 2026, datetime.date(2026, 9, 20), datetime.date(2026, 9, 22))
        content = build_feed(
            [occurrence], name="Lễ hội", host="kienminh.localhost", url_for=lambda page: "", place_for=lambda page: ""
        )
        event = Calendar.from_ical(content).walk("VEVENT")[0]
        self.assertEqual(str(event["SUMMARY"]), festival.title)
        self.assertEqual(str(event["LOCATION"]), festival.location)
        self.assertTrue(str(event["DESCRIPTION"]).endswith("Dòng một\nDòng hai"))
        self.assertEqual(event.decoded("DTEND"), datetime.date(2026, 9, 23))
        self.assertEqual(str(event["UID"]), "festival-7-2026@kienminh.localhost")
