"""Declaring, labelling, reordering and removing exhibits (edit commands, no media decoding)."""
from __future__ import annotations

import pytest

from reviewer.citation import cites
from reviewer.citation.exhibits import (
    Span,
    declare,
    describe,
    display_labels,
    parse_range,
    relabel,
    remove,
    reorder,
)
from reviewer.cli import main
from reviewer.errors import ReviewerError
from reviewer.session.session import Session
from reviewer.store import CaseStore
from reviewer.store import media as media_store
from reviewer.store.exhibits import list_exhibits, next_seq


@pytest.fixture()
def case(tmp_path):
    store = CaseStore.create(tmp_path / "case")
    with store.write() as tx:
        vid = media_store.add_media(tx, kind="video", name="BWC-07.mp4", path="/x/BWC-07.mp4",
                                    sha256="a" * 64, size=10,
                                    fields={"frame_count": 90, "width": 320, "height": 240,
                                            "duration": 3.0, "fps": 30.0}, info={})
        pdf = media_store.add_media(tx, kind="pdf", name="prod.pdf", path="/x/prod.pdf",
                                    sha256="b" * 64, size=10, fields={"page_count": 6}, info={})
    yield store, media_store.get_media(store, vid), media_store.get_media(store, pdf)
    store.close()


def _declare(store, media, span, **kw):
    _, changes = Session(store).apply(declare(media, span, next_seq(store), **kw))
    return next(i for t, i in changes.row_ids if t == "exhibits")


def test_numbered_in_declared_order_with_default_labels(case):
    store, vid, pdf = case
    a = _declare(store, vid, Span("clip", 10, 20))
    b = _declare(store, pdf, Span("document", 2, 4), label="Pl. Ex. A")
    c = _declare(store, vid, Span("still", 15, 15), description="the stop")
    rows = list_exhibits(store)
    assert [r["id"] for r in rows] == [a, b, c]
    assert [r["seq"] for r in rows] == [1, 2, 3]
    assert display_labels(rows) == {a: "Ex. 1", b: "Pl. Ex. A", c: "Ex. 3"}
    assert rows[2]["description"] == "the stop"
    assert (rows[0]["frame_from"], rows[0]["frame_to"]) == (10, 20)
    assert (rows[1]["page_from"], rows[1]["page_to"]) == (2, 4)


@pytest.mark.parametrize("which,span,msg", [
    ("pdf", Span("clip", 0, 3), "is a document"),
    ("vid", Span("document", 1, 2), "is a video"),
    ("vid", Span("clip", 5, 90), "frame 90 is outside 0..89"),
    ("vid", Span("clip", 20, 10), "not a range"),
    ("vid", Span("still", -1, -1), "not a range"),
    ("pdf", Span("document", 0, 2), "pages count from 1"),
    ("pdf", Span("document", 2, 7), "page 7 is outside 1..6"),
])
def test_spans_are_checked_against_the_item(case, which, span, msg):
    store, vid, pdf = case
    with pytest.raises(ReviewerError, match=msg):
        declare(vid if which == "vid" else pdf, span, 1)
    assert list_exhibits(store) == []


def test_reorder_renumbers_and_undoes_exactly(case):
    store, vid, _pdf = case
    ids = [_declare(store, vid, Span("clip", i, i + 5)) for i in range(4)]
    session = Session(store)
    inverse, _ = session.apply(reorder(list_exhibits(store), ids[3], 0))
    rows = list_exhibits(store)
    assert [r["id"] for r in rows] == [ids[3], ids[0], ids[1], ids[2]]
    assert [r["seq"] for r in rows] == [1, 2, 3, 4]
    assert display_labels(rows)[ids[3]] == "Ex. 1"
    session.apply(inverse)
    assert [r["id"] for r in list_exhibits(store)] == ids


def test_relabel_describe_remove_and_undo(case):
    store, _vid, pdf = case
    ids = [_declare(store, pdf, Span("document", 1, i + 1)) for i in range(3)]
    session = Session(store)
    session.apply(relabel(ids[0], "  Def. Ex. 9 "))
    session.apply(describe(ids[0], "Arrest report"))
    before = list_exhibits(store)
    assert before[0]["label"] == "Def. Ex. 9" and before[0]["description"] == "Arrest report"
    inverse, _ = session.apply(remove(before, ids[1]))
    after = list_exhibits(store)
    assert [r["id"] for r in after] == [ids[0], ids[2]]
    assert display_labels(after)[ids[2]] == "Ex. 2"
    session.apply(inverse)
    assert list_exhibits(store) == before
    # every change went through the audit chain
    assert store.verify_audit() == []
    ops = [r["op"] for r in store.query("SELECT op FROM audit ORDER BY seq")]
    assert "edit.declare exhibit" in ops and "edit.remove exhibit" in ops


def test_parse_range():
    assert parse_range("3:9", "frame") == (3, 9)
    assert parse_range(" 4 ", "page") == (4, 4)
    with pytest.raises(ReviewerError, match="not a page range"):
        parse_range("a:b", "page")


def test_cites():
    assert cites.clip_cite("Ex. 3", "BWC-07.mp4", "00:03:12.480", "00:03:45.112") == \
        "Ex. 3 (BWC-07.mp4) at 00:03:12.480\u201300:03:45.112"
    assert cites.still_cite("Ex. 3", "BWC-07.mp4", "00:03:12.480") == "Ex. 3 (BWC-07.mp4) at 00:03:12.480"
    assert cites.document_cite("Ex. 5", 4, "ICE-2023-000123") == "Ex. 5 at ICE-2023-000123"
    assert cites.document_cite("Ex. 5", 4, None) == "Ex. 5 at p. 4"
    en = "\u2013"
    # a page range cites its range; a one-page exhibit its one number
    assert cites.document_cite("Ex. 3", 2, "ICE-2023-000124", 3, "ICE-2023-000125") == \
        f"Ex. 3 at ICE-2023-000124{en}000125"
    assert cites.document_cite("Ex. 3", 2, "ICE-2023-000124", 2, "ICE-2023-000124") == \
        "Ex. 3 at ICE-2023-000124"
    assert cites.document_cite("Ex. 3", 2, "ICE-2023-000999", 3, "ICE-2023-001000") == \
        f"Ex. 3 at ICE-2023-000999{en}001000"
    # another prefix or width: the last number in full
    assert cites.document_cite("Ex. 3", 2, "ICE-000999", 3, "DHS-001000") == \
        f"Ex. 3 at ICE-000999{en}DHS-001000"
    assert cites.document_cite("Ex. 3", 2, "A-99", 3, "A-100") == f"Ex. 3 at A-99{en}A-100"
    # a range whose last page has no Bates number is cited by pages, never half a range
    assert cites.document_cite("Ex. 3", 4, "ICE-1", 6, None) == f"Ex. 3 at pp. 4{en}6"
    assert cites.document_cite("Ex. 3", 4, None, 6, None) == f"Ex. 3 at pp. 4{en}6"


def test_cli_exhibit_prints_id_and_one_error_line(case, capsys):
    store, _vid, pdf = case
    folder = str(store.folder)
    # the CLI is another process's view of the case: let it see a checkpointed file
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert main(["exhibit", folder, "BWC-07.mp4", "--frames", "3:40", "--label", "Clip"]) == 0
    new_id = int(capsys.readouterr().out.strip())
    assert main(["exhibit", folder, str(pdf["id"]), "--pages", "2:3"]) == 0
    second = int(capsys.readouterr().out.strip())
    assert main(["exhibit", folder, "BWC-07.mp4", "--frame", "12"]) == 0
    third = int(capsys.readouterr().out.strip())
    rows = list_exhibits(store)
    assert [r["id"] for r in rows] == [new_id, second, third]
    assert [r["kind"] for r in rows] == ["clip", "document", "still"]
    for argv, word in ([["exhibit", folder, "prod.pdf", "--frame", "1"], "prod.pdf"],
                       [["exhibit", folder, "BWC-07.mp4", "--frames", "80:95"], "BWC-07.mp4"],
                       [["exhibit", folder, "nope.mp4", "--frame", "1"], "nope.mp4"]):
        assert main(argv) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("error:") and word in err[0]
    assert len(list_exhibits(store)) == 3


def test_labels_must_stay_unique(case):
    from reviewer.citation.bundle import build_bundle
    from reviewer.citation.exhibits import check_label_free, duplicate_labels

    store, vid, pdf = case
    a = _declare(store, vid, Span("clip", 0, 5))
    with pytest.raises(ReviewerError, match="already used by exhibit"):
        check_label_free(list_exhibits(store), "ex. 1")
    check_label_free(list_exhibits(store), "Ex. 1", exhibit_id=a)  # its own label is fine
    # a custom label that equals another exhibit's default number is caught at bundle time
    _declare(store, pdf, Span("document", 1, 1), label="Ex. 1")
    assert duplicate_labels(list_exhibits(store)) == ["Ex. 1"]
    with pytest.raises(ReviewerError, match="more than one exhibit is called 'Ex. 1'"):
        build_bundle(store, store.folder.parent / "bundle")
    assert not (store.folder.parent / "bundle").exists()


def test_clip_size_limit_comes_from_option_setting_or_default(case):
    from reviewer.citation.bundle import DEFAULT_MAX_CLIP_MB, SETTING_MAX_CLIP_MB, options_for

    store, _vid, _pdf = case
    assert options_for(store).max_clip_bytes == DEFAULT_MAX_CLIP_MB * 1_000_000
    with store.write() as tx:
        tx.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (SETTING_MAX_CLIP_MB, "25"))
    assert options_for(store).max_clip_bytes == 25_000_000
    assert options_for(store, 2.5).max_clip_bytes == 2_500_000
    with pytest.raises(ReviewerError, match="must be positive"):
        options_for(store, 0)
