"""The window on the screen it opens on: the layout chosen by the screen's size, the saved
size and place clamped to that screen, the picture given at least half the width.

Geometry is saved as the frame's top-left corner and the client size (and whether the window
was maximised), and restored the same way (move() places the frame, resize() the client),
not as Qt's saveGeometry blob: restoring that blob on X11 placed the window a title bar lower
each launch, and a layout saved on a tall screen reopened taller than a laptop's. The dock
arrangement (saveState) is restored only when it fits; else the default layout for this
screen is used.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QRect, QSettings, Qt, QTimer

from reviewer.ui.case import dock_layout

PICTURE_SHARE = 0.5  # of the window's width, at least, for the video picture by default
PAGE_ROOM = 320  # pixels the page beside the picture gets before the Case list its whole names


def settings() -> QSettings:
    return QSettings("Reviewer", "Reviewer")


def is_compact(available: QRect) -> bool:
    return available.width() < dock_layout.COMPACT_BELOW_PX or available.height() < 760


def clamp(rect: QRect, available: QRect) -> QRect:
    """``rect`` made to fit inside ``available`` (smaller first, then moved in)."""
    w, h = min(rect.width(), available.width()), min(rect.height(), available.height())
    x = min(max(rect.x(), available.left()), available.right() + 1 - w)
    y = min(max(rect.y(), available.top()), available.bottom() + 1 - h)
    return QRect(x, y, w, h)


def default_rect(available: QRect) -> QRect:
    w, h = min(2560, available.width()), min(1600, available.height())
    return QRect(available.left() + (available.width() - w) // 2,
                 available.top() + (available.height() - h) // 2, w, h)


def place(win: Any, available: QRect | None = None, restore: bool = True) -> None:
    """Lay the window out for ``available`` (the screen's free area: the window's own screen
    when None) and put it there: the saved place and docks when they fit, else defaults."""
    available = available or win.screen().availableGeometry()
    if getattr(win, "_user_layout", None) is None:
        win._user_layout = UserLayout(win)
    compact = is_compact(available)
    case_left = available.width() >= dock_layout.CASE_LEFT_FROM_PX
    dock_layout.arrange(win, compact, case_left)
    s = settings()
    saved = s.value("window/rect") if restore else None
    rect = saved if isinstance(saved, QRect) and saved.isValid() else default_rect(available)
    state = s.value("window/state") if restore else None
    if state is not None and s.value("window/layout", "") == layout_name(win):
        # at the size they were saved at: restored into a smaller window, the docks shrink
        apply_rect(win, clamp(rect, available))
        win.user_docks = bool(win.restoreState(state))  # the user's widths are kept
        dock_layout.no_elided_tabs(win)
    # the docks were stacked one above the other until arranged: the window's minimum height
    # must be worked out again now they are tabbed, or it keeps the stacked height
    win.layout().invalidate()
    win.layout().activate()
    apply_rect(win, clamp(rect, available))
    if restore and s.value("window/maximized", False, bool):
        win.setWindowState(win.windowState() | Qt.WindowMaximized)
    fit(win, available)
    win._placed = (QRect(available), QRect(win.pos(), win.size()))


def shown(win: Any) -> None:
    """Once shown, the frame's size is known: fit the window, frame and all, on the screen it
    was placed for (unless it was moved or resized since it was placed)."""
    placed = getattr(win, "_placed", None)
    if placed is not None and placed[1] == QRect(win.pos(), win.size()):
        fit(win, placed[0])
    win._placed = None
    dock_layout.hide_spare_bars(win)


def frame_extra(win: Any) -> tuple[int, int]:
    """The title bar and borders around the client area (known once the window is shown)."""
    f, g = win.frameGeometry(), win.geometry()
    return max(0, f.width() - g.width()), max(0, f.height() - g.height())


def apply_rect(win: Any, rect: QRect) -> None:
    """``rect``: the frame's top-left corner and the client size."""
    win.resize(rect.size())
    win.move(rect.topLeft())


def fit(win: Any, available: QRect | None = None) -> None:
    """Keep the whole window, frame and all, inside ``available`` and the picture at least
    half its width."""
    available = available or win.screen().availableGeometry()
    if not win.isMaximized() and not win.isFullScreen():
        dw, dh = frame_extra(win)
        room = QRect(available.x(), available.y(), available.width() - dw, available.height() - dh)
        apply_rect(win, clamp(QRect(win.pos(), win.size()), room))
    give_picture_room(win)


def side_docks(win: Any, area: Qt.DockWidgetArea) -> list[Any]:
    """The panels docked in ``area`` that show (the current tab of each group)."""
    return [d for d in win.docks.values() if not d.isFloating() and d.isVisible()
            and win.dockWidgetArea(d) == area]


def dock_min(dock: Any) -> int:
    w = dock.widget()
    return max(w.minimumWidth(), w.minimumSizeHint().width(), 150)


def settle_docks(win: Any, picture: int) -> None:
    """The docks' default widths round a picture ``picture`` pixels wide. First come the
    picture and the page's minimum; then the right-hand column, as wide as its widest row of
    tabs (every title whole; they scroll only on screens narrower than 1280 pixels); then
    PAGE_ROOM for the page; then the Case list's column, what its longest name needs (up to
    a third of the window)."""
    from PySide6.QtWidgets import QStyle

    right = side_docks(win, Qt.RightDockWidgetArea)
    left = side_docks(win, Qt.LeftDockWidgetArea)
    sep = win.style().pixelMetric(QStyle.PM_DockWidgetSeparatorExtent, None, win)
    doc_min = win.doc.minimumSizeHint().width()
    room = win.width() - picture - win.split.handleWidth() - sep * (bool(right) + bool(left))
    r_min = max((dock_min(d) for d in right), default=0)
    r_want = max(r_min, dock_layout.tabs_width(win)) if right else 0
    l_min = max((dock_min(d) for d in left), default=0)
    l_want = l_min
    if win.docks.get("items") in left:
        l_want = max(l_min, min(win.items.wanted_width + 4, dock_layout.items_cap(win)))
    r_width = max(r_min, min(r_want, room - doc_min - l_min)) if right else 0
    l_width = max(l_min, min(l_want, room - max(doc_min, PAGE_ROOM) - r_width)) if left else 0
    if right or left:
        win.resizeDocks(right + left, [r_width] * len(right) + [l_width] * len(left),
                        Qt.Horizontal)
        win.layout().invalidate()  # the middle's new width, now rather than at the next paint
        win.layout().activate()
    settle_heights(win, right)


def least_height(panel: Any) -> int:
    """A panel's height with every row showing (a tall form's, not its scrolling minimum)."""
    scroll = getattr(panel, "panel_scroll", None)
    return scroll.needed() if scroll is not None else panel.minimumSizeHint().height()


def settle_heights(win: Any, shown: list[Any]) -> None:
    """Two groups stacked on the right share the column's height, the lower one (Redactions,
    Find and redact, Faces, Withheld, People) at least as tall as its tallest form needs, so
    none of them scrolls while the window has the height; the upper one at least its own
    least height."""
    column = sorted((d for d in shown if abs(d.x() - shown[0].x()) <= 2), key=lambda d: d.y())
    if len(column) != 2:
        return
    top, bottom = column
    total = top.height() + bottom.height()
    group = [bottom, *win.tabifiedDockWidgets(bottom)]
    chrome = bottom.height() - bottom.widget().height()  # its title bar
    want = max(least_height(d.widget()) for d in group) + chrome
    upper = [top, *win.tabifiedDockWidgets(top)]
    low = max(top.minimumSizeHint().height(), top.height() - top.widget().height()
              + max(d.widget().minimumSizeHint().height() for d in upper))
    height = max(bottom.minimumSizeHint().height(), min(max(want, total // 2), total - low))
    win.resizeDocks([top, bottom], [total - height, height], Qt.Vertical)


def give_picture_room(win: Any) -> None:
    """The default layout round the picture: at least half the window's width for it, the
    page beside it the rest of the middle, the docks their default widths (settle_docks).
    Docks the user dragged or restored keep their widths, and a middle split the user
    dragged keeps its place."""
    want = int(win.width() * PICTURE_SHARE)
    split = win.split
    doc_min = win.doc.minimumSizeHint().width()
    if not getattr(win, "user_docks", False):
        settle_docks(win, want)
    if getattr(win, "user_split", False):
        return
    total = sum(split.sizes()) or split.width()
    video = max(min(want, total - doc_min), total // 2)
    for _ in range(2):  # a narrowed page pane drops its thumbnails, and its minimum with them
        split.setSizes([video, max(0, total - video)])


def favor(win: Any, kind: str) -> None:
    """The item opened gets the room. While a video is open its picture keeps at least half
    the window, a document opened beside it included: the page gets what the picture and
    the docks leave. A document alone gets as much as the empty picture can spare."""
    video_open = getattr(win.view, "video_id", None) is not None
    if kind == "video" or video_open:
        give_picture_room(win)
        return
    if getattr(win, "user_split", False):
        return
    split = win.split
    total = sum(split.sizes()) or split.width()
    video = max(win.video.minimumSizeHint().width(), total // 3)
    split.setSizes([video, max(0, total - video)])


class UserLayout(QObject):
    """Notes when the user drags a separator between the docks (a press on the window's own
    area, which only the separators leave bare) or the middle split, so that opening an
    item no longer puts the default widths back; and lays the default widths out again when
    the window is resized (else the picture alone would give up what the window loses)."""

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.win = win
        self.later = QTimer(self)
        self.later.setSingleShot(True)
        self.later.timeout.connect(lambda: win.isVisible() and give_picture_room(win))
        win.installEventFilter(self)
        win.split.splitterMoved.connect(lambda *_: setattr(win, "user_split", True))

    def eventFilter(self, obj: Any, event: Any) -> bool:
        if obj is self.win and event.type() == QEvent.MouseButtonPress \
                and self.win.childAt(event.position().toPoint()) is None:
            self.win.user_docks = True
        elif obj is self.win and event.type() == QEvent.Resize:
            self.later.start(0)  # once, after the resizes of one move have been handled
        return False


def save(win: Any) -> None:
    s = settings()
    normal = win.normalGeometry() if win.isMaximized() else win.geometry()
    dx, dy = win.geometry().x() - win.pos().x(), win.geometry().y() - win.pos().y()
    s.setValue("window/rect", QRect(normal.x() - dx, normal.y() - dy, normal.width(),
                                    normal.height()))
    s.setValue("window/maximized", win.isMaximized())
    s.setValue("window/state", win.saveState())
    s.setValue("window/layout", layout_name(win))


def layout_name(win: Any) -> str:
    """The layout saved docks belong to: they are restored only into the same one."""
    if getattr(win, "compact_layout", False):
        return "compact"
    return "wide" if getattr(win, "case_left", True) else "medium"
