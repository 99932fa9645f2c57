"""Export and verify jobs as plain, picklable functions, so the CLI can run them in the
sandbox child (reviewer.sandbox): a decoder crash on a hostile file then costs an error
line, not the process."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from reviewer.export.checks import Check, ExportFailed


def _rows(checks: Any) -> list[tuple[str, bool, str]]:
    return [(c.name, bool(c.ok), c.detail) for c in checks]


def export_job(case: str, media_id: int, out: str, preset: str, crf: int, rasterize: bool,
               stage: bool = False, progress: Any = None) -> dict:
    """Export one item. ``stage``: leave the verified file staged (``result["staged"]``,
    ``result["staged_sidecar"]``) for the calling process to put in place with
    :func:`publish_result`, so that a caller killed before that leaves nothing at ``out``."""
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store

    with CaseStore.open(case) as store:
        row = media_store.get_media(store, media_id)
        try:
            if row["kind"] == "pdf":
                from reviewer.export.pdf import export_pdf

                res = export_pdf(store, row, out, rasterize=rasterize, publish=not stage,
                                 progress=progress)
            else:
                from reviewer.errors import ReviewerError
                from reviewer.export.video import export_video

                if rasterize:
                    raise ReviewerError(f"{row['name']}: --rasterize is for PDFs, not videos")
                res = export_video(store, row, out, preset=preset, crf=crf, publish=not stage,
                                   progress=progress)
        except ExportFailed as exc:
            return {"ok": False, "message": str(exc), "checks": _rows(exc.checks)}
    side = str(res.sidecar) if res.sidecar else None
    if stage:
        return {"ok": True, "checks": _rows(res.checks), "path": out, "staged": str(res.path),
                "staged_sidecar": side}
    return {"ok": True, "checks": _rows(res.checks), "path": str(res.path), "sidecar": side}


def publish_result(result: dict) -> None:
    """Put a staged export (``export_job(..., stage=True)``) in place under its output name."""
    from reviewer.export.publish import publish_files

    side = result.get("staged_sidecar")
    publish_files(Path(result["staged"]), Path(side) if side else None, Path(result["path"]))


def check_staged(path: str, kind: str, expect: Any, original: str, original_sha256: str,
                 index: bytes | None, label: str) -> list[tuple[str, bool, str]]:
    """The checks that prove a batch worker's staged export redacted, run again by the
    coordinator (in its sandbox child) against what the case expects: for a video every
    frame's time and boxes, muted audio, and sampled frames compared with the original
    outside the boxes; for a PDF the pages, what is under the boxes, the redacted text itself
    searched for in the original's words, and hidden content."""
    if kind == "video":
        from reviewer.export.verify import verify_video
        from reviewer.media.index import FrameIndex

        row = {"name": expect.source_name or label, "path": original, "sha256": original_sha256}
        assert index is not None
        return _rows(verify_video(path, expect, source=(row, FrameIndex.from_bytes(index)),
                                  label=label))
    from reviewer.export.pdf import with_original_text
    from reviewer.export.pdf_verify import verify_pdf

    return _rows(verify_pdf(path, with_original_text(expect, original)))


def verify_job(path: str, case: str | None, progress: Any = None) -> list[tuple[str, bool, str]]:
    from reviewer.export.verify import verify_path

    return _rows(verify_path(path, case, progress))


def checks_of(rows: list[tuple[str, bool, str]]) -> list[Check]:
    return [Check(n, ok, d) for n, ok, d in rows]


def remove_partials(out: Path, owners: set[int] | None = None) -> int:
    """Temporary files of an export to ``out`` whose process died, or was one of ``owners``."""
    from reviewer.export.publish import remove_partials as remove

    return remove(out, owners)
