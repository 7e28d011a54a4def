from __future__ import annotations

import io
from typing import Any

from oncoroute.records import services
from oncoroute.records.models import Series, Upload
from oncoroute.records.tasks import series_previews_draw

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def upload_bytes(
    *,
    case: Any,
    actor: Any,
    data: bytes,
    filename: str = "file",
    chunk: int = 1 << 20,
    index: bool = True,
    **kw: Any,
) -> Upload:
    """Start, send in chunks and complete an upload through the services; a disc (ZIP) is then
    indexed as the worker would, unless ``index`` is False."""
    upload = services.upload_start(case=case, actor=actor, filename=filename, size=len(data), **kw)
    for start in range(0, len(data), chunk):
        part = data[start : start + chunk]
        upload = services.upload_chunk(
            upload=upload, start=start, stream=io.BytesIO(part), length=len(part)
        )
    upload = services.upload_complete(upload=upload)
    if index and upload.state == Upload.State.PROCESSING:
        index_in_worker(upload)
        upload.refresh_from_db()
    return upload


def index_in_worker(upload: Upload) -> None:
    """What the worker does after a disc's last byte arrived: unpack and index it."""
    services.upload_index(upload_id=upload.pk)


def draw_previews() -> None:
    """What the worker does after an upload's transaction: draw the series' previews."""
    series_previews_draw.call(series_ids=list(Series.objects.values_list("pk", flat=True)))
