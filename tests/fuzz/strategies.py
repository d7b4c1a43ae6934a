"""Hypothesis strategies for what a visitor, a robot or a spreadsheet may send."""

from urllib.parse import quote_from_bytes

from hypothesis import settings
from hypothesis import strategies as st

# Bounded so the suite stays quick in CI, and no deadline: the machine running it may be loaded.
FUZZ = settings(max_examples=80, deadline=None, database=None)

# Text of every kind: Vietnamese with and without its marks, combining marks on their own, control
# characters including NUL, right-to-left marks, emoji, surrogates excluded (they cannot be sent).
VIETNAMESE = "ĐđÂâĂăÊêÔôƠơƯưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
weird_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.sampled_from(VIETNAMESE + "abc \u0301\u0300\u0323\u0309\u0303"), max_size=40),
    st.text(alphabet=st.characters(codec="utf-8", categories=("Cc", "Cf", "Mn", "Zs", "So")), max_size=20),
    st.sampled_from(["\x00", "đình\x00", "%00", "\u202e", "🏯", "' OR 1=1 --", "title:(", "*", "\\", "..", "a" * 5000]),
)
huge_numbers = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.sampled_from(["-0", "1e9", "NaN", "inf", "-inf", "0x10", "١٢", "1_000", " 5 ", "9" * 400, "1.5", ""]),
).map(str)
param_value = st.one_of(weird_text, huge_numbers)

# A query string as raw bytes, percent-encoded: invalid UTF-8, repeated and empty names included.
raw_query_string = st.lists(st.tuples(st.binary(max_size=12), st.binary(max_size=24)), max_size=6).map(
    lambda pairs: "&".join(f"{quote_from_bytes(name)}={quote_from_bytes(value)}" for name, value in pairs)
)
