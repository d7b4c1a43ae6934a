from django.test import SimpleTestCase

from search.text import analyse_query, bigrams, clean_query, exact_terms, folded_terms, joined_terms, telex_to_folded


class TermTests(SimpleTestCase):
    def test_nfc_nfd_and_both_tone_placements_give_the_same_terms(self):
        forms = ["Hoà Bình", "Hòa Bình", "Ho\u0300a Bi\u0300nh", "Hoa\u0300 Bi\u0300nh"]
        self.assertEqual({tuple(exact_terms(form)) for form in forms}, {("hòa", "bình")})

    def test_folded_terms_drop_every_mark_and_write_d_stroke_as_d(self):
        self.assertEqual(folded_terms("Đền thờ Trần Hưng Đạo"), ["den", "tho", "tran", "hung", "dao"])

    def test_exact_terms_keep_marks_so_accents_can_rank(self):
        self.assertNotEqual(exact_terms("Đình Động"), exact_terms("Đình Đông"))

    def test_bigrams_and_joined_runs(self):
        terms = ["tran", "hung", "dao"]
        self.assertEqual(bigrams(terms), ["tran_hung", "hung_dao"])
        self.assertEqual(joined_terms(terms), ["tranhung", "tranhungdao", "hungdao"])


class TelexTests(SimpleTestCase):
    def test_words_typed_in_telex_read_as_their_folded_syllable(self):
        cases = {
            "ddinhf": "dinh",
            "chuaf": "chua",
            "truwowngf": "truong",
            "nguyeenx": "nguyen",
            "hooij": "hoi",
            "ddenf": "den",
        }
        for typed, folded in cases.items():
            with self.subTest(typed=typed):
                self.assertEqual(telex_to_folded(typed), folded)

    def test_plain_words_and_initial_consonants_are_not_telex(self):
        for word in ["dinh", "sông", "xa", "rong", "tran"]:
            with self.subTest(word=word):
                self.assertIsNone(telex_to_folded(word))


class QueryTests(SimpleTestCase):
    def test_control_characters_and_overlong_queries_are_cleaned(self):
        self.assertEqual(clean_query("chùa\x00\x1b  vẽ"), "chùa vẽ")
        self.assertEqual(len(clean_query("a" * 10_000)), 200)

    def test_punctuation_only_queries_are_empty(self):
        self.assertTrue(analyse_query("?!… title:(").folded == ["title"])
        self.assertTrue(analyse_query("?!…()").is_empty)

    def test_each_word_offers_its_telex_reading(self):
        query = analyse_query("ddinhf Kiến")
        self.assertEqual(query.alternatives, [["ddinhf", "dinh"], ["kien"]])
        self.assertEqual(query.prefix, "kien")
