"""Per-item batch jobs as pure functions of (original path and SHA-256, settings).

A task carries everything its job needs: where the original is, the hash it must have, its
frame index, what the case says the export must contain. A worker (a local child process
or a Dask worker on another machine) never opens case.db: it checks the original's hash,
computes, and returns a plain result that the coordinator writes into the case (SQLite
keeps a single writer) or renames into place in the output folder.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reviewer.errors import MediaError
from reviewer.export.encoder import DEFAULT_PRESET
from reviewer.progress import Progress


@dataclass(frozen=True)
class Source:
    """An original as a worker sees it: no case, only the file and the hash it must have."""

    media_id: int
    name: str
    path: str
    sha256: str

    def row(self) -> dict[str, Any]:
        return {"id": self.media_id, "name": self.name, "path": self.path, "sha256": self.sha256}


@dataclass(frozen=True)
class DetectTask:
    source: Source
    index: bytes  # FrameIndex.to_bytes(): the case's frame numbering
    threshold: float
    max_side: int
    stride: int  # frames between two looks of the network within a shot (session.detect)
    frames: int  # the item's size for progress

    @property
    def key(self) -> str:
        return f"detect-{self.source.sha256[:16]}-{self.source.media_id}"


@dataclass(frozen=True)
class DetectOutcome:
    media_id: int
    scan: Any  # reviewer.media.facescan.FaceScan: detections, shot boundaries, frames searched
    frames: int
    # the SHA-256 of the file the worker read (before and after reading it): the coordinator
    # refuses detections made on any other bytes than the case's original
    source_sha256: str = ""


@dataclass(frozen=True)
class ExportTask:
    source: Source
    kind: str  # video | pdf
    expect: Any  # VideoExpect | PdfExpect built from the case
    out: str  # the output name; the worker leaves the verified file staged beside it
    index: bytes | None = None  # videos: FrameIndex.to_bytes()
    preset: str = DEFAULT_PRESET
    crf: int = 18
    rasterize: bool = False
    size: int = field(default=1)  # frames or pages, for progress

    @property
    def key(self) -> str:
        return f"export-{self.source.sha256[:16]}-{self.source.media_id}"


@dataclass(frozen=True)
class ExportOutcome:
    media_id: int
    ok: bool
    message: str
    checks: tuple[tuple[str, bool, str], ...]
    staged: str | None  # the verified file under its temporary name, for the coordinator
    sidecar: str | None  # to rename into place (reviewer.export.publish)
    source_sha256: str = ""  # the SHA-256 of the original the worker read


def verify_source(source: Source, when: str = "") -> str:
    """The file at the path must be the case's original (same SHA-256) before it is used:
    a worker may see another copy of the storage, and geometry made on one file must never
    be applied to another. Returns the hash. ``when="after"``: the file changed while it
    was read (a sync client replacing it), so what was read is not the original either."""
    from reviewer.hashing import sha256_file

    path = Path(source.path)
    if not path.is_file():
        raise MediaError(f"{source.name}: the original is missing ({path}); every worker must "
                         "see the originals at the same path")
    digest = sha256_file(path)
    if digest != source.sha256:
        why = "changed while it was read" if when == "after" else "is not the case's original"
        raise MediaError(f"{source.name}: the file at {path} {why} (its SHA-256 differs); not used")
    return digest


def run_detect(task: DetectTask, progress: Progress | None = None) -> DetectOutcome:
    """Every face the detector sees on every frame of the original."""
    from reviewer.media.index import FrameIndex
    from reviewer.session.detect import DetectSettings, scan_file

    progress = progress or Progress()
    verify_source(task.source)
    index = FrameIndex.from_bytes(task.index)
    settings = DetectSettings(threshold=task.threshold, max_side=task.max_side)
    scan = scan_file(task.source.path, task.source.name, index, settings, task.stride, progress)
    return DetectOutcome(task.source.media_id, scan, index.count, verify_source(task.source, "after"))


def run_export(task: ExportTask, progress: Progress | None = None) -> ExportOutcome:
    """The redacted, verified copy of the original, staged under a hidden name beside
    ``task.out`` with its sidecar; never at ``task.out`` itself (the coordinator puts it
    there, so a batch stopped at any moment leaves nothing under an output name)."""
    from reviewer.export.checks import ExportFailed

    progress = progress or Progress()
    out = Path(task.out)
    try:
        if task.kind == "video":
            from reviewer.export.video import export_video_file
            from reviewer.media.index import FrameIndex

            assert task.index is not None
            res = export_video_file(task.source.row(), FrameIndex.from_bytes(task.index),
                                    task.expect, out, preset=task.preset, crf=task.crf,
                                    progress=progress, publish=False)
        else:
            from reviewer.export.pdf import export_pdf_file

            res = export_pdf_file(task.source.row(), task.expect, out,
                                  rasterize=task.rasterize, progress=progress, publish=False)
    except ExportFailed as exc:
        return ExportOutcome(task.source.media_id, False, str(exc),
                             tuple((c.name, bool(c.ok), c.detail) for c in exc.checks),
                             None, None)
    return ExportOutcome(task.source.media_id, True, "",
                         tuple((c.name, bool(c.ok), c.detail) for c in res.checks),
                         str(res.path), str(res.sidecar) if res.sidecar else None,
                         verify_source(task.source, "after"))


def run_task(task: Any, progress: Progress | None = None) -> Any:
    """One entry point for every runner (the sandbox child calls it by name)."""
    if isinstance(task, DetectTask):
        return run_detect(task, progress)
    if isinstance(task, ExportTask):
        return run_export(task, progress)
    from reviewer.batch.speech_tasks import TranscribeTask, run_transcribe

    if isinstance(task, TranscribeTask):
        return run_transcribe(task, progress)
    from reviewer.batch.export_chunks import ExportChunkTask, run_export_chunk

    if isinstance(task, ExportChunkTask):  # one video's export split (export --chunks)
        return run_export_chunk(task, progress)
    from reviewer.batch.detect_all import DetectAllTask, run_detect_all

    if isinstance(task, DetectAllTask):  # faces and text on one decode (detect all)
        return run_detect_all(task, progress)
    from reviewer.batch.text_chunks import TextChunkTask, TextWalkTask, run_text_task

    if isinstance(task, (TextChunkTask, TextWalkTask)):  # one video's text pass split
        return run_text_task(task, progress)
    from reviewer.batch.detect_chunks import run_chunk_task  # one video split (--chunks)

    return run_chunk_task(task, progress)  # raises TypeError for anything else


def limit_threads(threads: int) -> None:
    """Size a worker's own thread pools so N workers share the machine's cores instead of
    each taking all of them (OpenCV's network; FFmpeg's decoders size themselves)."""
    from reviewer.batch.speech_tasks import THREADS

    THREADS[0] = max(1, int(threads))  # the speech recogniser's CTranslate2 threads
    try:
        import cv2

        cv2.setNumThreads(max(1, int(threads)))
    except ImportError:
        pass
