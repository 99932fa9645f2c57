"""The window's door to MEDIA and PDF: opening readers, frame times, page rendering.

Kept in one place so the panels do not each guess at the core's calling conventions.
"""
from __future__ import annotations

from typing import Any

from reviewer.store import CaseStore
from reviewer.timebase import FrameTimes


def load_video_index(store: CaseStore, media_row: dict[str, Any]) -> Any:
    from reviewer.media.index import cached_index
    from reviewer.store.media import FrameIndexCache

    return cached_index(media_row["path"], FrameIndexCache(store, media_row["id"]))


def frame_times(index: Any) -> FrameTimes:
    times = getattr(index, "times", None)
    if times is not None:
        return times
    return FrameTimes(list(index.pts), index.time_base, getattr(index, "end_pts", None))


def reader_factory(path: str, index: Any):
    """A callable that opens an exact-frame reader (called on the decoder thread)."""
    def open_reader() -> Any:
        from reviewer.media.frames import FrameReader

        return FrameReader(path, index)
    return open_reader


def server_factory(path: str, index: Any, cache_mb: int = 256):
    """A callable that starts MEDIA's FrameServer (exact frames, cached, newest wins)."""
    def open_server() -> Any:
        from reviewer.media.server import FrameServer

        return FrameServer(path, index, cache_mb=cache_mb)
    return open_server


def render_page(path: str, page_no: int, zoom: float) -> tuple[int, int, int, bytes]:
    from reviewer.pdf.render import render_page as _render

    return _render(path, page_no, zoom)


def page_words(path: str, page_no: int) -> list[tuple[float, float, float, float, str]]:
    """Words of a page as (x0, y0, x1, y1, text) in PDF points; empty when unavailable."""
    try:
        from reviewer.pdf import render
    except ImportError:
        return []
    return [(w.x0_pt, w.y0_pt, w.x1_pt, w.y1_pt, w.text) for w in render.page_words(path, page_no)]
