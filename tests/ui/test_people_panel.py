"""The People panel: the case's list of people, added to by typing and by importing a file,
removed from, the names finder's proposals accepted or rejected, and a person's names redacted
in every form by the same sweep as `redact text --pattern people` (boxes checked against the
command line's on a copy of the case). Built from a generated production."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.cli.clirun import ok


@pytest.fixture
def people_case(tmp_path: Path) -> tuple[Path, object]:
    from fixtures.production_scale import make_production

    from reviewer.session.importer import import_paths
    from reviewer.store import CaseStore

    src = tmp_path / "src"
    src.mkdir()
    truth = make_production(src / "prod.pdf", pages=6, seed=9)
    case = tmp_path / "case"
    with CaseStore.create(case) as store:
        import_paths(store, [src / "prod.pdf"])
    return case, truth


@pytest.fixture
def people_window(qtbot, people_case, tmp_path):
    from windows import open_window

    win = open_window(qtbot, people_case[0], tmp_path / "prefs.json")
    yield win
    win.close()


def _boxes(store) -> set[tuple[int, tuple[float, ...]]]:
    return {(int(r["page_no"]), tuple(round(v, 1) for v in json.loads(r["rect"])))
            for r in store.query("SELECT page_no, rect FROM redactions WHERE kind = 'page'")}


def test_people_panel_lists_adds_imports_removes_suggests_and_redacts(qtbot, people_window, people_case, tmp_path):
    from conftest import shot
    from fixtures.production_scale import PEOPLE
    from PySide6.QtCore import Qt

    from reviewer.session.people import read_people

    win = people_window
    case, truth = people_case
    panel = win.people.panel
    # reachable from its menu and from the Panels button
    assert win.actions["people_show"] in win.menuBar().actions()[-2].menu().actions() or \
        any(a is win.actions["people_show"] for m in win.menuBar().actions() if m.menu()
            for a in m.menu().actions())
    panel_action = next(a for a in win.panels_menu.actions() if a.objectName() == "panel-people")
    win.docks["people"].hide()
    panel_action.trigger()
    assert win.docks["people"].isVisible()

    # typed, then from a file; a line that is not a name is refused whole
    counts: dict[int, int] = {}
    for p in truth.of("name"):
        counts[p.person] = counts.get(p.person, 0) + 1
    first, second, third = sorted(counts, key=lambda k: -counts[k])[:3]
    typed = f"{PEOPLE[first][0]} {PEOPLE[first][1]}"
    qtbot.keyClicks(panel.name, typed)
    qtbot.keyClick(panel.name, Qt.Key_Return)
    assert panel.names() == [typed] and panel.name.text() == ""
    listing = tmp_path / "people.txt"
    listing.write_text(f"# witnesses\n{PEOPLE[second][1]}, {PEOPLE[second][0]}\n", encoding="utf-8")
    win.people.import_file(str(listing))
    assert len(panel.names()) == 2
    bad = tmp_path / "bad.txt"
    bad.write_text("see attached page 4\n", encoding="utf-8")
    win.people.import_file(str(bad))
    assert len(panel.names()) == 2 and "not a person's name" in win.statusBar().currentMessage()
    win.ctl.undo_stack.undo()  # the import is one undo step
    assert panel.names() == [typed]
    win.ctl.undo_stack.redo()
    assert len(panel.names()) == 2

    # the finder's proposals: the third person is proposed; accepted joins the list
    panel.suggest_button.click()
    qtbot.waitUntil(lambda: win.people.job is None and panel.suggest_button.isEnabled(), timeout=120000)
    proposed = [panel.suggestions.topLevelItem(i).text(0) for i in range(panel.suggestions.topLevelItemCount())]
    assert proposed, panel.summary.text()
    listed_keys = {n.casefold() for n in panel.names()}
    assert not any(n.casefold() in listed_keys for n in proposed)
    surname = PEOPLE[third][1].split()[0].split("-")[0]
    mine = next(i for i in range(panel.suggestions.topLevelItemCount())
                if surname.casefold() in panel.suggestions.topLevelItem(i).text(0).casefold())
    accepted = panel.suggestions.topLevelItem(mine).text(0)
    panel.suggestions.topLevelItem(mine).setSelected(True)
    panel.accept_button.click()
    assert accepted in panel.names()
    # a rejected proposal goes, and is not proposed again
    rest = panel.suggestions.topLevelItemCount()
    if rest:
        gone = panel.suggestions.topLevelItem(0).text(0)
        panel.suggestions.clearSelection()
        panel.suggestions.topLevelItem(0).setSelected(True)
        panel.reject_button.click()
        assert panel.suggestions.topLevelItemCount() == rest - 1
        panel.suggest_button.click()
        qtbot.waitUntil(lambda: win.people.job is None and panel.suggest_button.isEnabled(), timeout=120000)
        again = [panel.suggestions.topLevelItem(i).text(0) for i in range(panel.suggestions.topLevelItemCount())]
        assert gone not in again and accepted not in again

    # remove one
    panel.people.clearSelection()
    panel.people.item(panel.names().index(accepted)).setSelected(True)
    panel.remove_button.click()
    assert accepted not in panel.names() and accepted not in read_people(win.ctl.store)

    # redact the listed people's names: the same boxes as `redact text --pattern people`
    twin = tmp_path / "twin"
    shutil.copytree(case, twin)  # the list as the window left it, no boxes yet
    ok("redact", "text", twin, "--pattern", "people")
    panel.people.clearSelection()
    panel.redact_button.click()
    qtbot.waitUntil(lambda: panel.redact_button.isEnabled() and "mention(s)" in panel.summary.text(),
                    timeout=120000)
    from reviewer.store import CaseStore

    with CaseStore.open(twin) as cli_store:
        want = _boxes(cli_store)
    got = _boxes(win.ctl.store)
    assert want and got == want
    assert win.redact.find.panel.matches  # each hit listed to review
    n = len(got)
    shot(win, "people_panel")
    win.ctl.undo_stack.undo()  # every box in one step
    assert len(_boxes(win.ctl.store)) == 0 < n
