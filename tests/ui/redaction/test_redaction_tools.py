"""Redaction and bundle work from the window: search and redact with review, face suggestions
accepted and rejected, audio mute, export with progress, exhibits and the bundle preview."""
from __future__ import annotations

from conftest import go_on_anyway, ids, shot
from PySide6.QtCore import Qt


def test_search_and_redact_reviews_before_marking(qtbot, window):
    win = window
    media = ids(win)
    win.view.open_item(media["pdf"])
    win.redact.search_and_redact()
    dlg = win.redact.search_dialog
    dlg.pattern.setCurrentText("ssn")
    win.redact.find.find()
    qtbot.waitUntil(lambda: len(dlg.hit_items()) > 0, timeout=15000)
    n = len(dlg.hit_items())
    assert win.ctl.page_redactions(media["pdf"]) == []  # nothing marked by finding alone
    dlg.hit_items()[0].setCheckState(0, Qt.Unchecked)  # the reviewer keeps one visible
    kept = dlg.matches[dlg.hit_items()[0].data(0, Qt.UserRole)]
    shot(dlg, "dialog-search-and-redact")
    dlg.mark_button.click()
    boxes = win.ctl.page_redactions(media["pdf"])
    want = sum(len(m.rects) for m in dlg.matches if m is not kept)
    assert len(boxes) == want == dlg.marked and n - 1 == sum(1 for m in dlg.matches if m is not kept)
    assert not any(b["page_no"] == kept.page_no and tuple(b["rect"]) == tuple(kept.rects[0])
                   for b in boxes)
    win.actions["undo"].trigger()  # the whole marking is one step
    assert win.ctl.page_redactions(media["pdf"]) == []


def _face_tracks(store, media_id: int) -> list[tuple]:
    from reviewer.store.annotations import keyframes_of

    rows = store.query("SELECT * FROM redactions WHERE media_id = ? AND kind = 'box' ORDER BY id",
                       (media_id,))
    return [(r["status"], r["frame_from"], r["frame_to"], r["shape"], r["label"],
             [(k["frame"], round(k["x"], 2), round(k["y"], 2), round(k["w"], 2), round(k["h"], 2))
              for k in keyframes_of(store, r["id"])]) for r in rows]


def test_find_faces_gives_the_command_lines_redactions_then_review(qtbot, window, tmp_path):
    """The window's Find faces and ``reviewer detect faces`` are one path: on the same clip
    they make the same redactions, with the same ones left as suggestions (a suggestion is
    never exported, so a window that suggested every track left faces showing)."""
    from tests_paths import sample_face_clip

    from reviewer.cli import main
    from reviewer.store import CaseStore

    win = window
    win.import_paths([str(sample_face_clip())])
    qtbot.waitUntil(lambda: any(m["name"] == "foreman_h264.mp4" for m in win.ctl.media_list()),
                    timeout=60000)
    vid = next(m["id"] for m in win.ctl.media_list() if m["name"] == "foreman_h264.mp4")
    win.view.open_item(vid)
    win.redact.find_faces()
    qtbot.waitUntil(lambda: bool(win.ctl.tracks(vid)), timeout=120000)
    other = tmp_path / "cli-case"
    assert main(["new", str(other)]) == 0
    assert main(["import", str(other), str(sample_face_clip())]) == 0
    assert main(["detect", "faces", str(other), "foreman_h264.mp4"]) == 0
    with CaseStore.open(other) as store:
        by_cli = _face_tracks(store, 1)
    assert by_cli and _face_tracks(win.ctl.store, vid) == by_cli
    assert any(t[0] == "active" for t in by_cli)
    # the review of suggestions: the run's tracks set back to suggestions, one accepted,
    # one rejected
    tracks = win.ctl.tracks(vid)
    win.ctl.set_status([t["id"] for t in tracks], "suggested")
    panel = win.redact.panel
    assert "to review" in panel.summary.text()
    shot(win, "window-face-suggestions")
    first = panel.tree.topLevelItem(0)
    first_id = first.data(0, Qt.UserRole)[1]
    first.setSelected(True)
    panel.buttons["accept"].click()
    st = {t["id"]: t["status"] for t in win.ctl.tracks(vid)}
    assert st[first_id] == "active"
    if len(tracks) > 1:
        panel.tree.clearSelection()
        panel.tree.topLevelItem(panel.tree.topLevelItemCount() - 1).setSelected(True)
        rid = panel.tree.topLevelItem(panel.tree.topLevelItemCount() - 1).data(0, Qt.UserRole)[1]
        panel.buttons["reject"].click()
        assert rid not in {t["id"] for t in win.ctl.tracks(vid)}  # rejected: gone from view
    for _ in range(4 if len(tracks) > 1 else 3):
        win.actions["undo"].trigger()
    assert win.ctl.tracks(vid) == []  # the detection run itself is one step


def test_mute_in_out_adds_an_audio_span(qtbot, window):
    win = window
    media = ids(win)
    win.view.open_item(media["video"])
    win.video.seek(15)
    win.video.set_in()
    win.video.seek(29)
    win.video.set_out()
    win.redact.mute_in_out()
    from reviewer.store.redactions import audio_spans

    spans = audio_spans(win.ctl.store, media["video"])
    assert len(spans) == 1
    assert spans[0].t_from_s == win.video.times.seconds(15)
    assert spans[0].t_to_s == win.video.times.seconds(30)
    audio = win.video.timeline._audio
    # its end is frame 30's start: it covers frames 15-29 (the one rule for spans)
    assert [(s.frame_from, s.frame_to) for s in audio] == [(15, 29)]


def test_export_pdf_with_progress_and_exhibits_bundle(qtbot, window, tmp_path):
    win = window
    media = ids(win)
    win.view.open_item(media["pdf"])
    win.ctl.add_page_box(media["pdf"], 1, (60, 60, 560, 160), "b6")
    out = tmp_path / "redacted.pdf"
    win.redact.export_current(str(out))
    assert go_on_anyway(qtbot, win)  # the fixture's SSNs, A-numbers… are still readable
    qtbot.waitUntil(lambda: hasattr(win, "last_export"), timeout=60000)
    assert out.exists() and all(c.ok for c in win.last_export.checks)
    # exhibits: a clip from In-Out, a still, pages 2-3; their cites shown in order
    win.view.open_item(media["video"])
    win.video.seek(10)
    win.video.set_in()
    win.video.seek(20)
    win.video.set_out()
    win.exhibits.declare("clip")
    win.exhibits.declare("still")
    win.exhibits.declare("pages", pages=(2, 3))
    rows = win.exhibits.panel.rows
    assert [r["kind"] for r in rows] == ["clip", "still", "document"]
    assert rows[0]["cite"].startswith("Ex. 1 (bodycam.mp4) at 00:00:00.334")
    assert rows[2]["cite"] == "Ex. 3 at ICE-2023-000124\u2013000125"  # pages 2-3: their range
    win.exhibits._on_panel_move_requested(rows[2]["id"], 0)
    assert [r["kind"] for r in win.exhibits.panel.rows] == ["document", "clip", "still"]
    win.actions["undo"].trigger()
    assert [r["kind"] for r in win.exhibits.panel.rows] == ["clip", "still", "document"]
    bundle = tmp_path / "bundle"
    win.exhibits.bundle(str(bundle))
    dlg = win.exhibits.preview_dialog
    assert dlg.tree.topLevelItemCount() == 3
    shot(dlg, "dialog-bundle-preview")
    dlg.accept()
    go_on_anyway(qtbot, win, lambda: hasattr(win, "last_bundle"))
    qtbot.waitUntil(lambda: hasattr(win, "last_bundle"), timeout=120000)
    assert (bundle / "index.json").exists() and (bundle / "SHA256SUMS").exists()
    shot(win, "window-exhibits")
