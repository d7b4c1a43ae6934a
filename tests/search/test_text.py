from django.test import SimpleTestCase

from search.text import (
    analyse_query,
    bigrams,
    clean_query,
    edits1,
    exact_terms,
    folded_terms,
    highlight,
    joined_terms,
    prefixes,
    snippet,
    telex_to_folded,
)


class TermTests(SimpleTestCase):
    def test_nfc_nfd_and_both_tone_placements_give_the_same_terms(self):
        forms = ["Hoà Bình", "Hòa Bình", "Ho\u0300a Bi\u0300nh", "Hoa\u0300 Bi\u0300nh"]
        self.assertEqual({tuple(exact_terms(form)) for form in forms}, {("hòa", "bình")})

    def test_folded_terms_drop_every_mark_and_write_d_stroke_as_d(self):
        self.assertEqual(folded_terms("Đền thờ Trần Hưng Đạo"), ["den", "tho", "tran", "hung", "dao"])

    def test_the_look_alike_eth_is_read_as_d_stroke(self):
        # Ð (U+00D0) and ð (U+00F0), typed or pasted for Đ and đ.
        self.assertEqual(exact_terms("\u00d0ền \u00f0ình"), exact_terms("Đền đình"))
        self.assertEqual(folded_terms("\u00d0ền Tân Viên"), ["den", "tan", "vien"])
        self.assertEqual(analyse_query("\u00d0ền").folded, ["den"])
        self.assertEqual(highlight("Ðền Tân Viên", ["den"]), "<mark>Ðền</mark> Tân Viên")

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


class TypoTests(SimpleTestCase):
    def test_one_edit_covers_a_dropped_added_changed_or_swapped_letter(self):
        neighbours = edits1("khiem")
        for typo in ["khem", "khiiem", "khiam", "khime"]:
            with self.subTest(typo=typo):
                self.assertIn(typo, neighbours)
        self.assertNotIn("khiem", neighbours)
        self.assertNotIn("kheim2", neighbours)

    def test_beginnings_of_a_word(self):
        self.assertEqual(prefixes("tran"), ["t", "tr", "tra", "tran"])
        self.assertEqual(prefixes("tranhungdao", shortest=9), ["tranhungd", "tranhungda", "tranhungdao"])
        self.assertEqual(len(prefixes("a" * 100)), 24)


class HighlightTests(SimpleTestCase):
    def test_folded_query_words_are_marked_in_the_accented_text(self):
        self.assertEqual(
            highlight("Đình Động thờ Thành hoàng", ["dong", "thanh"]),
            "Đình <mark>Động</mark> thờ <mark>Thành</mark> hoàng",
        )

    def test_the_text_around_the_marks_is_escaped(self):
        self.assertEqual(highlight("<b>Chùa</b> & đình", ["chua"]), "&lt;b&gt;<mark>Chùa</mark>&lt;/b&gt; &amp; đình")

    def test_decomposed_text_is_shown_composed(self):
        self.assertEqual(highlight("Chu\u0300a Ve\u0303", ["ve"]), "Chùa <mark>Vẽ</mark>")

    def test_a_word_typed_as_one_marks_the_syllables_it_joins(self):
        self.assertEqual(
            highlight("Đền thờ Trần Hưng Đạo", ["tranhungdao"]),
            "Đền thờ <mark>Trần</mark> <mark>Hưng</mark> <mark>Đạo</mark>",
        )

    def test_long_text_is_cut_between_words_around_the_first_match(self):
        text = "Mở đầu " * 60 + "lễ hội chọi trâu ở Đồ Sơn " + "và kết thúc " * 60
        result = highlight(text, ["trau"])
        self.assertIn("<mark>trâu</mark>", result)
        self.assertTrue(result.startswith("…") and result.endswith("…"))
        plain = result.replace("<mark>", "").replace("</mark>", "").strip("…")
        self.assertLessEqual(len(plain), 200)
        self.assertIn(plain.split()[0], {"Mở", "đầu"})

    def test_the_snippet_comes_from_the_passage_matching_most_words(self):
        passages = ["Tóm tắt có chữ trâu.", "Không liên quan.", "Hội chọi trâu mùa thu."]
        self.assertEqual(snippet(passages, ["choi", "trau"]), "Hội <mark>chọi</mark> <mark>trâu</mark> mùa thu.")
        self.assertEqual(snippet(passages, ["trau"]), "Tóm tắt có chữ <mark>trâu</mark>.")
        self.assertEqual(snippet(passages, ["khong", "co"]), "Tóm tắt <mark>có</mark> chữ trâu.")

    def test_a_snippet_of_nothing_is_empty(self):
        self.assertEqual(snippet(["", "  "], ["dinh"]), "")
        self.assertEqual(snippet(["Đình làng."], []), "Đình làng.")
