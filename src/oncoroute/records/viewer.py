"""The image viewer's reads: the series of a de-identified study and one windowed frame.

Frames come from the arrays the worker decoded from the verified de-identified copy
(``ViewerImage``); a request only windows one of them into a PNG, kept a few minutes in the
cache. URLs carry ids and a frame number only, and nothing read from a header but numbers
(positions, windows) reaches the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext, gettext_noop

from oncoroute.records import frames
from oncoroute.records.models import (
    HeldImage,
    Instance,
    Series,
    Study,
    ViewerImage,
    shown_in_reader_language,
)

CACHE_SECONDS = 300
PRESETS = {
    name: {"centre": centre, "width": width} for name, (centre, width) in frames.PRESETS.items()
}


@dataclass(frozen=True)
class _Located:
    image: ViewerImage
    frame: int


# The decoder's fixed reasons, marked here for the catalogue (records.frames runs in a child
# without Django) and shown in the reader's language; a reason naming a value stays as written.
DECODER_REASONS = (
    gettext_noop("This object holds no image."),
    gettext_noop("The image is too large to show here; the file itself is kept."),
    gettext_noop("The image is too large to decode here."),
)


def series_for_viewer(study: Study) -> list[dict[str, Any]]:
    """Each series of the study with what the page needs to scroll it: one entry per frame
    (its position along the patient when known), its default window, and why an image of it
    cannot be shown when that is so."""
    shown = []
    series_rows = Series.objects.filter(study=study).order_by("number", "pk")
    images_by_series: dict[int, list[ViewerImage]] = {}
    for image in ViewerImage.objects.filter(series__study=study).order_by("order", "pk"):
        images_by_series.setdefault(image.series_id, []).append(image)
    held = _held_counts(study)
    with_pixels = set(
        Instance.objects.filter(series__study=study, has_pixels=True).values_list(
            "series_id", flat=True
        )
    )
    for number, series in enumerate(series_rows, start=1):
        images = images_by_series.get(series.pk, [])
        slices = [
            {"p": image.position, "n": image.number, "f": frame}
            for image in images
            if image.file
            for frame in range(image.frames)
        ]
        reasons = sorted({shown_in_reader_language(image.error) for image in images if image.error})
        middle = next((i for i in images[len(images) // 2 :] if i.file), None) or next(
            (i for i in images if i.file), None
        )
        shown.append(
            {
                "id": series.pk,
                "label": f"{series.modality or '?'} · "
                + gettext("series %(number)s") % {"number": series.number or number},
                "modality": series.modality,
                "slices": slices,
                "colour": bool(middle and middle.colour),
                "window": {"centre": middle.centre, "width": middle.width} if middle else None,
                "not_shown": reasons,
                "skipped": sum(1 for image in images if not image.file),
                # Why the viewer may show none of it: images held back for review (or being
                # masked, or kept withheld) never reach it, nor do objects without pixels.
                "held": held.get((series.pk, HeldImage.State.PENDING), 0),
                "masking": held.get((series.pk, HeldImage.State.RELEASING), 0),
                "withheld": held.get((series.pk, HeldImage.State.WITHHELD), 0),
                "no_pixels": series.pk not in with_pixels,
            }
        )
    return shown


def _held_counts(study: Study) -> dict[tuple[int, str], int]:
    """How many images of each series of ``study`` are in each held-back state."""
    rows = HeldImage.objects.filter(study=study).values("instance__series_id", "state")
    counted = rows.annotate(count=Count("pk"))
    return {(row["instance__series_id"], row["state"]): row["count"] for row in counted}


def _locate(series: Series, index: int) -> _Located:
    remaining = index
    for image in series.viewer_images.exclude(file="").order_by("order", "pk"):
        if remaining < image.frames:
            return _Located(image, remaining)
        remaining -= image.frames
    raise Http404("No such frame.")


def _window(request: HttpRequest, image: ViewerImage) -> tuple[int, int]:
    try:
        centre = int(float(request.GET.get("c", image.centre)))
        width = int(float(request.GET.get("w", image.width)))
    except ValueError:
        raise Http404("No such window.") from None
    return max(-100_000, min(centre, 1_000_000)), max(1, min(width, 2_000_000))


def frame_response(request: HttpRequest, series: Series, index: int) -> HttpResponse:
    """One frame of a series as a PNG, windowed as asked (``c`` and ``w``, whole numbers)."""
    located = _locate(series, index)
    image = located.image
    centre, width = _window(request, image)
    key = f"viewer:{image.pk}:{image.file}:{located.frame}:{centre}:{width}"
    png = cache.get(key)
    if png is None:
        with default_storage.open(image.file, "rb") as fp:
            stack = frames.load(fp.read())
        png = frames.window_png(
            stack[located.frame], centre=centre, width=width, inverted=image.inverted
        )
        cache.set(key, png, CACHE_SECONDS)
    response = HttpResponse(png, content_type="image/png")
    # Not in any browser or proxy cache: the server keeps the drawn frames instead.
    response["Cache-Control"] = "private, no-store"
    return response
