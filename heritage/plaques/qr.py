"""QR images of short URLs: level H error correction (30 %), so a weathered plaque or a logo laid
over the middle still scans, and a quiet zone of four modules as the standard asks."""

import io

import segno

from . import code_url

ERROR_LEVEL = "h"
QUIET_ZONE = 4


def make_qr(code):
    """The QR symbol of a plaque code's short URL."""
    return segno.make(code_url(code), error=ERROR_LEVEL, micro=False, boost_error=False)


def qr_svg(code, scale=8):
    buffer = io.BytesIO()
    make_qr(code).save(buffer, kind="svg", scale=scale, border=QUIET_ZONE, xmldecl=False, title=code_url(code))
    return buffer.getvalue()


def qr_png(code, scale=10):
    buffer = io.BytesIO()
    make_qr(code).save(buffer, kind="png", scale=scale, border=QUIET_ZONE)
    return buffer.getvalue()


def dark_modules(code):
    """(row, column) of every dark module, without the quiet zone, and the symbol's width in modules."""
    qr = make_qr(code)
    rows = list(qr.matrix_iter(scale=1, border=0))
    cells = [(y, x) for y, row in enumerate(rows) for x, dark in enumerate(row) if dark]
    return cells, len(rows)
