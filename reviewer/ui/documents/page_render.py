"""Page pictures rendered on the thread pool and delivered by signal (never on the GUI thread)."""
from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QImage

from reviewer.ui.case import media_access


class _Signals(QObject):
    rendered = Signal(str, int, float, QImage)  # path, page, zoom, image
    failed = Signal(str, int, str)


class _RenderTask(QRunnable):
    def __init__(self, signals: _Signals, path: str, page_no: int, zoom: float) -> None:
        super().__init__()
        self.signals, self.path, self.page_no, self.zoom = signals, path, page_no, zoom

    def run(self) -> None:
        try:
            w, h, stride, data = media_access.render_page(self.path, self.page_no, self.zoom)
            img = QImage(data, w, h, stride, QImage.Format_RGB888).copy()
        except Exception as exc:  # noqa: BLE001 - one line in the status bar
            self.signals.failed.emit(self.path, self.page_no, str(exc))
            return
        self.signals.rendered.emit(self.path, self.page_no, self.zoom, img)


class PageRenderer(QObject):
    """Asks once per (path, page, zoom); keeps the most recent pictures."""

    rendered = Signal(str, int, float)
    failed = Signal(str, int, str)

    def __init__(self, parent: QObject | None = None, cache_pages: int = 48) -> None:
        super().__init__(parent)
        self._signals = _Signals()
        self._signals.rendered.connect(self._on_task_rendered)
        self._signals.failed.connect(self._on_task_failed)
        self._cache: OrderedDict[tuple[str, int, float], QImage] = OrderedDict()
        self._asked: set[tuple[str, int, float]] = set()
        self._max = cache_pages
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)

    def get(self, path: str, page_no: int, zoom: float) -> QImage | None:
        key = (path, page_no, round(zoom, 3))
        img = self._cache.get(key)
        if img is not None:
            self._cache.move_to_end(key)
            return img
        if key not in self._asked:
            self._asked.add(key)
            self.pool.start(_RenderTask(self._signals, path, page_no, key[2]))
        return None

    def nearest(self, path: str, page_no: int) -> QImage | None:
        """Any cached picture of the page (shown scaled while the sharp one renders)."""
        for (p, n, _z), img in reversed(self._cache.items()):
            if p == path and n == page_no:
                return img
        return None

    def _on_task_rendered(self, path: str, page_no: int, zoom: float, img: QImage) -> None:
        key = (path, page_no, zoom)
        self._asked.discard(key)
        self._cache[key] = img
        while len(self._cache) > self._max:
            self._cache.popitem(last=False)
        self.rendered.emit(path, page_no, zoom)

    def _on_task_failed(self, path: str, page_no: int, why: str) -> None:
        self.failed.emit(path, page_no, why)

    def wait(self) -> None:
        self.pool.waitForDone()
