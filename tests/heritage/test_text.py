from django.test import SimpleTestCase

from heritage.text import fold_diacritics, normalize_text, slugify_vi, unify_tone_placement


class SlugTests(SimpleTestCase):
    def test_d_stroke_becomes_d_in_slugs(self):
        self.assertEqual(slugify_vi("Đình Đông Khê"), "dinh-dong-khe")

    def test_letters_with_two_marks_are_folded(self):
        self.assertEqual(slugify_vi("Lễ hội chọi trâu Đồ Sơn"), "le-hoi-choi-trau-do-son")


class NormalizeTextTests(SimpleTestCase):
    def test_decomposed_text_is_stored_precomposed(self):
        decomposed = "Đe\u0302\u0300n tho\u031b\u0300"
        self.assertEqual(normalize_text(decomposed), "Đền thờ")

    def test_control_characters_are_removed(self):
        self.assertEqual(normalize_text("Chùa\x00 Vẽ\x1b"), "Chùa Vẽ")


class FoldDiacriticsTests(SimpleTestCase):
    def test_tone_marks_and_d_stroke_are_folded(self):
        self.assertEqual(fold_diacritics("Đình làng Đông Ngạc"), "dinh lang dong ngac")


class TonePlacementTests(SimpleTestCase):
    def test_old_and_new_placement_become_the_same_word(self):
        for old, new in [("hoà", "hòa"), ("thuý", "thúy"), ("khoẻ", "khỏe"), ("Hoà Bình", "Hòa Bình")]:
            with self.subTest(old=old):
                self.assertEqual(unify_tone_placement(old), new)

    def test_qu_keeps_its_mark_on_the_following_vowel(self):
        self.assertEqual(unify_tone_placement("quý"), "quý")
