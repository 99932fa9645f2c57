"""The documents are the project's own: every relative link in README.md and docs/ opens a
file of the repository (and its #anchor a heading there), every command and option of the
`reviewer` parser is described in docs/CLI.md, and nothing tracked points outside the
repository (to a sibling `shared` folder, as an early checkout did)."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md"), *(ROOT / "resources").rglob("*.md")])
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^```.*?^```", re.M | re.S)
OUTSIDE = "/".join(["..", "shared"])  # spelled apart so this file does not match itself


def _links(md: Path) -> list[str]:
    text = FENCE.sub("", md.read_text(encoding="utf-8"))
    text = re.sub(r"`[^`\n]*`", "", text)  # code spans are not links
    return LINK.findall(text)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(md: Path) -> set[str]:
    text = FENCE.sub("", md.read_text(encoding="utf-8"))
    return {_slug(m) for m in re.findall(r"^#{1,6}\s+(.+?)\s*#*$", text, re.M)}


def test_the_documents_are_there():
    names = {p.relative_to(ROOT).as_posix() for p in DOCS}
    for want in ("README.md", "docs/CLI.md", "docs/ARCHITECTURE.md", "docs/GLOSSARY.md",
                 "docs/decisions/README.md", "resources/README.md", "resources/licenses/README.md"):
        assert want in names
    assert len([p for p in DOCS if p.parent.name == "decisions"]) >= 6


@pytest.mark.parametrize("md", DOCS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_open(md):
    links = _links(md)
    bad = []
    for link in links:
        if re.match(r"^[a-z][a-z0-9+.-]*:", link):  # http:, https:, mailto:
            continue
        target, _, anchor = link.partition("#")
        path = (md.parent / target).resolve() if target else md
        if not path.exists() or ROOT not in (path, *path.parents):
            bad.append(f"{link}: no such file in the repository")
        elif anchor and path.suffix == ".md" and anchor not in _anchors(path):
            bad.append(f"{link}: no heading #{anchor} in {path.relative_to(ROOT)}")
    assert not bad, f"{md.relative_to(ROOT)}:\n" + "\n".join(bad)


def test_the_readme_links_every_document():
    readme_links = {(ROOT / link.partition("#")[0]).resolve() for link in _links(ROOT / "README.md")}
    for doc in ("docs/CLI.md", "docs/ARCHITECTURE.md", "docs/GLOSSARY.md", "docs/decisions/README.md"):
        assert (ROOT / doc).resolve() in readme_links, f"README.md does not link {doc}"


def _tracked_files() -> list[Path]:
    git = shutil.which("git")
    if git and (ROOT / ".git").exists():
        out = subprocess.run([git, "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=str(ROOT), capture_output=True, check=True).stdout
        return [ROOT / p for p in out.decode().split("\0") if p]
    skip = {".git", ".venv", "dist", "build", "__pycache__", ".pytest_cache", ".hypothesis"}
    return [p for p in ROOT.rglob("*") if p.is_file() and not skip & set(p.relative_to(ROOT).parts)]


def test_no_tracked_file_points_outside_the_repository():
    files = _tracked_files()
    assert any(p.name == "test_docs.py" for p in files)
    bad = []
    for path in files:
        if not path.is_file():
            continue  # deleted in the work tree, not yet committed
        data = path.read_bytes()
        if OUTSIDE.encode() in data:
            line = data[:data.index(OUTSIDE.encode())].count(b"\n") + 1
            bad.append(f"{path.relative_to(ROOT)}:{line}")
    assert not bad, f"these refer to {OUTSIDE}, which is not part of the repository:\n" + "\n".join(bad)


def _parser_words() -> dict[str, list[str]]:
    """Each command of the `reviewer` parser ("redact box", "link", ...) with its options."""
    import argparse

    from reviewer.cli import build_parser

    out: dict[str, list[str]] = {}

    def walk(parser: argparse.ArgumentParser, prefix: str) -> None:
        for action in parser._actions:  # argparse keeps subcommands on this private list
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, f"{prefix} {name}".strip())
        if prefix:
            out[prefix] = [o for a in parser._actions for o in a.option_strings
                           if o.startswith("--") and o != "--help"]

    walk(build_parser(), "")
    return out


def test_every_command_and_option_is_in_the_cli_reference():
    text = (ROOT / "docs" / "CLI.md").read_text(encoding="utf-8")
    words = _parser_words()
    assert "redact box" in words and "link" in words and "--style" in words["redact box"]
    missing = []
    for command, options in sorted(words.items()):
        lines = [ln for ln in text.splitlines() if f"reviewer {command}" in ln]
        if not lines:
            missing.append(f"reviewer {command}")
            continue
        missing += [f"reviewer {command} {o}" for o in options if o not in text]
    assert not missing, "docs/CLI.md does not describe:\n" + "\n".join(missing)
