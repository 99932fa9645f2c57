"""One exact frame with every redaction of the case burned in (stills for bundles, previews)."""
from __future__ import annotations

from typing import Any

import numpy as np

from reviewer.export.burn import burn_rgb, regions_for_frame


def render_redacted_frame(store: Any, media_row: dict, n: int) -> np.ndarray:
    """RGB uint8 (H, W, 3) of exactly frame ``n`` as displayed, every active box applied."""
    from reviewer.export.readback import track_blocks
    from reviewer.media.frames import FrameReader
    from reviewer.media.index import cached_index
    from reviewer.store.media import FrameIndexCache
    from reviewer.store.redactions import box_tracks

    index = cached_index(media_row["path"], FrameIndexCache(store, media_row["id"]))
    with FrameReader(media_row["path"], index) as reader:
        rgb = np.array(reader.frame(int(n)), dtype=np.uint8, copy=True)
    # only the boxes on this frame: their soft strength is sized from the original, as export does
    tracks = [t for t in box_tracks(store, media_row["id"]) if t.covers(int(n))]
    return redact_rgb(rgb, tracks, int(n), track_blocks(store, media_row, index, tracks))


def redact_rgb(rgb: np.ndarray, tracks: Any, n: int, blocks: Any = ()) -> np.ndarray:
    """Burn the boxes of ``tracks`` on frame ``n`` into ``rgb`` (displayed, in place);
    ``blocks``: their soft cell sizes (reviewer.export.strength), else from each box."""
    h, w = rgb.shape[:2]
    return burn_rgb(rgb, regions_for_frame(tracks, n, w, h, blocks))
