"""The text of a PDF that fpdf2 wrote, read back without a PDF library: each page's content
stream (inflated), its strings decoded through their font's ToUnicode map. Enough for fpdf2's
own output (embedded TrueType fonts, two-byte codes); not a general PDF reader."""

from __future__ import annotations

import re
import zlib

_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)\s*endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_SHOW = re.compile(rb"/(\w+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) ?Tj|\[(.*?)\] ?TJ|\bET\b", re.S)


def _stream(body: bytes) -> bytes:
    match = _STREAM.search(body)
    if match is None:
        return b""
    raw = match.group(1)
    return zlib.decompress(raw) if b"/FlateDecode" in body else raw


def _unescape(literal: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(literal):
        byte = literal[i : i + 1]
        if byte != b"\\":
            out += byte
            i += 1
            continue
        following = literal[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", literal[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(0), 8))
            i += 1 + len(octal.group(0))
        else:
            out += _ESCAPES.get(following, following)
            i += 2
    return bytes(out)


def _cmap(data: bytes) -> dict[int, str]:
    found: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            found[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for start, end, first in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            base = int(first, 16)
            for offset, code in enumerate(range(int(start, 16), int(end, 16) + 1)):
                found[code] = chr(base + offset)
    return found


def pdf_pages(data: bytes) -> list[str]:
    """Each page's text, its pieces joined by single spaces."""
    assert data.startswith(b"%PDF-"), "not a PDF"
    assert data.rstrip().endswith(b"%%EOF"), "a PDF without its end"
    objects = dict(_OBJECT.findall(data))
    cmaps = {}
    for number, body in objects.items():
        to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if to_unicode:
            cmaps[number] = _cmap(_stream(objects[to_unicode.group(1)]))
    fonts: dict[bytes, dict[int, str]] = {}
    for body in objects.values():
        for resources in re.findall(rb"/Font\s*<<(.*?)>>", body, re.S):
            for name, number in re.findall(rb"/(\w+) (\d+) 0 R", resources):
                fonts[name] = cmaps.get(number, {})
    pages = []
    for body in objects.values():
        contents = re.search(rb"/Contents (\d+) 0 R", body)
        if not contents or not re.search(rb"/Type /Page\b", body):
            continue
        cmap: dict[int, str] = {}
        pieces: list[str] = []
        for match in _SHOW.finditer(_stream(objects[contents.group(1)])):
            if match.group(1):
                cmap = fonts.get(match.group(1), {})
                continue
            literals = [match.group(2)] if match.group(2) is not None else []
            if match.group(3) is not None:
                literals = re.findall(rb"\(((?:\\.|[^\\)])*)\)", match.group(3))
            for literal in literals:
                raw = _unescape(literal)
                codes = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
                pieces.append("".join(cmap.get(code, "\ufffd") for code in codes))
        pages.append(re.sub(r"\s+", " ", " ".join(pieces)).strip())
    return pages


def pdf_text(data: bytes) -> str:
    return " ".join(pdf_pages(data))
