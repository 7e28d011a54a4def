"""The data read from pydicom's dictionaries without importing pydicom is pydicom's."""

from __future__ import annotations

import subprocess
import sys

import pydicom
import pytest
from pydicom._dicom_dict import DicomDictionary, RepeatersDictionary
from pydicom._uid_dict import UID_dictionary
from pydicom.datadict import dictionary_has_tag, dictionary_VR, keyword_dict
from pydicom.uid import UID

from oncoroute.deid import dictionary

# Each repeater once, with its 'x' digits set to 0, 2 and E, and a few tags in no dictionary.
_TAGS = sorted(
    {int(mask.replace("x", digit), 16) for mask in RepeatersDictionary for digit in "02E"}
    | set(DicomDictionary)
    | {0x00090010, 0x00091001, 0x00110000, 0x60010010, 0x7FE10010, 0x00080001, 0xFFFEE000}
)


def _pydicom_vr(tag: int) -> str | None:
    try:
        return str(dictionary_VR(tag))
    except KeyError:
        return None


def _our_vr(tag: int) -> str | None:
    try:
        return dictionary.vr_of_tag(tag)
    except KeyError:
        return None


def test_vrs_and_known_tags_are_pydicoms() -> None:
    assert [_our_vr(tag) for tag in _TAGS] == [_pydicom_vr(tag) for tag in _TAGS]
    assert [dictionary.has_tag(t) for t in _TAGS] == [dictionary_has_tag(t) for t in _TAGS]


def test_keywords_are_pydicoms() -> None:
    for keyword, tag in keyword_dict.items():
        assert dictionary.tag_for_keyword(keyword) == tag
    assert dictionary.tag_for_keyword("NoSuchKeyword") is None


@pytest.mark.parametrize(
    "uid", [*UID_dictionary, "1.2.3.4", "", "1.2.840.10008.1.2.99", " 1.2.840.10008.1.2"]
)
def test_transfer_syntaxes_are_read_as_pydicom_reads_them(uid: str) -> None:
    pydicoms = UID(uid)
    ours = uid.strip()
    assert dictionary.is_transfer_syntax(ours) == pydicoms.is_transfer_syntax
    if pydicoms.is_transfer_syntax:
        assert dictionary.is_implicit_vr(ours) == pydicoms.is_implicit_VR
        assert dictionary.is_deflated(ours) == pydicoms.is_deflated
        assert dictionary.is_big_endian(ours) == (not pydicoms.is_little_endian)


def test_version_and_implementation_uid_are_pydicoms() -> None:
    assert dictionary.pydicom_version() == pydicom.__version__
    assert pydicom.uid.PYDICOM_IMPLEMENTATION_UID == dictionary.IMPLEMENTATION_UID


def test_without_pydicom_imported_the_same_data_is_read() -> None:
    code = (
        "import sys\n"
        "from oncoroute.deid import dictionary as d\n"
        "print(d.vr_of_tag(0x60020010), d.vr_of_tag(0x00100010), d.has_tag(0x00080016),\n"
        "      d.tag_for_keyword('PatientID'), d.is_transfer_syntax('1.2.840.10008.1.2.4.50'),\n"
        "      d.pydicom_version(), 'pydicom' in sys.modules)\n"
    )
    result = subprocess.run(  # noqa: S603 - our interpreter, fixed code
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    expected = f"US PN True 1048608 True {pydicom.__version__} False"
    assert result.stdout.strip() == expected
