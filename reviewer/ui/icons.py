"""One icon set, drawn with QPainter so every icon shares stroke, size and colour."""
from __future__ import annotations

from collections.abc import Callable
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

INK = QColor("#d8dee9")
ACCENT = QColor("#e0a526")
RED = QColor("#e06060")
SIZE = 32

Draw = Callable[[QPainter], None]
_DRAW: dict[str, Draw] = {}


def _icon(name: str) -> Callable[[Draw], Draw]:
    def reg(fn: Draw) -> Draw:
        _DRAW[name] = fn
        return fn
    return reg


def _poly(p: QPainter, pts: list[tuple[float, float]], fill: QColor = INK) -> None:
    p.setBrush(fill)
    p.drawPolygon(QPolygonF([QPointF(x, y) for x, y in pts]))


@_icon("play")
def _play(p: QPainter) -> None:
    _poly(p, [(10, 6), (26, 16), (10, 26)])


@_icon("pause")
def _pause(p: QPainter) -> None:
    p.setBrush(INK)
    p.drawRect(QRectF(9, 7, 5, 18))
    p.drawRect(QRectF(18, 7, 5, 18))


@_icon("step_back")
def _step_back(p: QPainter) -> None:
    _poly(p, [(22, 7), (10, 16), (22, 25)])
    p.drawRect(QRectF(7, 7, 3, 18))


@_icon("step_fwd")
def _step_fwd(p: QPainter) -> None:
    _poly(p, [(10, 7), (22, 16), (10, 25)])
    p.drawRect(QRectF(22, 7, 3, 18))


@_icon("home")
def _home(p: QPainter) -> None:
    _poly(p, [(26, 7), (16, 16), (26, 25)])
    _poly(p, [(17, 7), (7, 16), (17, 25)])


@_icon("end")
def _end(p: QPainter) -> None:
    _poly(p, [(6, 7), (16, 16), (6, 25)])
    _poly(p, [(15, 7), (25, 16), (15, 25)])


@_icon("open")
def _open(p: QPainter) -> None:
    path = QPainterPath()
    path.moveTo(4, 9); path.lineTo(12, 9); path.lineTo(14, 12); path.lineTo(28, 12)
    path.lineTo(28, 26); path.lineTo(4, 26); path.closeSubpath()
    p.setBrush(Qt.NoBrush)
    p.drawPath(path)


@_icon("new")
def _new(p: QPainter) -> None:
    p.setBrush(Qt.NoBrush)
    p.drawRect(QRectF(8, 5, 16, 22))
    p.drawLine(QPointF(12, 16), QPointF(20, 16))
    p.drawLine(QPointF(16, 12), QPointF(16, 20))


@_icon("import")
def _import(p: QPainter) -> None:
    p.drawLine(QPointF(16, 4), QPointF(16, 19))
    _poly(p, [(10, 14), (16, 21), (22, 14)])
    p.setBrush(Qt.NoBrush)
    p.drawPolyline(QPolygonF([QPointF(5, 20), QPointF(5, 27), QPointF(27, 27), QPointF(27, 20)]))


@_icon("video")
def _video(p: QPainter) -> None:
    p.setBrush(Qt.NoBrush)
    p.drawRoundedRect(QRectF(4, 8, 18, 16), 3, 3)
    _poly(p, [(22, 14), (28, 10), (28, 22), (22, 18)])


@_icon("pdf")
def _pdf(p: QPainter) -> None:
    p.setBrush(Qt.NoBrush)
    path = QPainterPath()
    path.moveTo(8, 4); path.lineTo(19, 4); path.lineTo(25, 10); path.lineTo(25, 28)
    path.lineTo(8, 28); path.closeSubpath()
    p.drawPath(path)
    for y in (14, 18, 22):
        p.drawLine(QPointF(11, y), QPointF(22, y))


@_icon("note")
def _note(p: QPainter) -> None:
    p.setBrush(Qt.NoBrush)
    p.drawRoundedRect(QRectF(5, 6, 22, 16), 3, 3)
    _poly(p, [(10, 22), (10, 28), (16, 22)])


@_icon("redact")
def _redact(p: QPainter) -> None:
    p.setBrush(Qt.NoBrush)
    p.drawRect(QRectF(4, 6, 24, 20))
    p.setBrush(INK)
    p.drawRect(QRectF(8, 11, 16, 5))
    p.drawRect(QRectF(8, 19, 10, 3))


@_icon("ellipse")
def _ellipse(p: QPainter) -> None:
    p.setBrush(Qt.NoBrush)
    p.drawEllipse(QRectF(5, 8, 22, 16))


@_icon("search")
def _search(p: QPainter) -> None:
    p.setBrush(Qt.NoBrush)
    p.drawEllipse(QRectF(5, 5, 15, 15))
    p.drawLine(QPointF(18, 18), QPointF(27, 27))


@_icon("undo")
def _undo(p: QPainter) -> None:
    path = QPainterPath()
    path.moveTo(9, 13); path.cubicTo(14, 5, 28, 8, 25, 22)
    p.setBrush(Qt.NoBrush)
    p.drawPath(path)
    _poly(p, [(4, 12), (12, 8), (12, 17)])


@_icon("redo")
def _redo(p: QPainter) -> None:
    path = QPainterPath()
    path.moveTo(23, 13); path.cubicTo(18, 5, 4, 8, 7, 22)
    p.setBrush(Qt.NoBrush)
    p.drawPath(path)
    _poly(p, [(28, 12), (20, 8), (20, 17)])


@_icon("zoom_in")
def _zoom_in(p: QPainter) -> None:
    _search(p)
    p.drawLine(QPointF(9, 12.5), QPointF(16, 12.5))
    p.drawLine(QPointF(12.5, 9), QPointF(12.5, 16))


@_icon("zoom_out")
def _zoom_out(p: QPainter) -> None:
    _search(p)
    p.drawLine(QPointF(9, 12.5), QPointF(16, 12.5))


@_icon("export")
def _export(p: QPainter) -> None:
    p.drawLine(QPointF(16, 21), QPointF(16, 6))
    _poly(p, [(10, 11), (16, 4), (22, 11)])
    p.setBrush(Qt.NoBrush)
    p.drawPolyline(QPolygonF([QPointF(5, 18), QPointF(5, 27), QPointF(27, 27), QPointF(27, 18)]))


@_icon("bundle")
def _bundle(p: QPainter) -> None:
    p.setBrush(Qt.NoBrush)
    p.drawRect(QRectF(5, 11, 22, 16))
    p.drawLine(QPointF(5, 11), QPointF(10, 5))
    p.drawLine(QPointF(27, 11), QPointF(22, 5))
    p.drawLine(QPointF(10, 5), QPointF(22, 5))
    p.drawLine(QPointF(13, 16), QPointF(19, 16))


@_icon("face")
def _face(p: QPainter) -> None:
    p.setBrush(Qt.NoBrush)
    p.drawEllipse(QRectF(6, 4, 20, 24))
    p.setBrush(INK)
    p.drawEllipse(QRectF(11, 12, 3, 3))
    p.drawEllipse(QRectF(18, 12, 3, 3))
    p.drawLine(QPointF(12, 21), QPointF(20, 21))


@_icon("eye")
def _eye(p: QPainter) -> None:
    path = QPainterPath()
    path.moveTo(3, 16); path.quadTo(16, 3, 29, 16); path.quadTo(16, 29, 3, 16)
    p.setBrush(Qt.NoBrush)
    p.drawPath(path)
    p.setBrush(INK)
    p.drawEllipse(QRectF(12, 12, 8, 8))


@_icon("link")
def _link(p: QPainter) -> None:
    p.setBrush(Qt.NoBrush)
    p.drawRoundedRect(QRectF(3, 11, 15, 10), 5, 5)
    p.drawRoundedRect(QRectF(14, 11, 15, 10), 5, 5)


@_icon("delete")
def _delete(p: QPainter) -> None:
    p.setBrush(Qt.NoBrush)
    p.drawRect(QRectF(9, 10, 14, 18))
    p.drawLine(QPointF(6, 10), QPointF(26, 10))
    p.drawLine(QPointF(13, 6), QPointF(19, 6))


@_icon("tag")
def _tag(p: QPainter) -> None:
    path = QPainterPath()
    path.moveTo(4, 6); path.lineTo(16, 6); path.lineTo(28, 18); path.lineTo(18, 28)
    path.lineTo(4, 16); path.closeSubpath()
    p.setBrush(Qt.NoBrush)
    p.drawPath(path)
    p.setBrush(INK)
    p.drawEllipse(QRectF(8, 10, 4, 4))


def names() -> list[str]:
    return sorted(_DRAW)


@cache
def icon(name: str) -> QIcon:
    """The icon ``name`` (an empty icon for an unknown name, never an exception)."""
    draw = _DRAW.get(name)
    if draw is None:
        return QIcon()
    result = QIcon()
    for scale in (1, 2):
        pm = QPixmap(SIZE * scale, SIZE * scale)
        pm.fill(Qt.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.Antialiasing)
        p.scale(scale, scale)
        p.setPen(QPen(INK, 2.2, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin))
        draw(p)
        p.end()
        pm.setDevicePixelRatio(scale)
        result.addPixmap(pm)
    return result
