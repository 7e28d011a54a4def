"""DICOM PS3.15 Annex E, Table E.1-1, as data.

``BASIC_PROFILE`` holds the Basic Application Level Confidentiality Profile
column (action codes of Table E.1-1a: D, Z, X, K, C, U and the compound codes
such as ``X/Z/D``). ``MODIFIED_DATES_OPTION`` and ``CLEAN_DESCRIPTORS_OPTION``
hold the columns of the two options this package applies (PS3.15 E.3.6 and
E.3.5). ``ACTIONS`` is the resulting table, tag → action code, that the
de-identifier reads.

Rows are written with pydicom keywords so that each one can be checked
against the data dictionary; the tests do so.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from oncoroute.deid.dictionary import tag_for_keyword, vr_of_tag

# Table E.1-1, Basic Profile column, by attribute keyword.
_BASIC_PROFILE_ROWS: Final[dict[str, str]] = {
    "AccessionNumber": "Z",
    "AcquisitionComments": "X",
    "AcquisitionContextSequence": "X",
    "AcquisitionDate": "X/Z",
    "AcquisitionDateTime": "X/Z/D",
    "AcquisitionDeviceProcessingDescription": "X/D",
    "AcquisitionFieldOfViewLabel": "X/D",
    "AcquisitionProtocolDescription": "X",
    "AcquisitionTime": "X/Z",
    "AcquisitionUID": "U",
    "ActualHumanPerformersSequence": "X",
    "AdditionalPatientHistory": "X",
    "AdmissionID": "X",
    "AdmittingDate": "X",
    "AdmittingDiagnosesCodeSequence": "X",
    "AdmittingDiagnosesDescription": "X",
    "AdmittingTime": "X",
    "AffectedSOPInstanceUID": "X",
    "Allergies": "X",
    "Arbitrary": "X",
    "AuthorObserverSequence": "X",
    "BranchOfService": "X",
    "CassetteID": "X",
    "ClinicalTrialCoordinatingCenterName": "X",
    "ClinicalTrialProtocolEthicsCommitteeApprovalNumber": "X",
    "ClinicalTrialProtocolEthicsCommitteeName": "D",
    "ClinicalTrialProtocolID": "D",
    "ClinicalTrialProtocolName": "D",
    "ClinicalTrialSeriesDescription": "X",
    "ClinicalTrialSeriesID": "X",
    "ClinicalTrialSiteID": "D",
    "ClinicalTrialSiteName": "D",
    "ClinicalTrialSponsorName": "D",
    "ClinicalTrialSubjectID": "D",
    "ClinicalTrialSubjectReadingID": "D",
    "ClinicalTrialTimePointDescription": "X",
    "ClinicalTrialTimePointID": "Z",
    "CommentsOnThePerformedProcedureStep": "X",
    "ConcatenationUID": "U",
    "ConfidentialityConstraintOnPatientDataDescription": "X",
    "ConsultingPhysicianIdentificationSequence": "X",
    "ConsultingPhysicianName": "X",
    "ContainerIdentifier": "Z",
    "ContentCreatorIdentificationCodeSequence": "X",
    "ContentCreatorName": "Z",
    "ContentDate": "Z/D",
    "ContentSequence": "X",
    "ContentTime": "Z/D",
    "ContextGroupExtensionCreatorUID": "U",
    "ContrastBolusAgent": "Z/D",
    "ContributionDescription": "X",
    "CountryOfResidence": "X",
    "CreatorVersionUID": "U",
    "CurrentPatientLocation": "X",
    "CurveDate": "X",
    "CurveTime": "X",
    "CustodialOrganizationSequence": "X",
    "DataSetTrailingPadding": "X",
    "DateOfLastCalibration": "X",
    "DateOfLastDetectorCalibration": "X",
    "DateOfSecondaryCapture": "X",
    "DerivationDescription": "X",
    "DetectorID": "X/D",
    "DeviceDescription": "X",
    "DeviceID": "X",
    "DeviceLabel": "X",
    "DeviceSerialNumber": "X/Z/D",
    "DeviceUID": "U",
    "DigitalSignatureUID": "X",
    "DigitalSignaturesSequence": "X",
    "DimensionOrganizationUID": "U",
    "DischargeDate": "X",
    "DischargeDiagnosisDescription": "X",
    "DischargeTime": "X",
    "DistributionAddress": "X",
    "DistributionName": "X",
    "DoseReferenceUID": "U",
    "EndAcquisitionDateTime": "X/D",
    "EthnicGroup": "X",
    "ExpectedCompletionDateTime": "X",
    "FailedSOPInstanceUIDList": "U",
    "FiducialUID": "U",
    "FillerOrderNumberImagingServiceRequest": "Z",
    "FrameComments": "X",
    "FrameOfReferenceUID": "U",
    "GantryID": "X",
    "GeneratorID": "X",
    "GraphicAnnotationSequence": "D",
    "HumanPerformerName": "X",
    "HumanPerformerOrganization": "X",
    "IconImageSequence": "X",
    "IdentifyingComments": "X",
    "ImageComments": "X",
    "ImagePresentationComments": "X",
    "ImagingServiceRequestComments": "X",
    "Impressions": "X",
    "InstanceCoercionDateTime": "X",
    "InstanceCreationDate": "X/D",
    "InstanceCreationTime": "X/Z/D",
    "InstanceCreatorUID": "U",
    "InstitutionAddress": "X",
    "InstitutionCodeSequence": "X/Z/D",
    "InstitutionName": "X/Z/D",
    "InstitutionalDepartmentName": "X",
    "InstitutionalDepartmentTypeCodeSequence": "X",
    "InsurancePlanIdentification": "X",
    "IntendedRecipientsOfResultsIdentificationSequence": "X",
    "InterpretationApproverSequence": "X",
    "InterpretationAuthor": "X",
    "InterpretationDiagnosisDescription": "X",
    "InterpretationIDIssuer": "X",
    "InterpretationRecorder": "X",
    "InterpretationText": "X",
    "InterpretationTranscriber": "X",
    "IrradiationEventUID": "U",
    "IssuerOfAdmissionID": "X",
    "IssuerOfAdmissionIDSequence": "X",
    "IssuerOfPatientID": "X",
    "IssuerOfPatientIDQualifiersSequence": "X",
    "IssuerOfServiceEpisodeID": "X",
    "IssuerOfServiceEpisodeIDSequence": "X",
    "LargePaletteColorLookupTableUID": "U",
    "LastMenstrualDate": "X",
    "LongDeviceDescription": "X",
    "MAC": "X",
    "MediaStorageSOPInstanceUID": "U",
    "MedicalAlerts": "X",
    "MedicalRecordLocator": "X",
    "MilitaryRank": "X",
    "ModifiedAttributesSequence": "X",
    "ModifiedImageDescription": "X",
    "ModifyingDeviceID": "X",
    "ModifyingDeviceManufacturer": "X",
    "NameOfPhysiciansReadingStudy": "X",
    "NamesOfIntendedRecipientsOfResults": "X",
    "ObservationDateTime": "X/D",
    "ObservationUID": "U",
    "Occupation": "X",
    "OperatorIdentificationSequence": "X",
    "OperatorsName": "X/Z/D",
    "OrderCallbackPhoneNumber": "X",
    "OrderCallbackTelecomInformation": "X",
    "OrderEnteredBy": "X",
    "OrderEntererLocation": "X",
    "OriginalAttributesSequence": "X",
    "OtherPatientIDs": "X",
    "OtherPatientIDsSequence": "X",
    "OtherPatientNames": "X",
    "PaletteColorLookupTableUID": "U",
    "ParticipantSequence": "X",
    "PatientAddress": "X",
    "PatientAge": "X",
    "PatientAlternativeCalendar": "X",
    "PatientBirthDate": "Z",
    "PatientBirthDateInAlternativeCalendar": "X",
    "PatientBirthName": "X",
    "PatientBirthTime": "X",
    "PatientComments": "X",
    "PatientDeathDateInAlternativeCalendar": "X",
    "PatientID": "Z",
    "PatientInsurancePlanCodeSequence": "X",
    "PatientMotherBirthName": "X",
    "PatientName": "Z",
    "PatientPrimaryLanguageCodeSequence": "X",
    "PatientPrimaryLanguageModifierCodeSequence": "X",
    "PatientReligiousPreference": "X",
    "PatientSex": "Z",
    "PatientSexNeutered": "X/Z",
    "PatientSize": "X",
    "PatientState": "X",
    "PatientTelecomInformation": "X",
    "PatientTelephoneNumbers": "X",
    "PatientTransportArrangements": "X",
    "PatientWeight": "X",
    "PerformedLocation": "X",
    "PerformedProcedureStepDescription": "X",
    "PerformedProcedureStepEndDate": "X",
    "PerformedProcedureStepEndTime": "X",
    "PerformedProcedureStepID": "X",
    "PerformedProcedureStepStartDate": "X",
    "PerformedProcedureStepStartTime": "X",
    "PerformedStationAETitle": "X",
    "PerformedStationGeographicLocationCodeSequence": "X",
    "PerformedStationName": "X",
    "PerformedStationNameCodeSequence": "X",
    "PerformingPhysicianIdentificationSequence": "X",
    "PerformingPhysicianName": "X",
    "PersonAddress": "X",
    "PersonIdentificationCodeSequence": "D",
    "PersonName": "D",
    "PersonTelecomInformation": "X",
    "PersonTelephoneNumbers": "X",
    "PhysicianApprovingInterpretation": "X",
    "PhysiciansOfRecord": "X",
    "PhysiciansOfRecordIdentificationSequence": "X",
    "PhysiciansReadingStudyIdentificationSequence": "X",
    "PlacerOrderNumberImagingServiceRequest": "Z",
    "PlateID": "X",
    "PreMedication": "X",
    "PregnancyStatus": "X",
    "ProtocolName": "X/D",
    "RadiopharmaceuticalStartDateTime": "X",
    "RadiopharmaceuticalStopDateTime": "X",
    "ReasonForStudy": "X",
    "ReasonForTheImagingServiceRequest": "X",
    "ReasonForTheRequestedProcedure": "X",
    "ReferencedDigitalSignatureSequence": "X",
    "ReferencedFrameOfReferenceUID": "U",
    "ReferencedGeneralPurposeScheduledProcedureStepTransactionUID": "U",
    "ReferencedImageSequence": "X/Z/U*",
    "ReferencedPatientAliasSequence": "X",
    "ReferencedPatientPhotoSequence": "X",
    "ReferencedPatientSequence": "X",
    "ReferencedPerformedProcedureStepSequence": "X/Z/D",
    "ReferencedSOPInstanceMACSequence": "X",
    "ReferencedSOPInstanceUID": "U",
    "ReferencedSOPInstanceUIDInFile": "U",
    "ReferencedStudySequence": "X/Z",
    "ReferringPhysicianAddress": "X",
    "ReferringPhysicianIdentificationSequence": "X",
    "ReferringPhysicianName": "Z",
    "ReferringPhysicianTelephoneNumbers": "X",
    "RegionOfResidence": "X",
    "RelatedFrameOfReferenceUID": "U",
    "RequestAttributesSequence": "X",
    "RequestedContrastAgent": "X",
    "RequestedProcedureComments": "X",
    "RequestedProcedureDescription": "X/Z",
    "RequestedProcedureID": "X",
    "RequestedProcedureLocation": "X",
    "RequestedSOPInstanceUID": "U",
    "RequestingPhysician": "X",
    "RequestingPhysicianIdentificationSequence": "X",
    "RequestingService": "X",
    "ResponsibleOrganization": "X",
    "ResponsiblePerson": "X",
    "ResultsComments": "X",
    "ResultsDistributionListSequence": "X",
    "ResultsIDIssuer": "X",
    "ReviewerName": "X/Z",
    "ScheduledHumanPerformersSequence": "X",
    "ScheduledPatientInstitutionResidence": "X",
    "ScheduledPerformingPhysicianIdentificationSequence": "X",
    "ScheduledPerformingPhysicianName": "X",
    "ScheduledProcedureStepDescription": "X",
    "ScheduledProcedureStepEndDate": "X",
    "ScheduledProcedureStepEndTime": "X",
    "ScheduledProcedureStepID": "X",
    "ScheduledProcedureStepLocation": "X",
    "ScheduledProcedureStepStartDate": "X",
    "ScheduledProcedureStepStartTime": "X",
    "ScheduledStationAETitle": "X",
    "ScheduledStationGeographicLocationCodeSequence": "X",
    "ScheduledStationName": "X",
    "ScheduledStationNameCodeSequence": "X",
    "ScheduledStudyLocation": "X",
    "ScheduledStudyLocationAETitle": "X",
    "SeriesDate": "X",
    "SeriesDescription": "X",
    "SeriesInstanceUID": "U",
    "SeriesTime": "X",
    "ServiceEpisodeDescription": "X",
    "ServiceEpisodeID": "X",
    "SmokingStatus": "X",
    "SOPInstanceUID": "U",
    "SourceImageSequence": "X/Z/U*",
    "SpecialNeeds": "X",
    "SpecimenAccessionNumber": "X",
    "SpecimenIdentifier": "Z",
    "SpecimenUID": "U",
    "StationName": "X/Z/D",
    "StorageMediaFileSetUID": "U",
    "StudyComments": "X",
    "StudyDate": "Z",
    "StudyDescription": "X",
    "StudyID": "Z",
    "StudyIDIssuer": "X",
    "StudyInstanceUID": "U",
    "StudyTime": "Z",
    "SynchronizationFrameOfReferenceUID": "U",
    "TemplateExtensionCreatorUID": "U",
    "TemplateExtensionOrganizationUID": "U",
    "TextComments": "X",
    "TextString": "X",
    "TimeOfLastCalibration": "X",
    "TimeOfLastDetectorCalibration": "X",
    "TimeOfSecondaryCapture": "X",
    "TimezoneOffsetFromUTC": "X",
    "TopicAuthor": "X",
    "TopicKeywords": "X",
    "TopicSubject": "X",
    "TopicTitle": "X",
    "TransactionUID": "U",
    "TreatmentDate": "X",
    "TreatmentTime": "X",
    "UID": "U",
    "VerifyingObserverIdentificationCodeSequence": "Z",
    "VerifyingObserverName": "D",
    "VerifyingObserverSequence": "D",
    "VerifyingOrganization": "X",
    "VisitComments": "X",
}

# Clean Descriptors option (E.3.5): descriptions and comments are cleaned (C)
# instead of removed, so the receiving clinician still sees what was done.
_CLEAN_DESCRIPTOR_KEYWORDS: Final[tuple[str, ...]] = (
    "AcquisitionComments",
    "AcquisitionDeviceProcessingDescription",
    "AcquisitionProtocolDescription",
    "AdditionalPatientHistory",
    "AdmittingDiagnosesCodeSequence",
    "AdmittingDiagnosesDescription",
    "Allergies",
    "ClinicalTrialSeriesDescription",
    "ClinicalTrialTimePointDescription",
    "CommentsOnThePerformedProcedureStep",
    "ContrastBolusAgent",
    "ContributionDescription",
    "DerivationDescription",
    "DeviceDescription",
    "DischargeDiagnosisDescription",
    "FrameComments",
    "IdentifyingComments",
    "ImageComments",
    "ImagePresentationComments",
    "ImagingServiceRequestComments",
    "Impressions",
    "InterpretationDiagnosisDescription",
    "InterpretationText",
    "MedicalAlerts",
    "ModifiedImageDescription",
    "Occupation",
    "PatientComments",
    "PatientState",
    "PerformedProcedureStepDescription",
    "PreMedication",
    "ProtocolName",
    "ReasonForStudy",
    "ReasonForTheImagingServiceRequest",
    "ReasonForTheRequestedProcedure",
    "RequestedContrastAgent",
    "RequestedProcedureComments",
    "RequestedProcedureDescription",
    "ResultsComments",
    "ScheduledProcedureStepDescription",
    "SeriesDescription",
    "ServiceEpisodeDescription",
    "SpecialNeeds",
    "StudyComments",
    "StudyDescription",
    "TextComments",
    "TextString",
    "VisitComments",
)

# Identifying dates that the Modified Dates option does not cover: they stay
# at their Basic Profile action.
_DATES_NOT_SHIFTED: Final[frozenset[str]] = frozenset(
    {
        "PatientBirthDate",
        "PatientBirthTime",
        "PatientBirthDateInAlternativeCalendar",
        "PatientDeathDateInAlternativeCalendar",
        "TimezoneOffsetFromUTC",
    }
)

# Kept although the Basic Profile removes it: the age at the examination is
# needed for the clinical question, and with shifted dates it no longer
# anchors the examination in time (our reading of E.3.6 for this service).
_KEPT_WITH_MODIFIED_DATES: Final[tuple[str, ...]] = ("PatientAge",)

# UID attributes that name a class, a syntax or a scheme, never an instance:
# replacing them would break the object (PS3.15 E.1-1 lists none of them).
WELL_KNOWN_UID_KEYWORDS: Final[frozenset[str]] = frozenset(
    {
        "SOPClassUID",
        "ReferencedSOPClassUID",
        "MediaStorageSOPClassUID",
        "TransferSyntaxUID",
        "ImplementationClassUID",
        "ReferencedSOPClassUIDInFile",
        "ReferencedTransferSyntaxUIDInFile",
        "ReferencedRelatedGeneralSOPClassUIDInFile",
        "RelatedGeneralSOPClassUID",
        "OriginalSpecializedSOPClassUID",
        "SOPClassesInStudy",
        "CodingSchemeUID",
        "MappingResourceUID",
        "PrivateRecordUID",
        "RequestedSOPClassUID",
        "AffectedSOPClassUID",
        "SOPClassesSupported",
        "PrivateInformationCreatorUID",
    }
)

# The prefix of every UID that the DICOM Standard itself defines (PS3.6 Annex A).
STANDARD_UID_PREFIX: Final[str] = "1.2.840.10008."

# Private elements known not to identify anyone, kept under E.3.10 (Retain
# Safe Private), keyed by private creator and element byte as PS3.5 7.8.1
# recommends, never by raw element number. Only numeric acquisition
# parameters are listed.
SAFE_PRIVATE_ELEMENTS: Final[frozenset[tuple[str, int, int]]] = frozenset(
    {
        ("GEMS_PARM_01", 0x0043, 0x27),  # scan pitch ratio
        ("GEMS_PARM_01", 0x0043, 0x39),  # slop integers
        ("Philips MR Imaging DD 001", 0x2005, 0x0E),  # scale slope
        ("Philips MR Imaging DD 001", 0x2005, 0x0D),  # scale intercept
        ("SIEMENS MED", 0x0029, 0x08),  # CSA image header type
    }
)


def _tags(rows: dict[str, str]) -> dict[int, str]:
    table: dict[int, str] = {}
    for keyword, action in rows.items():
        tag = tag_for_keyword(keyword)
        if tag is None:
            raise KeyError(f"Table E.1-1 row {keyword!r} is not in pydicom's data dictionary")
        table[tag] = action
    return table


def _modified_dates_option() -> dict[int, str]:
    """E.3.6 Modified Dates: every date and time of the table becomes C."""
    option: dict[int, str] = {}
    for keyword in _BASIC_PROFILE_ROWS:
        tag = tag_for_keyword(keyword)
        if tag is None or keyword in _DATES_NOT_SHIFTED:
            continue
        if vr_of_tag(tag) in {"DA", "DT", "TM"}:
            option[tag] = "C"
    option.update(_tags(dict.fromkeys(_KEPT_WITH_MODIFIED_DATES, "K")))
    return option


BASIC_PROFILE: Final = MappingProxyType(_tags(_BASIC_PROFILE_ROWS))
MODIFIED_DATES_OPTION: Final = MappingProxyType(_modified_dates_option())
CLEAN_DESCRIPTORS_OPTION: Final = MappingProxyType(
    _tags(dict.fromkeys(_CLEAN_DESCRIPTOR_KEYWORDS, "C"))
)

ACTIONS: Final = MappingProxyType(
    {**BASIC_PROFILE, **MODIFIED_DATES_OPTION, **CLEAN_DESCRIPTORS_OPTION}
)
"""Tag → action code with both options applied: what the de-identifier does."""

WELL_KNOWN_UID_TAGS: Final[frozenset[int]] = frozenset(
    tag for kw in WELL_KNOWN_UID_KEYWORDS if (tag := tag_for_keyword(kw)) is not None
)

# CID 7050 codes recorded in De-identification Method Code Sequence (0012,0064).
METHOD_CODES: Final[tuple[tuple[str, str], ...]] = (
    ("113100", "Basic Application Confidentiality Profile"),
    ("113107", "Retain Longitudinal Temporal Information Modified Dates Option"),
    ("113105", "Clean Descriptors Option"),
)
METHOD_TEXT: Final[str] = "PS3.15 E Basic; Modified Dates; Clean Descriptors"


def simple_action(code: str) -> str:
    """Reduce a compound code of Table E.1-1a to the single action taken.

    The first action applies unless the IOD forces the next (PS3.15 E.1-1a);
    the object is not validated against its IOD here, so ``X/Z/U*`` reference
    sequences are kept with their UIDs replaced (U), which keeps every
    reference resolvable, and the other compounds take their first action.
    """
    if code == "X/Z/U*":
        return "U"
    return code.split("/", 1)[0]
