from __future__ import annotations

import threading

import numpy as np
import pytest

from reviewer.errors import ReviewerError
from reviewer.pdf.render import close_thread_documents, page_words, render_page, thumbnail
from reviewer.pdf.search import find_matches


def test_render_size_stride_and_rotation(production):
    w, h, stride, data = render_page(production.path, 1, 1.5)
    assert (w, h) == (918, 1188) and stride == w * 3 and len(data) == stride * h
    img = np.frombuffer(data, np.uint8)
    assert img.min() < 50 and img.max() == 255  # ink on paper
    w, h, _s, _d = render_page(production.path, production.rotated_page, 1.0)
    assert (w, h) == (792, 612)


def test_threads_each_render_the_same_pixels(production):
    want = {p: render_page(production.path, p, 0.5)[3] for p in (1, 2, 3)}
    got: dict[tuple[int, int], bytes] = {}
    errors: list[BaseException] = []

    def work(tid: int) -> None:
        try:
            for _ in range(3):
                for p in (1, 2, 3):
                    got[(tid, p)] = render_page(production.path, p, 0.5)[3]
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            close_thread_documents()

    threads = [threading.Thread(target=work, args=(t,)) for t in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(got[(t, p)] == want[p] for t in range(3) for p in (1, 2, 3))


def test_thumbnail_and_bad_requests(production):
    w, h, _s, _d = thumbnail(production.path, 1, 160)
    assert max(w, h) == 160
    with pytest.raises(ReviewerError):
        render_page(production.path, 99, 1.0)
    with pytest.raises(ReviewerError):
        render_page(production.path, 1, 1000.0)


def test_page_words_agree_with_search_rects(production):
    for page_no in (1, production.rotated_page, production.scanned_page):
        match = find_matches(production.path, "email", pages=[page_no])[0]
        word = next(w for w in page_words(production.path, page_no) if w.text == match.text)
        got = (word.x0_pt, word.y0_pt, word.x1_pt, word.y1_pt)
        if page_no == production.scanned_page:
            # hidden OCR text: the match's box is the word's, grown to cover the ink beneath
            r = match.rects[0]
            assert r[0] <= got[0] and r[1] <= got[1] and r[2] >= got[2] and r[3] >= got[3]
        else:
            # visible text: the match's box is round the glyphs' ink, inside
            # the word's font box but for the anti-aliasing margin, and as long as the word
            r = match.rects[0]
            long_side = 0 if page_no != production.rotated_page else 1
            assert np.allclose(got[long_side::2], r[long_side::2], atol=1.0), (page_no, got, r)
            assert got[1 - long_side] - 1 <= r[1 - long_side] and r[3 - long_side] <= got[3 - long_side] + 1
