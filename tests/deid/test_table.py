from __future__ import annotations

from pydicom.datadict import dictionary_VR, keyword_for_tag, tag_for_keyword

from oncoroute.deid.table import (
    ACTIONS,
    BASIC_PROFILE,
    CLEAN_DESCRIPTORS_OPTION,
    MODIFIED_DATES_OPTION,
    WELL_KNOWN_UID_KEYWORDS,
    simple_action,
)

VALID_CODES = {"D", "Z", "X", "K", "C", "U", "Z/D", "X/Z", "X/D", "X/Z/D", "X/Z/U*"}


def test_every_row_is_a_known_attribute_with_a_valid_code() -> None:
    assert len(BASIC_PROFILE) > 250
    for tag, code in ACTIONS.items():
        assert keyword_for_tag(tag), hex(tag)
        assert code in VALID_CODES, (keyword_for_tag(tag), code)


def test_core_rows_match_the_standard() -> None:
    expected = {
        "PatientName": "Z",
        "PatientID": "Z",
        "PatientBirthDate": "Z",
        "AccessionNumber": "Z",
        "SOPInstanceUID": "U",
        "StudyInstanceUID": "U",
        "FrameOfReferenceUID": "U",
        "InstitutionName": "X/Z/D",
        "ReferringPhysicianName": "Z",
        "OtherPatientIDs": "X",
        "ReferencedImageSequence": "X/Z/U*",
        "RequestAttributesSequence": "X",
    }
    for keyword, code in expected.items():
        assert BASIC_PROFILE[tag_for_keyword(keyword)] == code, keyword


def test_options_shift_dates_keep_times_and_clean_descriptors() -> None:
    assert MODIFIED_DATES_OPTION[tag_for_keyword("StudyDate")] == "C"
    assert MODIFIED_DATES_OPTION[tag_for_keyword("AcquisitionTime")] == "C"
    assert tag_for_keyword("PatientBirthDate") not in MODIFIED_DATES_OPTION
    assert CLEAN_DESCRIPTORS_OPTION[tag_for_keyword("SeriesDescription")] == "C"
    assert ACTIONS[tag_for_keyword("ImageComments")] == "C"


def test_well_known_uid_attributes_are_uids() -> None:
    for keyword in WELL_KNOWN_UID_KEYWORDS:
        tag = tag_for_keyword(keyword)
        assert tag is not None and dictionary_VR(tag) == "UI", keyword


def test_compound_codes_reduce_to_one_action() -> None:
    assert simple_action("X/Z/D") == "X"
    assert simple_action("Z/D") == "Z"
    assert simple_action("X/Z/U*") == "U"
    assert simple_action("K") == "K"
