"""pydicom's data dictionaries (PS3.6) and version, read without importing pydicom.

Importing pydicom takes longer than rewriting the headers of a small study,
and the header rewrite of ``direct.py`` needs only the dictionary's VRs and
keywords, the transfer syntax UIDs, and pydicom's version for the File Meta
Information it writes. pydicom's generated data modules import nothing, so
they are loaded here on their own. Where pydicom is imported already, its own
modules are used, entries added at run time included.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
from importlib.machinery import SourceFileLoader
from pathlib import Path
from types import ModuleType
from typing import Final

Entry = tuple[str, str, str, str, str]  # VR, VM, name, retired, keyword

# pydicom.uid.PYDICOM_IMPLEMENTATION_UID; the tests compare the two.
IMPLEMENTATION_UID: Final = "1.2.826.0.1.3680043.8.498.1"
_STANDARD_UID_PREFIX: Final = "1.2.840.10008."
_IMPLICIT_VR_LITTLE_ENDIAN: Final = "1.2.840.10008.1.2"
_BIG_ENDIAN: Final = "1.2.840.10008.1.2.2"
_DEFLATED: Final = "1.2.840.10008.1.2.1.99"
_VERSION_LINE: Final = re.compile(r"^Version: *(\S+)", re.MULTILINE)


def _pydicom_dir() -> Path:
    spec = importlib.util.find_spec("pydicom")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("pydicom is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def _data_module(name: str) -> ModuleType:
    """pydicom's module ``name`` (one of its generated dictionaries, which import nothing)."""
    if "pydicom" in sys.modules:
        return importlib.import_module(f"pydicom.{name}")
    path = _pydicom_dir() / f"{name}.py"
    loader = SourceFileLoader(f"{__name__}._pydicom{name}", str(path))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    if spec is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@functools.cache
def _elements() -> tuple[dict[int, Entry], dict[str, Entry], dict[str, tuple[int, int]]]:
    module = _data_module("_dicom_dict")
    repeaters: dict[str, Entry] = module.RepeatersDictionary
    # As pydicom.datadict builds them: XOR with mask1 tests the fixed digits, mask2 keeps them.
    masks = {
        mask: (int(mask.replace("x", "0"), 16), int("".join("F0"[c == "x"] for c in mask), 16))
        for mask in repeaters
    }
    return module.DicomDictionary, repeaters, masks


@functools.cache
def _keywords() -> dict[str, int]:
    return {entry[4]: tag for tag, entry in _elements()[0].items()}


def has_tag(tag: int) -> bool:
    """``pydicom.datadict.dictionary_has_tag``: whether ``tag`` is a standard attribute."""
    return tag in _elements()[0]


def vr_of_tag(tag: int) -> str:
    """``pydicom.datadict.dictionary_VR``, repeating groups included; KeyError if unknown."""
    elements, repeaters, masks = _elements()
    entry = elements.get(tag)
    if entry is not None:
        return entry[0]
    if not tag >> 16 & 1:
        for mask, (fixed, kept) in masks.items():
            if (tag ^ fixed) & kept == 0:
                return repeaters[mask][0]
    raise KeyError(f"tag {tag:08X} is not in the DICOM dictionary")


def tag_for_keyword(keyword: str) -> int | None:
    """``pydicom.datadict.tag_for_keyword``."""
    return _keywords().get(keyword)


@functools.cache
def _transfer_syntaxes() -> frozenset[str]:
    uids: dict[str, tuple[str, ...]] = _data_module("_uid_dict").UID_dictionary
    return frozenset(uid for uid, entry in uids.items() if entry[1] == "Transfer Syntax")


def is_transfer_syntax(uid: str) -> bool:
    """``pydicom.uid.UID(uid).is_transfer_syntax`` for a UID read from a file.

    A private transfer syntax is one only when registered with pydicom,
    which happens in pydicom's own objects; a UID read from a file is not.
    """
    return uid.startswith(_STANDARD_UID_PREFIX) and uid in _transfer_syntaxes()


def is_implicit_vr(syntax: str) -> bool:
    return syntax == _IMPLICIT_VR_LITTLE_ENDIAN


def is_big_endian(syntax: str) -> bool:
    return syntax == _BIG_ENDIAN


def is_deflated(syntax: str) -> bool:
    return syntax == _DEFLATED


@functools.cache
def pydicom_version() -> str:
    """``pydicom.__version__``: its installed distribution's version.

    pydicom asks ``importlib.metadata``, which scans every path entry for
    distributions; its own dist-info folder next to the package says the same.
    """
    if "pydicom" in sys.modules:
        return str(sys.modules["pydicom"].__version__)
    folders = list(_pydicom_dir().parent.glob("pydicom-*.dist-info"))
    if len(folders) == 1:
        try:
            found = _VERSION_LINE.search((folders[0] / "METADATA").read_text(encoding="utf-8"))
        except OSError:
            found = None
        if found:
            return found.group(1)
    from importlib.metadata import version

    return version("pydicom")
