"""Every PDF the app writes keeps its text inside the page's margins: the withheld log (from
its panel and in the bundle, with its Note lines), the bundle's index and notes report. Each
page is read by pdfplumber and rendered by pdftoppm (neither is our code): no character
crosses the margin, and the rendered page is blank outside it."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from conftest import go_on_anyway, ids

LONG_WORD = "bodycam_2023-05-01_officer_unit_12_full_resolution_copy_from_the_agency_server.mp4"
LONG_NOTE = ("The agency's cover letter says the second recording was withheld in full under "
             "b7(C) but the index lists it as released; ask for the Vaughn index entry and the "
             "chain of custody form for " + LONG_WORD + " before the status conference.")


def text_outside(pdf: Path, margin_pt: float, slack_pt: float = 1.5) -> list[str]:
    """Characters (with their page) that cross the left or right margin."""
    import pdfplumber

    bad = []
    with pdfplumber.open(str(pdf)) as doc:
        for n, page in enumerate(doc.pages, 1):
            for ch in page.chars:
                if ch["x0"] < margin_pt - slack_pt or ch["x1"] > page.width - margin_pt + slack_pt:
                    bad.append(f"p{n} {ch['text']!r} at {ch['x0']:.0f}-{ch['x1']:.0f}")
    return bad


def ink_outside(pdf: Path, margin_pt: float, tmp: Path) -> list[str]:
    """Pages whose rendering has ink left or right of the margins (pdftoppm at 72 dpi: one
    pixel a point)."""
    from PIL import Image

    prefix = tmp / pdf.stem
    subprocess.run(["pdftoppm", "-r", "72", "-gray", "-png", str(pdf), str(prefix)], check=True)
    bad = []
    for png in sorted(tmp.glob(f"{pdf.stem}-*.png")):
        a = np.asarray(Image.open(png).convert("L"))
        m = int(margin_pt) - 2
        sides = np.concatenate([a[:, :m].ravel(), a[:, a.shape[1] - m:].ravel()])
        if (sides < 200).any():
            bad.append(png.name)
    return bad


def check(pdf: Path, margin_pt: float, tmp: Path) -> None:
    assert pdf.is_file(), pdf
    assert not text_outside(pdf, margin_pt), (pdf.name, text_outside(pdf, margin_pt)[:5])
    assert not ink_outside(pdf, margin_pt, tmp), pdf.name


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler) is not installed")
def test_withheld_log_note_lines_wrap(tmp_path):
    from reviewer.pdf.withheld_report import MARGIN, write_pdf

    rows = [{"media_id": 1, "media_name": LONG_WORD.replace(".mp4", ".pdf"), "page_no": 3,
             "bates": "ICE-2023-000125", "rect": [72, 90, 300, 120], "codes": ["b6", "b7(C)"],
             "comment": LONG_NOTE, "source": "manual"}]
    out = write_pdf(rows, tmp_path / "withheld_log.pdf", notes=[LONG_NOTE, LONG_WORD * 2])
    check(out, MARGIN, tmp_path)
    # the whole note is there, in order, across its lines
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "Note: The agency's cover letter says the second recording" in flat
    assert "before the status conference." in flat


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler) is not installed")
def test_every_report_the_window_writes_stays_inside_its_margins(qtbot, window, tmp_path):
    from reviewer.citation import exhibits as ex
    from reviewer.pdf.reports import MARGIN_PT
    from reviewer.pdf.withheld_report import MARGIN
    from reviewer.session import withheld as wh
    from reviewer.store.exhibits import next_seq

    win = window
    pdf = ids(win)["pdf"]
    note = win.ctl.add_note(pdf, LONG_NOTE, page_no=2, tags=["follow-up"])
    win.notes.bundle_requested.emit([note], True)
    win.ctl.apply(wh.add_withheld(pdf, 2, (72, 200, 400, 240), ["b6"], comment=LONG_NOTE))
    win.ctl.apply(ex.declare_pages(win.ctl.media(pdf), 2, 3, next_seq(win.ctl.store)))
    qtbot.waitUntil(lambda: not win.withheld.scanning, timeout=60000)
    win.withheld.refresh()
    # the withheld log from its panel
    out = tmp_path / "withheld_log.pdf"
    win.withheld.export("pdf", str(out))
    qtbot.waitUntil(out.is_file, timeout=60000)
    check(out, MARGIN, tmp_path)
    # the bundle, with the withheld log
    win.exhibits.bundle(out=str(tmp_path / "bundle"), preview=False, with_withheld=True)
    go_on_anyway(qtbot, win, lambda: getattr(win, "last_bundle", None) is not None)
    qtbot.waitUntil(lambda: getattr(win, "last_bundle", None) is not None, timeout=120000)
    folder = Path(getattr(win.last_bundle, "folder", tmp_path / "bundle"))
    reports = [p for p in folder.rglob("*.pdf") if p.parent.name != "exhibits"]
    assert len(reports) >= 2, sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))
    for report in reports:
        check(report, MARGIN if "withheld" in report.name else MARGIN_PT, tmp_path)
    # the exhibits' stamps sit in the margin by design, but on the page
    for exhibit in (folder / "exhibits").glob("*.pdf"):
        assert not text_outside(exhibit, 0), exhibit.name
