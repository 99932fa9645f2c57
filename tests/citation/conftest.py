"""The bundle tests' shared case, built once per session (encoding is the slow part)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from citation.case import Built, make_case


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Built:
    # The bundle is made by the command line, in a process of its own, as a user makes it:
    # the reproducibility test compares it with a second command-line run, and a bundle made
    # inside this long-lived test process would carry whatever state earlier tests left in
    # the libraries it shares (MuPDF's anti-aliasing, OpenCV's threads).
    root = tmp_path_factory.mktemp("bundle_case")
    store, media, prod, exhibit_ids = make_case(root)
    store.close()
    out = root / "out" / "bundle"
    out.parent.mkdir()
    run = subprocess.run([sys.executable, "-m", "reviewer", "bundle", str(root / "case"), "--out", str(out)],
                         capture_output=True, text=True, timeout=900, check=False)
    assert run.returncode == 0, run.stderr
    return Built(root / "case", out, media, prod, exhibit_ids)
