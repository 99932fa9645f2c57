"""``reviewer verify PATH [--case CASE]``: re-check an export (file) or a bundle (folder)."""
from __future__ import annotations

from argparse import Namespace
from pathlib import Path

from reviewer.errors import ReviewerError

VERIFY_TIMEOUT_S = 12 * 3600.0


def cmd_verify(args: Namespace) -> int:
    path = Path(args.path)
    if path.is_dir():
        try:
            from reviewer.citation.verify import verify_bundle
        except ImportError:
            raise ReviewerError(f"{args.path}: checking bundles is not available in this build "
                                "(reviewer.citation.verify is missing)") from None
        checks = list(verify_bundle(path))
    elif path.is_file():
        from reviewer.export.jobs import checks_of
        from reviewer.sandbox import Sandbox

        case = str(Path(args.case).resolve()) if getattr(args, "case", None) else None
        with Sandbox() as box:
            rows = box.run("reviewer.export.jobs:verify_job", (str(path.resolve()), case),
                           label=path.name, timeout=VERIFY_TIMEOUT_S)
        checks = checks_of(rows)
    else:
        raise ReviewerError(f"{args.path}: no such file or folder")
    for c in checks:
        print(c.line(), flush=True)
    if not checks:
        raise ReviewerError(f"{args.path}: nothing to check")
    return 0 if all(c.ok for c in checks) else 1
