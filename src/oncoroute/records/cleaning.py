"""Documents made fit to share: every page drawn as an image, boxes blacked out, flattened.

A PDF or a photo of a report carries the patient's name in its text, its metadata (PDF Info
and XMP, EXIF, JPEG comments, PNG text chunks) and its pixels. The shared copy is built from
the pixels alone: pages are rasterised (pypdfium2 for PDFs, Pillow for photos), the boxes a
coordinator drew are filled in black, and a new file is written from those pixels, so no text
layer, annotation, attachment, script or metadata of the original can come along. pikepdf then
removes what the PDF writer itself puts in the document information.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageDraw, ImageOps

# Pages are drawn this wide (about 150 dpi on A4): legible, and small enough to send.
PAGE_WIDTH = 1240
MAX_PAGE_HEIGHT = 4 * PAGE_WIDTH
MAX_PAGES = 60
# A photo may declare huge dimensions in a few bytes: refuse before decoding.
MAX_PHOTO_PIXELS = 60_000_000


class DocumentUnreadable(Exception):
    """The document cannot be drawn: damaged, encrypted, too many pages or too large."""


@dataclass(frozen=True)
class Box:
    """A rectangle to black out on one page, as fractions of the page's width and height."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float

    @classmethod
    def from_stored(cls, raw: Any) -> Box:
        """A box from its stored or posted form; refuses what is not a box on a page."""
        if not isinstance(raw, dict):
            raise ValueError("a box is an object")
        try:
            page = int(raw.get("page", 0))
            x0, y0, x1, y1 = (float(raw[k]) for k in ("x0", "y0", "x1", "y1"))
        except (KeyError, TypeError, ValueError):
            raise ValueError("a box needs page, x0, y0, x1 and y1") from None
        x0, x1 = sorted((min(max(x0, 0.0), 1.0), min(max(x1, 0.0), 1.0)))
        y0, y1 = sorted((min(max(y0, 0.0), 1.0), min(max(y1, 0.0), 1.0)))
        if page < 0 or x1 - x0 <= 0 or y1 - y0 <= 0:
            raise ValueError("a box must cover part of a page")
        return cls(page, x0, y0, x1, y1)

    def to_stored(self) -> dict[str, float | int]:
        return {"page": self.page, "x0": self.x0, "y0": self.y0, "x1": self.x1, "y1": self.y1}

    def pixels(self, width: int, height: int) -> tuple[int, int, int, int]:
        """The box on an image of this size, grown outward to whole pixels."""
        return (
            int(self.x0 * width),
            int(self.y0 * height),
            min(width, -(-int(self.x1 * width * 1000) // 1000)),
            min(height, -(-int(self.y1 * height * 1000) // 1000)),
        )


def boxes_parse(raw: Any, *, pages: int) -> list[Box]:
    if not isinstance(raw, list) or len(raw) > 500:
        raise ValueError("boxes are a list of at most 500")
    boxes = [Box.from_stored(item) for item in raw]
    if any(box.page >= pages for box in boxes):
        raise ValueError("a box is on a page the document does not have")
    return boxes


def page_count(data: bytes, kind: str) -> int:
    if kind != "pdf":
        return 1
    with _pdfium() as pdfium:
        document = _pdf_open(pdfium, data)
        try:
            return len(document)
        finally:
            document.close()


def pages_draw(data: bytes, kind: str, *, only: int | None = None) -> list[Image.Image]:
    """Every page (or page ``only``) as an RGB image ``PAGE_WIDTH`` wide."""
    if kind == "pdf":
        return _pdf_pages(data, only)
    if only not in (None, 0):
        raise DocumentUnreadable("A photo has one page.")
    return [_photo(data)]


# PDFium is not thread-safe, not even across documents: one call at a time in the process, or
# it crashes (pypdfium2's documentation, "Incompatibility with Threading"). A server thread
# drawing a page while another counts pages took the whole process down.
_PDFIUM_LOCK = threading.Lock()


@contextmanager
def _pdfium() -> Iterator[Any]:
    """pypdfium2, for this thread alone until the block ends."""
    import pypdfium2 as pdfium

    with _PDFIUM_LOCK:
        yield pdfium


def _pdf_open(pdfium: Any, data: bytes) -> Any:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise DocumentUnreadable(
            "The PDF cannot be opened (damaged or password-protected)."
        ) from error


def _pdf_pages(data: bytes, only: int | None) -> list[Image.Image]:
    with _pdfium() as pdfium:
        return _pdf_pages_drawn(_pdf_open(pdfium, data), only)


def _pdf_pages_drawn(document: Any, only: int | None) -> list[Image.Image]:
    try:
        if len(document) > MAX_PAGES:
            raise DocumentUnreadable(f"The PDF has more than {MAX_PAGES} pages.")
        numbers = range(len(document)) if only is None else [only]
        if only is not None and not 0 <= only < len(document):
            raise DocumentUnreadable("No such page.")
        images = []
        for number in numbers:
            page = document[number]
            width, height = page.get_size()
            if width <= 0 or height <= 0 or height / width * PAGE_WIDTH > MAX_PAGE_HEIGHT:
                raise DocumentUnreadable("A page of the PDF has an unusable size.")
            # Forms and annotations drawn too: what the reader would see is what gets redacted.
            bitmap = page.render(scale=PAGE_WIDTH / width, may_draw_forms=True, draw_annots=True)
            images.append(_pixels_only(bitmap.to_pil()))  # a copy: the bitmap can go now
            bitmap.close()
            page.close()
        return images
    finally:
        document.close()


def _photo(data: bytes) -> Image.Image:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PHOTO_PIXELS:
                raise DocumentUnreadable("The photo is too large to draw.")
            upright = ImageOps.exif_transpose(image)
            upright.load()
    except (OSError, Image.DecompressionBombError, SyntaxError) as error:
        raise DocumentUnreadable("The photo cannot be read.") from error
    if upright.width > PAGE_WIDTH * 2:
        height = round(upright.height * PAGE_WIDTH * 2 / upright.width)
        upright = upright.resize((PAGE_WIDTH * 2, max(1, height)))
    return _pixels_only(upright)


def _pixels_only(image: Image.Image) -> Image.Image:
    """The image's RGB pixels with nothing of the file they came from (EXIF, comment, ICC)."""
    clean = image.convert("RGB")
    clean.info = {}
    return clean


def pages_redact(pages: list[Image.Image], boxes: list[Box]) -> list[Image.Image]:
    """Copies of the pages with each box filled in black."""
    redacted = []
    for number, page in enumerate(pages):
        copy = page.copy()
        draw = ImageDraw.Draw(copy)
        for box in boxes:
            if box.page == number:
                x0, y0, x1, y1 = box.pixels(copy.width, copy.height)
                draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=(0, 0, 0))
        redacted.append(copy)
    return redacted


def png_of(page: Image.Image) -> bytes:
    out = io.BytesIO()
    page.save(out, format="PNG", optimize=False)
    return out.getvalue()


def jpeg_of(page: Image.Image) -> bytes:
    """A JPEG from the pixels alone: no EXIF, XMP, ICC profile or comment."""
    out = io.BytesIO()
    _pixels_only(page).save(out, format="JPEG", quality=90, optimize=True)
    return out.getvalue()


def pdf_of(pages: list[Image.Image]) -> bytes:
    """A PDF of the page images only, with empty document information and no XMP."""
    import pikepdf

    drawn = io.BytesIO()
    first, *rest = [_pixels_only(page) for page in pages]
    first.save(drawn, format="PDF", save_all=True, append_images=rest, resolution=150.0)
    drawn.seek(0)
    out = io.BytesIO()
    with pikepdf.open(drawn) as pdf:
        if "/Metadata" in pdf.Root:
            del pdf.Root.Metadata
        if "/Info" in pdf.trailer:
            del pdf.trailer.Info
        pdf.save(out, static_id=True)
    return out.getvalue()


def shared_copy(data: bytes, kind: str, boxes: list[Box]) -> tuple[bytes, str]:
    """The redacted, flattened copy of a document and its kind (``pdf`` or ``jpeg``)."""
    pages = pages_redact(pages_draw(data, kind), boxes)
    if kind == "pdf":
        return pdf_of(pages), "pdf"
    return jpeg_of(pages[0]), "jpeg"
