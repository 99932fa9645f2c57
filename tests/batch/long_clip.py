"""A real clip long enough to split: the foreman sample three times over (forwards,
backwards: the face carries on across the join; mirrored: a cut), re-encoded with a keyframe
every 20 frames and B-frames. 180 frames, a face on every one."""
from __future__ import annotations

from pathlib import Path

from cli.clirun import ffmpeg, ok

FOREMAN = Path(__file__).resolve().parents[2] / "resources" / "demo" / "foreman_h264.mp4"
NAME = "foreman long.mp4"
GOP = 20


def make_long_case(root: Path) -> tuple[Path, Path]:
    """(the case with the clip imported, the clip)."""
    media = root / "media"
    media.mkdir()
    clip = media / NAME
    ffmpeg("-i", str(FOREMAN), "-filter_complex",
           "[0:v]split=3[a][b][c];[b]reverse[r];[c]hflip[h];[a][r][h]concat=n=3:v=1:a=0[v]",
           "-map", "[v]", "-c:v", "libx264", "-g", str(GOP), "-keyint_min", str(GOP),
           "-sc_threshold", "0", "-bf", "2", "-pix_fmt", "yuv420p", str(clip))
    case = root / "case"
    ok("new", case)
    ok("import", case, media)
    return case, clip
