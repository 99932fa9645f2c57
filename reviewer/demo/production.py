"""A synthetic agency production (PDF) for the demo case, made by code.

It looks like what a clinic gets back from ICE under FOIA: letterhead, Bates numbers at the
bottom right, a cover letter, a Form I-213-like record, a memo, e-mails, one page that is a
noisy, skewed scan with an invisible OCR text layer, and pages where the agency itself
withheld text (black boxes labelled with exemption codes). Every name and number is fake.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pymupdf

PAGE_W, PAGE_H = 612, 792  # US Letter, points
MARGIN = 60
BATES_PREFIX = "ICE-2023-"
BATES_FIRST = 123

# Planted, all fake: what a reviewer is expected to find and redact.
SUBJECT = "LOPEZ, Maria Elena"
SUBJECT_A = "A123-456-789"
SUBJECT_DOB = "04/12/1988"
SPOUSE = "HERNANDEZ-RUIZ, Jose"
SPOUSE_A = "A987-654-321"
OFFICER = "Daniel K. Pratt"
OFFICER_MAIL = "daniel.pratt@ice.dhs.example"
OFFICER_PHONE = "(202) 555-0143"
TEAM_LEAD_CELL = "(213) 555-0199"  # under an agency box that does not remove it
SUPERVISOR = "Karen M. Whitfield"
SUPERVISOR_MAIL = "karen.whitfield@ice.dhs.example"
ATTORNEY_MAIL = "clinic@lawschool.example.edu"


@dataclass(frozen=True)
class Withholding:
    """Where the agency withheld something on a page, and the codes it printed."""
    page_no: int
    rect: tuple[float, float, float, float]
    codes: tuple[str, ...]


@dataclass(frozen=True)
class SynthProduction:
    path: Path
    page_count: int
    bates: tuple[str, ...]
    scanned_page_no: int
    withholdings: tuple[Withholding, ...]


class _Writer:
    """Lines of text down a page, with a cursor; keeps the page code short."""

    def __init__(self, page: pymupdf.Page, y: float = 150) -> None:
        self.page, self.y = page, y

    def line(self, text: str, size: float = 10.5, font: str = "helv", x: float = MARGIN,
             gap: float = 1.45) -> None:
        self.page.insert_text((x, self.y), text, fontsize=size, fontname=font)
        self.y += size * gap

    def para(self, text: str, size: float = 10.5, width_chars: int = 92) -> None:
        words, cur = text.split(), ""
        for w in words:
            if len(cur) + len(w) + 1 > width_chars:
                self.line(cur, size)
                cur = w
            else:
                cur = f"{cur} {w}".strip()
        if cur:
            self.line(cur, size)
        self.y += size * 0.6

    def skip(self, pts: float) -> None:
        self.y += pts


def _letterhead(page: pymupdf.Page, office: str = "Freedom of Information Act Office") -> None:
    page.draw_circle((MARGIN + 24, 62), 24, color=(0.1, 0.2, 0.45), width=2)
    page.draw_circle((MARGIN + 24, 62), 17, color=(0.1, 0.2, 0.45), width=0.8)
    page.insert_text((MARGIN + 12, 66), "DHS", fontsize=9, fontname="hebo", color=(0.1, 0.2, 0.45))
    page.insert_text((MARGIN + 60, 52), "U.S. Department of Homeland Security", fontsize=9, fontname="helv")
    page.insert_text((MARGIN + 60, 68), "U.S. Immigration and Customs Enforcement", fontsize=14,
                     fontname="hebo", color=(0.1, 0.2, 0.45))
    page.insert_text((MARGIN + 60, 82), f"{office}  -  500 12th Street SW, Stop 5009, Washington, DC 20536-5009",
                     fontsize=7.5, fontname="helv")
    page.draw_line((MARGIN, 95), (PAGE_W - MARGIN, 95), color=(0.1, 0.2, 0.45), width=1.2)


def _bates(page: pymupdf.Page, number: str) -> None:
    page.insert_text((PAGE_W - MARGIN - 88, PAGE_H - 28), number, fontsize=9, fontname="cour")


def _withhold(page: pymupdf.Page, rect: tuple[float, float, float, float], inside: str,
              beside: str = "") -> Withholding:
    """The agency's own redaction: a black box with its code in white, maybe more beside."""
    r = pymupdf.Rect(rect)
    page.draw_rect(r, color=(0, 0, 0), fill=(0, 0, 0))
    page.insert_text((r.x0 + 3, r.y1 - 3), inside, fontsize=8, fontname="hebo", color=(1, 1, 1))
    if beside:
        page.insert_text((r.x1 + 4, r.y1 - 3), beside, fontsize=8, fontname="hebo")
    codes = tuple(c.strip("()").replace(")(", "") for c in (inside + " " + beside).replace(",", " ").split())
    return Withholding(page.number + 1, tuple(r), tuple(c for c in codes if c))


# -- pages --------------------------------------------------------------------------------
def _cover_letter(page: pymupdf.Page) -> None:
    _letterhead(page)
    w = _Writer(page, 125)
    w.line("July 28, 2023", x=PAGE_W - MARGIN - 80)
    w.skip(8)
    for s in ("Immigrant Rights Clinic", "Attn: Student Attorney", "Law School Legal Clinics",
              "1200 University Avenue, Room 210", "Springfield, ST 00000", ATTORNEY_MAIL):
        w.line(s)
    w.skip(10)
    w.line("RE: ICE FOIA Case Number 2023-ICFO-41877", font="hebo")
    w.skip(8)
    w.line("Dear Requester:")
    w.skip(4)
    w.para("This letter is the final response to your Freedom of Information Act (FOIA) request to "
           "U.S. Immigration and Customs Enforcement (ICE), dated March 3, 2023, seeking records "
           f"relating to {SUBJECT} ({SUBJECT_A}, date of birth {SUBJECT_DOB}), including body-worn "
           "camera recordings of the enforcement action of June 14, 2023.")
    w.para("ICE has considered your request under both the FOIA, 5 U.S.C. 552, and the Privacy Act, "
           "5 U.S.C. 552a. A search of the Enforcement and Removal Operations (ERO) Los Angeles Field "
           "Office produced 9 pages and 3 video files. Portions of the records are withheld pursuant "
           "to Exemptions (b)(6), (b)(7)(C) and (b)(7)(E) as described below.")
    w.para("FOIA Exemption 6 exempts from disclosure personnel or medical files and similar files the "
           "release of which would cause a clearly unwarranted invasion of personal privacy. Exemption "
           "7(C) protects records compiled for law enforcement purposes that could reasonably be "
           "expected to constitute an unwarranted invasion of personal privacy.")
    w.para(f"If you have questions, contact the FOIA Public Liaison at {OFFICER_PHONE} or "
           "ice-foia@ice.dhs.example. You may appeal this response within 90 days.")
    w.skip(6)
    w.line("Sincerely,")
    w.skip(22)
    w.line("Fernando Pineiro", font="hebo")
    w.line("FOIA Officer")


def _i213(page: pymupdf.Page) -> None:
    _letterhead(page, "Enforcement and Removal Operations")
    w = _Writer(page, 118)
    w.line("RECORD OF DEPORTABLE/INADMISSIBLE ALIEN (Form I-213)", size=12, font="hebo", x=MARGIN + 90)
    w.skip(6)
    rows = [
        ("Family Name (CAPS)", "LOPEZ", "First", "Maria", "Middle", "Elena"),
        ("Sex", "F", "Hair", "BLK", "Eyes", "BRO"),
        ("Alien Registration No.", SUBJECT_A, "FINS No.", "1188441902", "Event No.", "LOS23-0417"),
        ("Country of Citizenship", "MEXICO", "Passport No.", "G22811904", "Date of Birth", SUBJECT_DOB),
        ("U.S. Address", "42 Oak Street, Apt 3, Los Angeles, CA 90012", "", "", "Phone", "(213) 555-0187"),
        ("Date/Place/Manner of Entry", "01/2009 / San Ysidro, CA / EWI", "", "", "Status", "EWI"),
        ("Date/Time of Apprehension", "06/14/2023 06:12", "Place", "42 Oak St.", "By", "D. Pratt"),
        ("Spouse", SPOUSE, "Spouse A-No.", SPOUSE_A, "SSN", "123-45-6789"),
    ]
    y = w.y
    for row in rows:
        x = MARGIN
        widths = (120, 130, 62, 70, 55, 55)
        for i, (cell, wd) in enumerate(zip(row, widths)):
            if i == 1 and not row[2]:
                wd += widths[2] + widths[3]
            if i in (2, 3) and not row[2]:
                continue
            page.draw_rect((x, y - 11, x + wd, y + 13), color=(0.3, 0.3, 0.3), width=0.5)
            font = "hebo" if i % 2 == 0 else "helv"
            page.insert_text((x + 3, y + 4), cell, fontsize=7.5 if i % 2 == 0 else 8.5, fontname=font)
            x += wd
        y += 24
    w.y = y + 14
    w.line("Narrative (Outline particulars under which alien was located/apprehended):", font="hebo")
    w.para(f"On June 14, 2023, at approximately 0612 hours, ERO Los Angeles Fugitive Operations officers "
           f"encountered the subject, {SUBJECT}, at her residence at 42 Oak Street, Los Angeles, CA. "
           f"Deportation Officer {OFFICER} identified the subject by name and date of birth. The subject "
           f"stated her name was Maria Lopez and that her husband, {SPOUSE} ({SPOUSE_A}), was inside the "
           "residence. Officers wore body-worn cameras (AXON BODY 3, serials X81204417 and X81309921).")
    w.para("A records check of vehicle plate ABC 1234 (CA) parked at the residence returned to the "
           "subject's spouse. The subject was transported to the Los Angeles staging facility for "
           f"processing. Contact: {OFFICER_MAIL}, {OFFICER_PHONE}.")
    w.skip(10)
    w.line(f"Signature of Officer: {OFFICER}, Deportation Officer", font="hebo")
    w.line("Examining Officer: Supervisory Detention and Deportation Officer " + SUPERVISOR)


def _memo(page: pymupdf.Page) -> None:
    _letterhead(page, "Office of the Field Office Director, Los Angeles")
    w = _Writer(page, 125)
    w.line("MEMORANDUM FOR:", font="hebo")
    w.line("Field Office Director, Los Angeles", x=MARGIN + 110)
    w.line("FROM:", font="hebo")
    w.line(f"{SUPERVISOR}, Supervisory Detention and Deportation Officer", x=MARGIN + 110)
    w.line("SUBJECT:", font="hebo")
    w.line(f"Use of body-worn cameras during the arrest of {SUBJECT} ({SUBJECT_A})", x=MARGIN + 110)
    page.draw_line((MARGIN, w.y), (PAGE_W - MARGIN, w.y), width=0.6)
    w.skip(16)
    w.para("Purpose. This memorandum documents the recording of the June 14, 2023 enforcement action "
           "by body-worn cameras, in accordance with ICE Directive 19010.1, and the retention of the "
           "recordings as evidence.")
    w.para(f"Background. Officer {OFFICER} activated camera X81204417 at 06:12:33 before approaching the "
           "residence. A second camera, X81309921, recorded at the doorway from 06:21:35. The recordings "
           "capture the faces of the subject, her spouse and a minor child, and the licence plate of a "
           "vehicle parked at the residence.")
    w.para(f"Privacy. Before any release, faces of third parties, the plate ABC 1234, the subject's date "
           f"of birth ({SUBJECT_DOB}) and the phone number (213) 555-0187 heard in the audio must be "
           "reviewed for Exemptions (b)(6) and (b)(7)(C).")
    w.para(f"Point of contact: {SUPERVISOR}, {SUPERVISOR_MAIL}, (213) 555-0122.")


def _on_last_line(w: _Writer, x0: float, x1: float) -> tuple[float, float, float, float]:
    """A box over the rest of the line just written, from ``x0`` to ``x1``."""
    base = w.y - 10.5 * 1.45
    return (x0, base - 9, x1, base + 3)


def _emails(page: pymupdf.Page) -> list[Withholding]:
    w = _Writer(page, 70)
    out = []
    w.line(f"From: {OFFICER} <{OFFICER_MAIL}>", font="hebo")
    w.line("Sent: Wednesday, June 14, 2023 9:41 AM")
    w.line(f"To: {SUPERVISOR} <{SUPERVISOR_MAIL}>")
    w.line(f"Subject: RE: Oak St. target - {SUBJECT_A}")
    page.draw_line((MARGIN, w.y), (PAGE_W - MARGIN, w.y), width=0.4)
    w.skip(14)
    w.para("Karen, the arrest went as planned. Both cameras were on. The subject gave her name on camera "
           "and confirmed her DOB. Her husband came to the door; we did not detain him.")
    w.line("Informant who gave us the address:")
    out.append(_withhold(page, _on_last_line(w, MARGIN + 170, MARGIN + 300), "(b)(6)", "(b)(7)(C)"))
    w.para(f"Call me at {OFFICER_PHONE} if you need the footage before it is uploaded.")
    w.line("Dan")
    w.skip(20)
    w.line(f"From: {SUPERVISOR} <{SUPERVISOR_MAIL}>", font="hebo")
    w.line("Sent: Tuesday, June 13, 2023 4:02 PM")
    w.line(f"To: {OFFICER} <{OFFICER_MAIL}>")
    w.line("Subject: Oak St. target")
    page.draw_line((MARGIN, w.y), (PAGE_W - MARGIN, w.y), width=0.4)
    w.skip(14)
    w.para("Approved for 0600 tomorrow. Team of four, cameras on from the staging point. Target is "
           f"{SUBJECT}, DOB {SUBJECT_DOB}.")
    w.line("Staging location and team:")
    out.append(_withhold(page, _on_last_line(w, MARGIN + 130, MARGIN + 420), "(b)(7)(E)"))
    w.line("Team lead cell:")
    # a failed redaction, as real releases have them: the number typed, the box drawn over it,
    # the number still in the file (the Withheld panel says so; an export takes it out)
    cell = _on_last_line(w, MARGIN + 80, MARGIN + 190)
    page.insert_text((cell[0] + 30, cell[3] - 3), TEAM_LEAD_CELL, fontsize=9)
    out.append(_withhold(page, cell, "(b)(6)", "(b)(7)(C)"))
    return out


def _withheld_page(page: pymupdf.Page) -> list[Withholding]:
    _letterhead(page, "Enforcement and Removal Operations")
    w = _Writer(page, 125)
    w.line("CONTINUATION PAGE FOR FORM I-213", font="hebo", size=12, x=MARGIN + 140)
    w.skip(4)
    w.line(f"Alien's Name: {SUBJECT}     File Number: {SUBJECT_A}     Date: 06/14/2023")
    w.skip(8)
    out = []
    w.line("Criminal history: none. Prior encounters:")
    out.append(_withhold(page, (MARGIN, w.y - 8, PAGE_W - MARGIN - 70, w.y + 22), "(b)(6)", "(b)(7)(C)"))
    w.skip(36)
    w.para("Subject was advised of her right to contact her consulate and declined. Subject requested "
           "to contact an attorney and was provided the list of free legal service providers.")
    w.line("Database checks (systems and query results):")
    out.append(_withhold(page, (MARGIN, w.y - 8, PAGE_W - MARGIN, w.y + 40), "(b)(7)(E)"))
    w.skip(56)
    w.line("Witness statements:")
    for i in range(3):
        out.append(_withhold(page, (MARGIN + 20, w.y - 8 + i * 18, MARGIN + 230, w.y + 6 + i * 18),
                             "(b)(6)", "(b)(7)(C)"))
    w.skip(60)
    w.para(f"Processing officer: {OFFICER}. Reviewed by {SUPERVISOR}.")
    return out


SCAN_TEXT = [
    ("NOTICE TO APPEAR", 14, "hebo"),
    ("", 8, "helv"),
    ("In removal proceedings under section 240 of the Immigration and Nationality Act", 9.5, "helv"),
    (f"Subject ID: 1188441902      File No: {SUBJECT_A}", 10, "helv"),
    (f"In the Matter of: {SUBJECT}", 10, "helv"),
    ("Respondent: currently residing at 42 Oak Street, Apt 3, Los Angeles, CA 90012", 10, "helv"),
    (f"Phone: (213) 555-0187      Date of birth: {SUBJECT_DOB}", 10, "helv"),
    ("", 8, "helv"),
    ("You are an alien present in the United States who has not been admitted or paroled.", 10, "helv"),
    ("The Department of Homeland Security alleges that you:", 10, "helv"),
    ("1. You are not a citizen or national of the United States;", 10, "helv"),
    ("2. You are a native of MEXICO and a citizen of MEXICO;", 10, "helv"),
    ("3. You arrived in the United States at or near San Ysidro, CA, on or about January 2009;", 10, "helv"),
    ("4. You were not then admitted or paroled after inspection by an Immigration Officer.", 10, "helv"),
    ("", 8, "helv"),
    (f"Served by: {OFFICER}, Deportation Officer, {OFFICER_PHONE}", 10, "helv"),
    (f"Certificate of service: served in person on 06/14/2023 to {SUBJECT}.", 10, "helv"),
]


def _scanned(doc: pymupdf.Document, page: pymupdf.Page, seed: int) -> None:
    """A page that is only a picture of paper, plus the invisible OCR layer a scanner adds."""
    scratch = pymupdf.open()
    sp = scratch.new_page(width=PAGE_W, height=PAGE_H)
    y, lines = 110.0, []
    for text, size, font in SCAN_TEXT:
        sp.insert_text((MARGIN + 10, y), text, fontsize=size, fontname=font)
        lines.append((y, text, size))
        y += size * 1.7
    zoom = 1.5  # 108 dpi: blurry and cheap, like a fax-grade scan
    pix = sp.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY)
    img = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width).astype(np.float32)
    rng = np.random.default_rng(seed)
    angle = 0.9
    rot = cv2.getRotationMatrix2D((pix.width / 2, pix.height / 2), angle, 1.0)
    img = cv2.warpAffine(img, rot, (pix.width, pix.height), borderValue=255)
    img = img * 0.92 + 12 + rng.normal(0, 9, img.shape)  # grey paper, sensor noise
    specks = rng.random(img.shape) < 0.0015
    img[specks] = 30
    img = cv2.GaussianBlur(np.clip(img, 0, 255).astype(np.uint8), (3, 3), 0)
    ok, jpg = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 55])
    assert ok
    page.insert_image(page.rect, stream=jpg.tobytes())
    # OCR text where the skewed words now are: rotate about the page centre like the image.
    pivot = pymupdf.Point(PAGE_W / 2, PAGE_H / 2)
    for y, text, size in lines:
        if text:
            page.insert_text((MARGIN + 10, y), text, fontsize=size, fontname="helv", render_mode=3,
                             morph=(pivot, pymupdf.Matrix(angle)))
    scratch.close()


def _vehicle_check(page: pymupdf.Page) -> None:
    _letterhead(page, "Enforcement and Removal Operations")
    w = _Writer(page, 125)
    w.line("VEHICLE AND RECORDS CHECK", font="hebo", size=12, x=MARGIN + 160)
    w.skip(6)
    for label, value in (("Plate", "ABC 1234 (CA)"), ("Vehicle", "2014 Honda Accord, red"),
                         ("Registered owner", SPOUSE), ("Owner A-No.", SPOUSE_A),
                         ("Owner DOB", "09/30/1984"), ("Owner phone", "(213) 555-0199"),
                         ("Owner e-mail", "jhernandez84@mail.example.com"),
                         ("Requested by", f"{OFFICER} ({OFFICER_MAIL})"), ("Time", "06/14/2023 06:16")):
        w.line(f"{label}:", font="hebo")
        w.y -= 10.5 * 1.45
        w.line(value, x=MARGIN + 130)
    w.skip(10)
    w.para("The registered owner has no criminal history. No further action was taken regarding the "
           "vehicle. The plate is visible in body-worn camera recordings X81204417 (06:16:43) and "
           "X81204417 (06:12:40).")


def _media_index(page: pymupdf.Page) -> None:
    _letterhead(page)
    w = _Writer(page, 125)
    w.line("INDEX OF RECORDS RELEASED", font="hebo", size=12, x=MARGIN + 150)
    w.skip(6)
    for item in ("ICE-2023-000123 to 000130: documents (8 pages)",
                 "BWC-X81204417-0612.mp4: body-worn camera, 06:12:33, released with redactions",
                 "BWC-X81204417-0616.mp4: body-worn camera, 06:16:43, released with redactions",
                 "BWC-X81309921-0621.mp4: body-worn camera, 06:21:35, released with redactions"):
        w.line("- " + item)
    w.skip(10)
    w.para("Video files are provided on the enclosed media. Faces of third parties were not redacted by "
           "ICE in the video files; the requester is the subject's representative under a signed "
           f"Form G-639 consent from {SUBJECT} (DOB {SUBJECT_DOB}).")


def make_production(path: str | Path, seed: int = 5) -> SynthProduction:
    """Write the demo production PDF at ``path`` (8 pages)."""
    path = Path(path)
    doc = pymupdf.open()
    builders = [_cover_letter, _i213, "withheld", _memo, "emails", "scan", _vehicle_check, _media_index]
    withholdings: list[Withholding] = []
    bates, scanned = [], 0
    for i, b in enumerate(builders):
        page = doc.new_page(width=PAGE_W, height=PAGE_H)
        if b == "withheld":
            withholdings += _withheld_page(page)
        elif b == "emails":
            withholdings += _emails(page)
        elif b == "scan":
            _scanned(doc, page, seed)
            scanned = i + 1
        else:
            b(page)
        number = f"{BATES_PREFIX}{BATES_FIRST + i:06d}"
        _bates(page, number)
        bates.append(number)
    doc.set_metadata({"title": "ICE FOIA 2023-ICFO-41877 Release", "author": "ICE FOIA Office",
                      "producer": "Reviewer demo synthesiser"})
    doc.save(str(path), garbage=3, deflate=True)
    doc.close()
    return SynthProduction(path, len(builders), tuple(bates), scanned, tuple(withholdings))
