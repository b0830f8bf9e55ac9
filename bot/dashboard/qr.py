"""QR codes for the event posters, encoded by `segno` and drawn as inline SVG.

The posters need one QR code per event (the bot's deep link, ~40 characters). Encoding is
segno's (a maintained, pure-Python implementation of ISO/IEC 18004): UTF-8 bytes, error
correction at least M (segno raises it when that costs no size), so a torn or smudged corner
of a printed poster still scans. Codes stop at version 10 (213 bytes at level M): far more
than a link needs, and anything longer is a mistake rather than a poster. The SVG is drawn
here so the page keeps its own class and one crisp path.
"""

from __future__ import annotations

import segno
from markupsafe import Markup

MAX_VERSION = 10


class TooLong(ValueError):
    """The text does not fit in a version-10 code."""


def encode(text: str) -> list[list[bool]]:
    """The module matrix (True = dark) of `text` in UTF-8, without the quiet zone."""
    payload_size = len(text.encode("utf-8"))
    try:
        code = segno.make_qr(text, error="m", encoding="utf-8")
    except segno.DataOverflowError as error:
        raise TooLong(f"{payload_size} bytes do not fit in a QR code: {error}") from error
    if int(code.version) > MAX_VERSION:
        raise TooLong(
            f"{payload_size} bytes need QR version {code.version}; the posters stop at "
            f"version {MAX_VERSION} (213 bytes)"
        )
    return [[bool(module) for module in row] for row in code.matrix_iter(scale=1, border=0)]


def svg(text: str, *, quiet_zone: int = 4) -> Markup:
    """The code as a scalable SVG (one path), with the white border scanners need."""
    matrix = encode(text)
    size = len(matrix) + 2 * quiet_zone
    path = "".join(
        f"M{x + quiet_zone},{y + quiet_zone}h1v1h-1z"
        for y, row in enumerate(matrix)
        for x, dark in enumerate(row)
        if dark
    )
    return Markup(
        f'<svg class="qr" viewBox="0 0 {size} {size}" xmlns="http://www.w3.org/2000/svg" '
        f'shape-rendering="crispEdges" role="img"><rect width="{size}" height="{size}" '
        f'fill="#fff"/><path d="{path}" fill="#000"/></svg>'
    )
