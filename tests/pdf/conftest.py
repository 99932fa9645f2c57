from __future__ import annotations

import pytest

from fixtures.pdfs import make_broken_pdfs, make_production_pdf, make_secrets_pdf, make_withheld_pdf


@pytest.fixture(scope="session")
def production(tmp_path_factory):
    return make_production_pdf(tmp_path_factory.mktemp("prod") / "production.pdf")


@pytest.fixture(scope="session")
def withheld_pdf(tmp_path_factory):
    path = tmp_path_factory.mktemp("withheld") / "withheld.pdf"
    truth = make_withheld_pdf(path)
    return path, truth


@pytest.fixture(scope="session")
def broken(tmp_path_factory):
    return make_broken_pdfs(tmp_path_factory.mktemp("broken"))


@pytest.fixture(scope="session")
def secrets_pdf(tmp_path_factory):
    return make_secrets_pdf(tmp_path_factory.mktemp("secrets") / "secrets.pdf")
