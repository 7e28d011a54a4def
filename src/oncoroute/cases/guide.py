"""Knowledge pages for patients and families: what spinal metastases are, the warning signs of
cord compression, diagnosis, treatments, prognosis, questions to ask a clinic and travelling
safely. Written for this service from docs/clinical rules (the clinical specification), each
paragraph with its sources, each page with the date it was last checked against them.

Every sentence is marked for translation; the sources are citations and stay as published."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.http import Http404
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The day every page below was last checked against the clinical specification.
LAST_REVIEWED = date(2026, 12, 7)

SOURCES: dict[str, str] = {
    "ng234": "NICE NG234. Spinal metastases and metastatic spinal cord compression. 2023.",
    "cg75": "NICE CG75. Metastatic spinal cord compression in adults. 2008.",
    "tse": "Tse V. Spinal metastasis. Medscape overview.",
    "hopkins": "Epidural tumors and metastases. Johns Hopkins University, 2010.",
    "fisher": "Fisher CG, et al. Spinal Instability Neoplastic Score (SINS). Spine 2010.",
    "bilsky": "Bilsky MH, et al. Epidural spinal cord compression scale. J Neurosurg Spine 2010.",
    "noms": "Laufer I, et al. The NOMS framework. Oncologist 2013.",
    "lutz": "Lutz S, et al. Palliative radiotherapy for bone metastases (ASTRO). "
    "Pract Radiat Oncol 2017;7:4-12.",
    "scorad": "Hoskin PJ, et al. SCORAD III. JAMA 2019;322:2084-2094.",
    "sc24": "Sahgal A, et al. SC.24. Lancet Oncol 2021;22:1023-1033.",
    "patchell": "Patchell RA, et al. Lancet 2005;366:643-648.",
    "cirse": "Tsoumakidou G, et al. CIRSE guidelines on percutaneous vertebral augmentation. "
    "Cardiovasc Intervent Radiol 2017;40:331-342.",
    "cafe": "Berenson J, et al. CAFE trial. Lancet Oncol 2011;12:225-235.",
    "xofigo": "Xofigo (radium-223) FDA label; EMA referral, 2018.",
    "vision": "Pluvicto (177Lu-PSMA-617) FDA label, 2025; Sartor O, et al. VISION. "
    "N Engl J Med 2021;385:1091-1103.",
    "netter": "Lutathera (177Lu-DOTATATE) FDA label, 2024; Strosberg J, et al. NETTER-1. "
    "N Engl J Med 2017;376:125-135.",
    "bone_agents": "Terpos E, et al. IMWG. J Clin Oncol 2013;31:2347-2357; NICE TA265.",
    "svensson": "Svensson E, et al. BMJ Open 2017;7:e016022.",
    "survival": "Zeng 2007; Ghori 2015, Spine J (survival after spinal metastasis).",
    "tokuhashi": "Tokuhashi Y, et al. Revised Tokuhashi score. Spine 2005.",
    "flying": "UK fitness-to-fly guidance for doctors; Govilkar S, et al. "
    "Orthop Muscular Syst 2018 (flying after surgery).",
    "kendi": "Kendi AT, et al. J Nucl Med 2020 (travel after 177Lu treatment).",
}


@dataclass(frozen=True)
class Paragraph:
    text: StrOrPromise
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    heading: StrOrPromise
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Page:
    """One knowledge page: its address, title, one-line summary and sections."""

    slug: str
    title: StrOrPromise
    summary: StrOrPromise
    sections: tuple[Section, ...]

    @property
    def sources(self) -> list[tuple[int, str, str]]:
        """(number, key, citation) of every source the page cites, in order of first use."""
        keys: list[str] = []
        for section in self.sections:
            for paragraph in section.paragraphs:
                keys.extend(k for k in paragraph.sources if k not in keys)
        return [(n, key, SOURCES[key]) for n, key in enumerate(keys, start=1)]

    def number(self, key: str) -> int:
        return next(n for n, k, _citation in self.sources if k == key)


P = Paragraph
S = Section

PAGES: tuple[Page, ...] = (
    Page(
        "warning-signs",
        _("Warning signs of spinal cord compression"),
        _("The symptoms that mean: go to an emergency department today, wherever you are."),
        (
            S(
                _("Why it matters"),
                (
                    P(
                        _(
                            "A tumour in a vertebra can press on the spinal cord or on the nerves "
                            "below it. Treated within hours, the pressure can often be relieved "
                            "before it causes lasting harm; left for days, it can take away the "
                            "ability to walk or to control the bladder for good."
                        ),
                        ("ng234", "cg75"),
                    ),
                ),
            ),
            S(
                _("Go to an emergency department today if you notice"),
                (
                    P(
                        _(
                            "New weakness of the legs or arms; difficulty walking or unsteadiness; "
                            "numbness, tingling or loss of feeling, including between the legs; "
                            "problems passing urine or stool, or losing control of them; pain "
                            "that shoots along a limb or wraps round the chest or belly like a "
                            "band."
                        ),
                        ("ng234", "cg75"),
                    ),
                    P(
                        _(
                            "Anyone who has or has had cancer and notices one of these signs needs "
                            "urgent care locally: doctors aim for an MRI of the whole spine within "
                            "24 hours. Do not wait for a consultation abroad and do not travel "
                            "first. Tell the doctors about the cancer."
                        ),
                        ("ng234",),
                    ),
                ),
            ),
            S(
                _("See a doctor within a day if you have"),
                (
                    P(
                        _(
                            "Pain in the middle or upper back or in the neck; lower back pain that "
                            "keeps getting worse; severe pain that does not let up; pain that is "
                            "worse when you cough, sneeze, strain or lie down at night; pain when "
                            "you stand, sit or move; a spot on the spine that hurts to touch."
                        ),
                        ("ng234", "cg75"),
                    ),
                ),
            ),
            S(
                _("What is not a sign of the spine"),
                (
                    P(
                        _(
                            "Confusion, unusual sleepiness or memory problems are not caused by "
                            "the spine itself. They can come from a high calcium level in the "
                            "blood, from the brain, or from pain medicines, and they too need an "
                            "urgent assessment by a doctor."
                        ),
                        ("ng234",),
                    ),
                ),
            ),
        ),
    ),
    Page(
        "spinal-metastases",
        _("What spinal metastases are"),
        _("How cancer reaches the spine, where it settles, and what it can do."),
        (
            S(
                _("Cancer that has spread to the spine"),
                (
                    P(
                        _(
                            "Spinal metastases are deposits of a cancer that started elsewhere, "
                            "most often in the breast, prostate, lung, kidney or thyroid, or a "
                            "myeloma. The spine is the commonest place for cancer to spread to "
                            "bone, and most tumours found in the spinal column are metastases "
                            "rather than cancers that began there."
                        ),
                        ("hopkins", "tse"),
                    ),
                    P(
                        _(
                            "Of the metastases that cause symptoms, about seven in ten are in the "
                            "chest part of the spine, two in ten in the lower back and one in ten "
                            "in the neck. More than half of patients have more than one level "
                            "affected."
                        ),
                        ("tse",),
                    ),
                ),
            ),
            S(
                _("What they can do"),
                (
                    P(
                        _(
                            "A metastasis can weaken a vertebra so that it hurts or collapses, "
                            "make the spine unstable, or grow towards the spinal cord and press "
                            "on it. Pain is the usual first sign. Pressure on the cord or nerves "
                            "is an emergency: see the warning signs."
                        ),
                        ("fisher", "bilsky", "ng234"),
                    ),
                ),
            ),
        ),
    ),
    Page(
        "diagnosis",
        _("How spinal metastases are diagnosed"),
        _("The scans, the tissue diagnosis and the scores specialists use to decide."),
        (
            S(
                _("Scans"),
                (
                    P(
                        _(
                            "MRI of the whole spine is the examination of choice: it shows the "
                            "bone, the tumour and whether it presses on the spinal cord. CT shows "
                            "the bone in detail and helps to plan surgery; PET-CT or a bone scan "
                            "looks for disease elsewhere in the body."
                        ),
                        ("ng234",),
                    ),
                ),
            ),
            S(
                _("Knowing the cancer"),
                (
                    P(
                        _(
                            "Treatment depends on what the cancer is. If it is not known, a "
                            "biopsy, often taken through a needle, gives the tissue diagnosis. "
                            "Some tumours respond very well to radiotherapy or to drugs, others "
                            "do not, and this changes the plan."
                        ),
                        ("noms",),
                    ),
                ),
            ),
            S(
                _("How specialists weigh it up"),
                (
                    P(
                        _(
                            "Specialist teams look at four things: the nerves (is there weakness "
                            "or pressure on the cord), the cancer's type, how stable the spine "
                            "is, and the patient's general health and other disease. Scores such "
                            "as SINS for stability and the Bilsky scale for pressure on the cord "
                            "help them agree. Scores support the doctors' judgement; they are not "
                            "a diagnosis."
                        ),
                        ("noms", "fisher", "bilsky"),
                    ),
                ),
            ),
        ),
    ),
    Page(
        "treatments",
        _("Treatments, what the evidence says, and who they are for"),
        _("Radiotherapy, radiosurgery, surgery, cement, medicines that act on bone."),
        (
            S(
                _("Conventional radiotherapy"),
                (
                    P(
                        _(
                            "Radiotherapy to the painful vertebra relieves pain in most patients. "
                            "A single session relieves pain as well as courses of five or ten; a "
                            "single session is more often repeated later. It suits most patients, "
                            "including those too unwell for surgery."
                        ),
                        ("lutz", "scorad"),
                    ),
                ),
            ),
            S(
                _("Stereotactic radiosurgery (SBRT, including CyberKnife)"),
                (
                    P(
                        _(
                            "A high dose aimed precisely at up to three neighbouring vertebrae. In "
                            "a trial it gave more patients complete pain relief than five sessions "
                            "of conventional radiotherapy. It is for tumours that resist ordinary "
                            "radiotherapy, for a few metastases only, or after surgery; not when "
                            "the cord is already squeezed or the spine unstable. CyberKnife is one "
                            "machine that delivers it, not a different treatment."
                        ),
                        ("sc24", "noms"),
                    ),
                ),
            ),
            S(
                _("Surgery to free the spinal cord"),
                (
                    P(
                        _(
                            "When a tumour presses on the cord, surgery that removes the pressure "
                            "and fixes the spine, followed by radiotherapy, kept more patients "
                            "walking than radiotherapy alone (84 in 100 against 57 in 100). It is "
                            "for patients fit for an operation, with pressure at one level, whose "
                            "cancer does not melt away with radiotherapy alone. Removing the back "
                            "of a vertebra on its own is not enough and can make the spine less "
                            "stable."
                        ),
                        ("patchell", "noms"),
                    ),
                ),
            ),
            S(
                _("Vertebroplasty and balloon kyphoplasty"),
                (
                    P(
                        _(
                            "Bone cement is injected through a needle into a weakened or broken "
                            "vertebra; in kyphoplasty a small balloon first makes room for it. "
                            "The aim is to steady the vertebra and to reduce pain. Neither removes "
                            "the tumour, and no plates are used. They are not done when the "
                            "tumour presses on the cord."
                        ),
                        ("cirse", "cafe"),
                    ),
                ),
            ),
            S(
                _("Medicines that act on bone and radioactive medicines"),
                (
                    P(
                        _(
                            "Zoledronic acid or denosumab make fractures and other bone problems "
                            "less likely; a dental check comes first. For some cancers there are "
                            "radioactive medicines: radium-223 for prostate cancer that has spread "
                            "only to bone, six injections four weeks apart; 177Lu-PSMA-617 for "
                            "PSMA-positive prostate cancer, every six weeks, up to six doses; "
                            "177Lu-DOTATATE for neuroendocrine tumours of the gut and pancreas, "
                            "every eight weeks, four doses. Each has strict rules about who may "
                            "receive it."
                        ),
                        ("bone_agents", "xofigo", "vision", "netter"),
                    ),
                ),
            ),
        ),
    ),
    Page(
        "prognosis",
        _("Prognosis, told honestly"),
        _(
            "What the numbers say, why they vary so much, and what they cannot say about one "
            "person."
        ),
        (
            S(
                _("It depends most on the cancer"),
                (
                    P(
                        _(
                            "Across all cancers, half of patients live less than about 7 to 11 "
                            "months after a spinal metastasis is found. That average hides wide "
                            "differences: with lung cancer or an unknown primary it is often "
                            "weeks to months; with breast, prostate, thyroid or kidney cancer or "
                            "myeloma it is often more than one or two years."
                        ),
                        ("survival",),
                    ),
                    P(
                        _(
                            "In a large Danish study of people whose cancer had spread to bone, "
                            "one year later 1 in 10 with lung cancer and half of those with breast "
                            "cancer were alive; after five years, about 13 in 100 with breast "
                            "cancer, and far fewer with lung cancer."
                        ),
                        ("svensson",),
                    ),
                ),
            ),
            S(
                _("What numbers cannot tell"),
                (
                    P(
                        _(
                            "Scores such as the revised Tokuhashi score help doctors choose "
                            "between larger and smaller treatments. They describe groups, not one "
                            "person. Ask your doctors what they expect for you, and how sure they "
                            "are; we show no score that a clinician has not reviewed."
                        ),
                        ("tokuhashi",),
                    ),
                ),
            ),
        ),
    ),
    Page(
        "questions",
        _("Questions to ask a clinic"),
        _("What to ask before you choose, so that you can compare honestly."),
        (
            S(
                _("About the plan"),
                (
                    P(
                        _(
                            "What do you propose, and why this rather than radiotherapy alone, "
                            "radiosurgery or surgery? What do you expect it to do for the pain, "
                            "for walking, for the spine's stability? What are the risks, and how "
                            "often do they happen in your hands? Who decided: a team of spine "
                            "surgeons, radiation and medical oncologists together?"
                        ),
                        ("noms",),
                    ),
                ),
            ),
            S(
                _("About the practical side"),
                (
                    P(
                        _(
                            "What exactly does the price include and exclude: implants, nights in "
                            "hospital, scans, medicines, complications? How long must I stay after "
                            "treatment before I may fly? Who looks after me if something goes "
                            "wrong after I go home, and what will you send to my doctor there?"
                        ),
                        ("flying",),
                    ),
                ),
            ),
        ),
    ),
    Page(
        "travelling",
        _("Travelling safely for treatment"),
        _("When not to travel, and how to fly safely before and after treatment."),
        (
            S(
                _("When not to travel"),
                (
                    P(
                        _(
                            "With any warning sign of cord compression, do not travel: go to an "
                            "emergency department where you are. An unstable spine, pressure on "
                            "the cord seen on a scan, severe anaemia or being very unwell need "
                            "the treating specialist's clearance and the airline's medical form "
                            "before a flight."
                        ),
                        ("ng234", "flying"),
                    ),
                ),
            ),
            S(
                _("Flying after treatment"),
                (
                    P(
                        _(
                            "After spine surgery doctors usually advise at least a week before "
                            "flying, often longer for a long flight; after cement or radiotherapy "
                            "at least a day or two. The clinic's own advice on discharge decides, "
                            "and it is never shortened. Cancer and long flights both raise the "
                            "risk of blood clots: move, drink water and ask your doctors about "
                            "stockings or injections."
                        ),
                        ("flying",),
                    ),
                    P(
                        _(
                            "After a lutetium-177 treatment, radiation detectors at airports can "
                            "react for about three months: carry the treatment card the clinic "
                            "gives you."
                        ),
                        ("kendi",),
                    ),
                ),
            ),
        ),
    ),
)


def guide_pages() -> tuple[Page, ...]:
    return PAGES


def guide_page(slug: str) -> Page:
    """The page with this address, or a 404."""
    for page in PAGES:
        if page.slug == slug:
            return page
    raise Http404("No such page.")
