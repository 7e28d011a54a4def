"""Frames of de-identified images decoded once, in a child process, for the viewer and review.

Each DICOM file is decoded (pydicom with the pylibjpeg, pyjpegls and RLE plugins: JPEG, JPEG
2000, JPEG-LS, RLE and deflate), rescaled to its real values and shrunk to at most ``MAX_SIDE``
pixels across, then kept as one small NumPy array per file. A request then only windows an
array it made itself: no codec ever runs in a request, and a file that would decode to too
much is refused from its header. A file that cannot be decoded gets a sentence saying why.
"""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
from PIL import Image

MAX_SIDE: Final = 1024
# The file format of a frame set: zlib of np.save of (frames, rows, cols[, 3]).
SUFFIX: Final = ".npz1"

BONE: Final = (400.0, 1800.0)
SOFT_TISSUE: Final = (40.0, 400.0)
LUNG: Final = (-600.0, 1500.0)
PRESETS: Final = {"bone": BONE, "soft": SOFT_TISSUE, "lung": LUNG}

# Transfer syntaxes no decoder here can turn into slices, with the reason shown.
_VIDEO: Final = {
    "1.2.840.10008.1.2.4.100": "MPEG-2 video",
    "1.2.840.10008.1.2.4.101": "MPEG-2 video",
    "1.2.840.10008.1.2.4.102": "MPEG-4 video",
    "1.2.840.10008.1.2.4.103": "MPEG-4 video",
    "1.2.840.10008.1.2.4.104": "MPEG-4 video",
    "1.2.840.10008.1.2.4.105": "MPEG-4 video",
    "1.2.840.10008.1.2.4.106": "MPEG-4 video",
    "1.2.840.10008.1.2.4.107": "HEVC video",
    "1.2.840.10008.1.2.4.108": "HEVC video",
}


@dataclass(frozen=True)
class Decoded:
    """One file's frames as the child wrote them, or why it could not."""

    index: int
    ok: bool
    reason: str = ""
    frames: int = 0
    rows: int = 0
    columns: int = 0
    colour: bool = False
    inverted: bool = False
    centre: float = 0.0
    width: float = 0.0
    position: float | None = None
    number: int | None = None


def decode_files(
    paths: list[Path], out_dir: Path, *, memory_bytes: int, max_frame_bytes: int, seconds: float
) -> list[Decoded]:
    """Decode ``paths`` in one child under the limits; ``out_dir/<i>.npz1`` for each success."""
    if not paths:
        return []
    spec = json.dumps(
        {
            "paths": [str(p) for p in paths],
            "out": str(out_dir),
            "memory": memory_bytes,
            "max_frame": max_frame_bytes,
        }
    )
    try:
        done = subprocess.run(  # noqa: S603 - this module, our interpreter, paths we made
            [sys.executable, "-m", __name__],
            input=spec.encode(),
            capture_output=True,
            timeout=seconds,
            check=False,
        )
        stdout = done.stdout
    except subprocess.TimeoutExpired as expired:
        stdout = expired.stdout or b""
    results = {}
    for line in stdout.decode(errors="replace").splitlines():
        try:
            item = Decoded(**json.loads(line))
        except (TypeError, ValueError):
            continue
        results[item.index] = item
    # A file the child never reported on is where it ran out of memory or time.
    return [
        results.get(i) or Decoded(i, False, "The image could not be decoded within the limits.")
        for i in range(len(paths))
    ]


def load(data: bytes) -> np.ndarray:
    array: np.ndarray = np.load(io.BytesIO(zlib.decompress(data)), allow_pickle=False)
    return array


def dump(array: np.ndarray) -> bytes:
    out = io.BytesIO()
    np.save(out, array, allow_pickle=False)
    return zlib.compress(out.getvalue(), 1)


def window_png(frame: np.ndarray, *, centre: float, width: float, inverted: bool = False) -> bytes:
    """An 8-bit PNG of one frame: grey frames windowed, colour frames as they are."""
    if frame.ndim == 3:
        image = Image.fromarray(frame.astype(np.uint8), "RGB")
    else:
        low = centre - width / 2
        scaled = np.clip((frame.astype(np.float32) - low) / max(width, 1e-6), 0.0, 1.0) * 255.0
        if inverted:
            scaled = 255.0 - scaled
        image = Image.fromarray(scaled.astype(np.uint8), "L")
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


# The child ---------------------------------------------------------------------------------------


def _limit(memory_bytes: int) -> None:
    statm = Path("/proc/self/statm")
    if not statm.exists():
        return
    pages = int(statm.read_text().split()[0])
    limit = pages * resource.getpagesize() + memory_bytes
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _why_not(ds: Any, max_frame: int) -> str:
    syntax = str(getattr(getattr(ds, "file_meta", None), "TransferSyntaxUID", ""))
    if syntax in _VIDEO:
        return f"This image is {_VIDEO[syntax]}, which cannot be shown slice by slice here."
    if "PixelData" not in ds and "FloatPixelData" not in ds and "DoubleFloatPixelData" not in ds:
        return "This object holds no image."
    rows, cols = int(ds.get("Rows", 0) or 0), int(ds.get("Columns", 0) or 0)
    samples = int(ds.get("SamplesPerPixel", 1) or 1)
    bits = int(ds.get("BitsAllocated", 16) or 16)
    if rows * cols * samples * -(-bits // 8) > max_frame:
        return "The image is too large to show here; the file itself is kept."
    return ""


def _decode_one(path: Path, max_frame: int) -> tuple[dict[str, Any], np.ndarray | None]:
    import pydicom
    from pydicom.pixels.processing import apply_rescale

    ds = pydicom.dcmread(path)
    if reason := _why_not(ds, max_frame):
        return {"ok": False, "reason": reason}, None
    try:
        pixels = ds.pixel_array
    except Exception as error:  # no decoder for the syntax, or a damaged stream
        syntax = ds.file_meta.get("TransferSyntaxUID")
        name = getattr(syntax, "name", str(syntax))
        kind = type(error).__name__
        return {"ok": False, "reason": f"This image ({name}) could not be decoded ({kind})."}, None
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    samples = int(ds.get("SamplesPerPixel", 1) or 1)
    colour = samples == 3
    if frames == 1:
        pixels = pixels[np.newaxis, ...]
    if colour:
        photometric = str(ds.get("PhotometricInterpretation", ""))
        if photometric.startswith("YBR"):
            from pydicom.pixels.processing import convert_color_space

            pixels = convert_color_space(pixels, photometric, "RGB", per_frame=True)
        bits = int(ds.get("BitsStored", 8) or 8)
        values = (pixels >> max(bits - 8, 0)).astype(np.uint8) if bits > 8 else pixels
        values = values.astype(np.uint8)
    else:
        values = apply_rescale(pixels.astype(np.float32), ds).astype(np.float32)
    step = max(1, -(-max(values.shape[1:3]) // MAX_SIDE))
    values = values[:, ::step, ::step]
    if not colour:
        values = values.astype(np.int16) if _fits_int16(values) else values
    centre, width = _default_window(ds, values, colour)
    meta = {
        "ok": True,
        "frames": int(values.shape[0]),
        "rows": int(values.shape[1]),
        "columns": int(values.shape[2]),
        "colour": colour,
        "inverted": str(ds.get("PhotometricInterpretation", "")) == "MONOCHROME1",
        "centre": centre,
        "width": width,
        "position": _position(ds),
        "number": _int(ds.get("InstanceNumber")),
    }
    return meta, values


def _fits_int16(values: np.ndarray) -> bool:
    if not values.size:
        return True
    low, high = float(values.min()), float(values.max())
    return low >= -32768 and high <= 32767 and bool(np.all(values == np.round(values)))


def _default_window(ds: Any, values: np.ndarray, colour: bool) -> tuple[float, float]:
    if colour:
        return 128.0, 256.0
    try:
        centre, width = _first(ds.WindowCenter), _first(ds.WindowWidth)
        if width > 0:
            return centre, width
    except (AttributeError, TypeError, ValueError, IndexError):
        pass
    if str(ds.get("Modality", "")) == "CT":
        return SOFT_TISSUE
    sample = values[values.shape[0] // 2].astype(np.float32)
    low, high = np.percentile(sample, (0.5, 99.5)) if sample.size else (0.0, 1.0)
    return float((low + high) / 2), float(max(high - low, 1.0))


def _first(value: Any) -> float:
    import pydicom

    if isinstance(value, pydicom.multival.MultiValue):
        value = value[0]
    return float(value)


def _position(ds: Any) -> float | None:
    try:
        return float(ds.ImagePositionPatient[2])
    except (AttributeError, TypeError, ValueError, IndexError):
        try:
            return float(ds.SliceLocation)
        except (AttributeError, TypeError, ValueError):
            return None


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def main() -> int:
    spec = json.loads(sys.stdin.buffer.read())
    _limit(int(spec["memory"]))
    out = Path(spec["out"])
    for index, name in enumerate(spec["paths"]):
        try:
            meta, values = _decode_one(Path(name), int(spec["max_frame"]))
            if values is not None:
                (out / f"{index}{SUFFIX}").write_bytes(dump(values))
        except MemoryError:
            meta = {"ok": False, "reason": "The image is too large to decode here."}
        except Exception as error:  # the message could quote header values: its type only
            meta = {"ok": False, "reason": f"The file could not be read ({type(error).__name__})."}
        print(json.dumps({"index": index, **meta}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())


def mask_dicom(source: Path, boxes: list[Any], target: Path) -> None:
    """Write ``source`` to ``target`` with every box blacked out on every frame, uncompressed,
    and Burned In Annotation set to NO: called only once a coordinator has reviewed the image.

    ``boxes`` are records.cleaning.Box, as fractions of the frame.
    """
    import pydicom
    from pydicom.uid import ExplicitVRLittleEndian

    ds = pydicom.dcmread(source)
    if ds.file_meta.TransferSyntaxUID.is_compressed:
        ds.decompress()
    pixels = ds.pixel_array.copy()
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    stack = pixels if frames > 1 else pixels[np.newaxis, ...]
    rows, columns = stack.shape[1], stack.shape[2]
    black = stack.max() if str(ds.get("PhotometricInterpretation", "")) == "MONOCHROME1" else 0
    if not stack.size:
        black = 0
    for box in boxes:
        x0, y0, x1, y1 = box.pixels(columns, rows)
        stack[:, y0:y1, x0:x1, ...] = black
    ds.PixelData = (stack if frames > 1 else stack[0]).tobytes()
    ds.BurnedInAnnotation = "NO"
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.save_as(target, enforce_file_format=True)
