"""The bundle tests' shared case, built once per session (encoding is the slow part)."""
from __future__ import annotations

import pytest

from citation.case import Built, make_case


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Built:
    from reviewer.citation.bundle import build_bundle

    root = tmp_path_factory.mktemp("bundle_case")
    store, media, prod, exhibit_ids = make_case(root)
    out = root / "out" / "bundle"
    build_bundle(store, out)
    store.close()
    return Built(root / "case", out, media, prod, exhibit_ids)
