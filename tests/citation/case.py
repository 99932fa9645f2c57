"""A generated case with a CFR and a VFR video, a Bates-numbered production and an unnumbered
PDF, redactions of every kind, a note marked for the bundle and a private one, and exhibits of
every kind; built once per session (encoding is the slow part)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

SECRET_NOTE = "PRIVATE-WORK-PRODUCT-Q7X2"
SHARED_NOTE = "Officer turns the camera away here"
PAGE_NOTE = "Arresting officer named in the redacted block"
PAGE_NOTE_RECT = [50, 50, 420, 180]  # points; holds the page redaction [60, 60, 400, 160]
BOX = (200, 150, 80, 60)  # x, y, w, h on 320x240: clear of the number blocks (top half)


@dataclass
class Built:
    case: Path
    bundle: Path
    media: dict
    production: object
    exhibit_ids: list


def _apply(store, cmd):
    from reviewer.session.session import Session

    _, changes = Session(store).apply(cmd)
    return changes


def _new_id(changes, table):
    return next(i for t, i in changes.row_ids if t == table)


def make_case(root: Path):
    import pymupdf
    from fixtures.pdfs import make_production_pdf
    from fixtures.videos import make_video

    from reviewer.citation.exhibits import Span, declare
    from reviewer.session.edits import Insert
    from reviewer.session.importer import Imported, import_paths
    from reviewer.store import CaseStore
    from reviewer.store.db import now_iso
    from reviewer.store.exhibits import next_seq

    src = root / "media"
    src.mkdir()
    cfr = make_video(src / "BWC-07.mp4", "cfr", n_frames=60, size=(320, 240))
    vfr = make_video(src / "phone.mp4", "vfr", n_frames=45, size=(320, 240))
    rotated = make_video(src / "upright.mp4", "rotated", n_frames=12, size=(160, 120), audio=False)
    prod = make_production_pdf(src / "production.pdf", n_pages=6)
    plain = src / "letter.pdf"
    doc = pymupdf.open()
    for i in range(3):
        doc.new_page().insert_text((72, 100), f"Plain letter page {i + 1}", fontsize=14)
    doc.save(str(plain))
    doc.close()

    store = CaseStore.create(root / "case")
    results = import_paths(store, [cfr, vfr, prod.path, plain, rotated])
    assert all(isinstance(r, Imported) for r in results), results
    ids = {r.name: r.id for r in results}
    from reviewer.store.media import get_media

    media = {name: get_media(store, i) for name, i in ids.items()}
    now = now_iso()
    vid = ids["BWC-07.mp4"]
    red = _new_id(_apply(store, Insert("redactions", {
        "media_id": vid, "kind": "box", "reason": "b6", "frame_from": 5, "frame_to": 40,
        "created": now})), "redactions")
    _apply(store, Insert("keyframes", {"redaction_id": red, "frame": 5, "x": BOX[0], "y": BOX[1],
                                       "w": BOX[2], "h": BOX[3]}))
    _apply(store, Insert("redactions", {"media_id": vid, "kind": "audio", "reason": "b7C",
                                        "t_from": "1/2", "t_to": "1", "mode": "mute",
                                        "created": now}))
    pdf_id = ids["production.pdf"]
    _apply(store, Insert("redactions", {"media_id": pdf_id, "kind": "page", "reason": "b6",
                                        "page_no": 2, "rect": json.dumps([60, 60, 400, 160]),
                                        "created": now}))
    _apply(store, Insert("annotations", {"media_id": vid, "frame": 20, "frame_to": 20,
                                         "text": SECRET_NOTE, "tags": "[]", "created": now}))
    _apply(store, Insert("annotations", {"media_id": vid, "frame": 12, "frame_to": 18,
                                         "text": SHARED_NOTE, "tags": '["use-of-force"]',
                                         "for_bundle": 1, "created": now}))
    _apply(store, Insert("annotations", {"media_id": pdf_id, "page_no": 2, "text": PAGE_NOTE,
                                         "rect": json.dumps(PAGE_NOTE_RECT), "tags": "[]",
                                         "for_bundle": 1, "created": now}))
    _apply(store, Insert("annotations", {"media_id": pdf_id, "page_no": 3, "text": SECRET_NOTE + " p",
                                         "tags": "[]", "created": now}))
    spans = [(media["BWC-07.mp4"], Span("clip", 10, 29), "Stop and approach"),
             (media["BWC-07.mp4"], Span("still", 15, 15), "The officer's hand"),
             (media["production.pdf"], Span("document", 2, 4), "Arrest report"),
             (media["phone.mp4"], Span("still", 7, 7), ""),
             (media["letter.pdf"], Span("document", 2, 3), ""),
             (media["upright.mp4"], Span("still", 4, 4), "Phone held upright")]
    exhibit_ids = []
    for row, span, desc in spans:
        exhibit_ids.append(_new_id(_apply(store, declare(row, span, next_seq(store),
                                                         description=desc)), "exhibits"))
    return store, media, prod, exhibit_ids
