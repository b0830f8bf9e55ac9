"""The QR encoder: structure always; a real decoder (zbarimg) when the machine has one."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from bot.dashboard import qr


def test_sizes_and_finder_patterns() -> None:
    matrix = qr.encode("https://t.me/TroLyAnSinhBot?start=ev_12")
    assert len(matrix) == 29  # version 3 at level M
    finder = [row[:7] for row in matrix[:7]]
    assert (
        finder[0] == [True] * 7 and finder[1][1:6] == [False] * 5 and finder[3][2:5] == [True] * 3
    )
    assert len(qr.encode("x" * 200)) == 57  # version 10
    with pytest.raises(qr.TooLong):
        qr.encode("x" * 300)


def _png(matrix: list[list[bool]], path: Path, scale: int = 4, quiet: int = 4) -> None:
    size = (len(matrix) + 2 * quiet) * scale
    rows = []
    for y in range(size):
        my = y // scale - quiet
        row = bytearray([0])
        for x in range(size):
            mx = x // scale - quiet
            dark = 0 <= my < len(matrix) and 0 <= mx < len(matrix) and matrix[my][mx]
            row.append(0 if dark else 255)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b"")
    )  # fmt: skip


@pytest.mark.skipif(
    shutil.which("zbarimg") is None and os.environ.get("CI", "").lower() != "true",
    reason="zbarimg (zbar-tools) not installed; `make test` installs it where it may",
)
@pytest.mark.parametrize(
    "text",
    ["https://t.me/TroLyAnSinhBot?start=ev_7", "Đầm Hà – Quảng Tân", "y" * 150, "https://t.me/b"],
)
def test_a_real_decoder_reads_the_code(tmp_path: Path, text: str) -> None:
    image = tmp_path / "code.png"
    _png(qr.encode(text), image)
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True, check=True
    ).stdout.rstrip("\n")
    assert decoded == text
