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

from PySide6.QtCore import QRect, QSettings, Qt

from reviewer.ui.case import dock_layout

PICTURE_SHARE = 0.5  # of the window's width, at least, for the video picture by default


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
    compact = is_compact(available)
    case_left = available.width() >= dock_layout.CASE_LEFT_FROM_PX
    dock_layout.arrange(win, compact, case_left)
    s = settings()
    saved = s.value("window/rect") if restore else None
    rect = saved if isinstance(saved, QRect) and saved.isValid() else default_rect(available)
    state = s.value("window/state") if restore else None
    if state is not None and s.value("window/layout", "") == layout_name(win):
        win.restoreState(state)
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


def whole_tabs_width(win: Any) -> int:
    """The width the widest group of dock tabs needs to show every title whole."""
    from PySide6.QtWidgets import QTabBar

    bars = [b for b in win.findChildren(QTabBar) if b.parent() is win and b.count() > 1]
    return max((sum(b.tabSizeHint(i).width() for i in range(b.count())) + 6 for b in bars),
               default=0)


def give_picture_room(win: Any) -> None:
    """The central splitter gives the picture at least half the window's width (the page
    beside it the rest), and the docks give way down to their minimum widths."""
    want = int(win.width() * PICTURE_SHARE)
    split = win.split
    total = sum(split.sizes()) or split.width()
    if total < want + win.doc.minimumSizeHint().width() + split.handleWidth():
        side = [d for d in win.docks.values() if not d.isFloating() and d.isVisible()
                and win.dockWidgetArea(d) in (Qt.LeftDockWidgetArea, Qt.RightDockWidgetArea)]
        if side:
            # down to their minimum; the Case list keeps what its names need (up to its cap)
            from reviewer.ui.case.dock_layout import items_cap

            widths = [max(d.widget().minimumWidth(), d.widget().minimumSizeHint().width(), 150)
                      for d in side]
            tabs = 0 if getattr(win, "compact_layout", False) else whole_tabs_width(win)
            for i, d in enumerate(side):
                if d.widget() is win.items:
                    widths[i] = max(widths[i], min(win.items.wanted_width + 4, items_cap(win)))
                if win.dockWidgetArea(d) == Qt.RightDockWidgetArea:
                    widths[i] = max(widths[i], tabs)  # every tab title whole, no scrolling
            win.resizeDocks(side, widths, Qt.Horizontal)
        total = sum(split.sizes()) or split.width()
    video = max(min(want, total - win.doc.minimumSizeHint().width()), total // 2)
    for _ in range(2):  # a narrowed page pane drops its thumbnails, and its minimum with them
        split.setSizes([video, max(0, total - video)])


def favor(win: Any, kind: str) -> None:
    """The item opened gets the room: a video's picture half the window (as placed), a
    document's pages as much as the picture can spare (its controls keep their minimum)."""
    if kind == "video":
        give_picture_room(win)
        return
    split = win.split
    total = sum(split.sizes()) or split.width()
    video = max(win.video.minimumSizeHint().width(), total // 3)
    split.setSizes([video, max(0, total - video)])


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
