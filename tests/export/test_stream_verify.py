"""Verification while encoding: the export decodes its own packets as they are
written and only demuxes the file afterwards. The shortcut must be taken on ordinary exports
and must never pass a file a full decode would fail."""
from __future__ import annotations

import pytest

from export.conftest import apply
from reviewer.annotate.geometry import Box, Keyframe
from reviewer.session.redactions import add_box_track


def _box(media):
    return add_box_track(media["id"], 5, 40, [Keyframe(5, Box(20, media["height"] * 0.6, 60, 40))])


@pytest.mark.parametrize("variant", ["cfr", "vfr", "bframes", "rotated"])
def test_export_checks_its_packets_while_encoding(variant, video_file, make_case, tmp_path):
    from reviewer.export.video import export_video

    store, (media,) = make_case(video_file(variant))
    apply(store, _box(media))
    result = export_video(store, media, tmp_path / "o.mp4", preset="ultrafast")
    names = [c.name for c in result.checks]
    assert all(c.ok for c in result.checks), [c.line() for c in result.checks]
    assert "written" in names, "the file was decoded again instead of its packets being matched"
    assert {"frame count", "frame times", "boxes", "picture", "audio"} <= set(names)


def test_a_file_that_is_not_the_checked_stream_is_decoded_in_full(video_file, make_case, tmp_path):
    """Packets checked while encoding one export, then a file without the box put in its
    place: the packets differ, so verification decodes that file and finds the box missing."""
    from reviewer.export.expect import video_expect
    from reviewer.export.frame_checks import soft_readback
    from reviewer.export.source import load_source_index
    from reviewer.export.stream_verify import StreamVerifier
    from reviewer.export.verify import verify_video
    from reviewer.export.video import encode_video, export_video
    from reviewer.progress import Progress

    store, (media,) = make_case(video_file("cfr"))
    bare = tmp_path / "bare.mp4"
    export_video(store, media, bare, preset="ultrafast", verify=False, sidecar=False)
    apply(store, _box(media))
    index = load_source_index(store, media)
    expect = video_expect(store, media, index, None)
    stream = StreamVerifier(expect, readback=soft_readback(expect))
    burned = tmp_path / "burned.mp4"
    encode_video(media["path"], burned, index, expect, preset="ultrafast", crf=18,
                 progress=Progress(), on_packet=stream.feed)
    checks = verify_video(bare, expect, stream=stream)
    by_name = {c.name: c for c in checks}
    assert "written" not in by_name
    assert not by_name["boxes"].ok, by_name["boxes"].line()
    # and the stream itself, matched with the file it was written to, passes
    stream = StreamVerifier(expect, readback=soft_readback(expect))
    encode_video(media["path"], burned, index, expect, preset="ultrafast", crf=18,
                 progress=Progress(), on_packet=stream.feed)
    checks = verify_video(burned, expect, stream=stream)
    assert all(c.ok for c in checks) and "written" in {c.name for c in checks}
