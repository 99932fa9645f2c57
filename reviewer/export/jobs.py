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
               progress: Any = None) -> dict:
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store

    with CaseStore.open(case) as store:
        row = media_store.get_media(store, media_id)
        try:
            if row["kind"] == "pdf":
                from reviewer.export.pdf import export_pdf

                res = export_pdf(store, row, out, rasterize=rasterize, progress=progress)
            else:
                from reviewer.errors import ReviewerError
                from reviewer.export.video import export_video

                if rasterize:
                    raise ReviewerError(f"{row['name']}: --rasterize is for PDFs, not videos")
                res = export_video(store, row, out, preset=preset, crf=crf, progress=progress)
        except ExportFailed as exc:
            return {"ok": False, "message": str(exc), "checks": _rows(exc.checks)}
    return {"ok": True, "checks": _rows(res.checks), "path": str(res.path),
            "sidecar": str(res.sidecar) if res.sidecar else None}


def verify_job(path: str, case: str | None, progress: Any = None) -> list[tuple[str, bool, str]]:
    from reviewer.export.verify import verify_path

    return _rows(verify_path(path, case, progress))


def checks_of(rows: list[tuple[str, bool, str]]) -> list[Check]:
    return [Check(n, ok, d) for n, ok, d in rows]


def remove_partials(out: Path) -> None:
    """Temporary files of an export whose process died before it could clean up."""
    for p in out.parent.glob(f".{out.name}.*.part"):
        p.unlink(missing_ok=True)
    side = out.with_name(out.name + ".verify.json")
    for p in out.parent.glob(f".{side.name}.*.part"):
        p.unlink(missing_ok=True)
