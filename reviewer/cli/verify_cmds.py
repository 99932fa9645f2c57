"""``reviewer verify PATH [--case CASE]``: re-check an export (file), a folder written by
``export --all``, or a bundle (folder)."""
from __future__ import annotations

from argparse import Namespace
from pathlib import Path

from reviewer.cli.progress_bar import Bar, wanted
from reviewer.errors import ReviewerError
from reviewer.inert import shown_line

VERIFY_TIMEOUT_S = 12 * 3600.0


def cmd_verify(args: Namespace) -> int:
    from reviewer.batch.export_batch import MANIFEST

    path = Path(args.path)
    case = str(Path(args.case).resolve()) if getattr(args, "case", None) else None
    if not path.is_dir():
        _finish_publish(path)
    if path.is_dir() and (path / MANIFEST).is_file() and not (path / "index.json").exists():
        checks = _verify_exports(args, path, case)
    elif path.is_dir():
        try:
            from reviewer.citation.verify import verify_bundle
        except ImportError:
            raise ReviewerError(f"{args.path}: checking bundles is not available in this build "
                                "(reviewer.citation.verify is missing)") from None
        with Bar(f"verify {path.name}", wanted(args), fraction_only=True) as bar:
            checks = list(verify_bundle(path, bar.progress(), case=case))
    elif path.is_file():
        checks = _verify_files(args, [path], case)
    else:
        raise ReviewerError(f"{args.path}: no such file or folder")
    for c in checks:
        print(shown_line(c.line()), flush=True)
    if not checks:
        raise ReviewerError(f"{args.path}: nothing to check")
    return 0 if all(c.ok for c in checks) else 1


def _finish_publish(path: Path) -> None:
    """An export whose publish a kill interrupted is completed first (the rule is in
    reviewer.export.publish.publish_files), so the pair checked is the pair written."""
    from reviewer.export.publish import recover

    try:
        recover(path)
    except OSError:
        pass  # a read-only copy: checked as it is


def _verify_files(args: Namespace, paths: list[Path], case: str | None) -> list:
    """Each file re-checked in the sandbox child, its progress shown as one bar."""
    from reviewer.export.jobs import checks_of
    from reviewer.progress import BatchProgress
    from reviewer.sandbox import Sandbox

    checks = []
    with Bar("verify", wanted(args), fraction_only=True) as bar, Sandbox() as box:
        batch = BatchProgress(bar.progress())
        batch.plan({str(p): 1 for p in paths})
        for p in paths:
            rows = box.run("reviewer.export.jobs:verify_job", (str(p.resolve()), case),
                           label=p.name, timeout=VERIFY_TIMEOUT_S, progress=batch.item(str(p), p.name))
            batch.finish(str(p))
            found = checks_of(rows)
            if len(paths) > 1:
                from reviewer.export.checks import Check

                found = [Check(f"{p.name}: {c.name}", c.ok, c.detail) for c in found]
            checks += found
    return checks


def _verify_exports(args: Namespace, folder: Path, case: str | None) -> list:
    """A folder from ``export --all``: every file its record lists, against its sidecar
    (or the case), and that nothing listed is missing."""
    from reviewer.batch.export_batch import load_manifest
    from reviewer.export.checks import Check

    items = load_manifest(folder)["items"]
    missing = [Check(f"{e.get('file')}", False, "listed but missing")
               for e in items.values() if not (folder / str(e.get("file"))).is_file()]
    present = sorted(folder / str(e["file"]) for e in items.values() if (folder / str(e.get("file"))).is_file())
    return missing + (_verify_files(args, present, case) if present else [])
