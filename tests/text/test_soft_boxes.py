"""Blur and pixelate are redactions too: a box drawn tight around one line of text exports
and is unreadable (tesseract, native and 3x, on FFmpeg's decode of the export); other box
sizes export; a soft box whose text still reads fails verification."""
from __future__ import annotations

import pytest
from cli.clirun import ok

from reviewer.export.strength import block_for

from .ocr import ffmpeg_frames, needs_tesseract, shows_plate, tesseract


def _tight(clip, frame: int, margin: int = 3) -> str:
    x0, y0, x1, y1 = clip.truth["plate"][frame]
    return f"{x0 - margin},{y0 - margin},{x1 - x0 + 2 * margin},{y1 - y0 + 2 * margin}"


def _plain_case(tmp_path, clip):
    folder = tmp_path / "case"
    ok("new", folder)
    ok("import", folder, clip.path)
    return folder


@needs_tesseract
@pytest.mark.parametrize("style", ["pixelate", "blur"])
def test_a_tight_soft_box_around_a_line_of_text_exports_unreadable(text_clip, tmp_path, style):
    folder = _plain_case(tmp_path, text_clip)
    last = text_clip.frame_count - 1
    ok("redact", "box", folder, "street.mp4", "--frames", f"0:{last}", "--rect", _tight(text_clip, 0),
       "--rect-end", _tight(text_clip, last), "--style", style)
    out = tmp_path / f"{style}.mp4"
    ok("export", folder, "street.mp4", "--out", out)
    ok("verify", out)
    frames = ffmpeg_frames(out, text_clip.width, text_clip.height)
    for n in (0, last // 2, last):
        x0, y0, x1, y1 = text_clip.truth["plate"][n]
        crop = frames[n][max(0, y0 - 20):y1 + 20, max(0, x0 - 20):x1 + 20]
        for zoom in (1, 3):
            for picture in (frames[n], crop):
                read = tesseract(picture, zoom, psm="11")
                assert not shows_plate(read), (style, n, zoom, read)


@pytest.mark.parametrize("style", ["pixelate", "blur"])
@pytest.mark.parametrize("rect", ["20,40,300,200", "200,270,40,14", "150,100,90,30", "5,5,7,9"])
def test_soft_boxes_of_other_sizes_export(text_clip, tmp_path, rect, style):
    folder = _plain_case(tmp_path, text_clip)
    ok("redact", "box", folder, "street.mp4", "--frames", "0:10", "--rect", rect,
       "--style", style)
    out = tmp_path / "out.mp4"
    ok("export", folder, "street.mp4", "--out", out)
    assert "read back" in ok("verify", out).out


def test_a_soft_box_left_readable_fails_verification(text_clip, tmp_path, monkeypatch):
    """The old strength (cells from the box's short side) leaves the plate readable: the
    read-back must catch it, and nothing is written."""
    from reviewer.errors import ReviewerError
    from reviewer.export import strength
    from reviewer.export.video import export_video
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store

    folder = _plain_case(tmp_path, text_clip)
    last = text_clip.frame_count - 1
    ok("redact", "box", folder, "street.mp4", "--frames", f"0:{last}", "--rect", _tight(text_clip, 0),
       "--rect-end", _tight(text_clip, last), "--style", "pixelate")
    monkeypatch.setattr(strength, "block_for", lambda style, w, h, t, f: max(1, -(-min(w, h) // 16)))
    out = tmp_path / "weak.mp4"
    with CaseStore.open(folder) as store:
        row = media_store.find_media(store, "street.mp4")
        with pytest.raises(ReviewerError, match="read back"):
            export_video(store, row, out)
    assert not out.exists() and not list(tmp_path.glob(".weak.mp4*"))


def test_strength_comes_from_what_is_under_the_box():
    # a tight box around a 24 px line: cells of half the line, whatever the box
    assert block_for("pixelate", 130, 30, 24.0, 0.0) >= 12
    assert block_for("pixelate", 400, 300, 24.0, 0.0) >= 12
    # a face 120 px tall: cells of a sixth of it, not of the box
    assert block_for("pixelate", 300, 300, 0.0, 120.0) >= 20
    # nothing found, but shaped like a line of text: treated as one
    assert block_for("pixelate", 120, 20, 0.0, 0.0) >= 10
    # nothing found in a square box: the old rule
    assert block_for("pixelate", 80, 80, 0.0, 0.0) == 10
