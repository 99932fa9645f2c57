"""Marks drawn over the picture and the pages so a state that matters can be seen where the
reviewer is looking: redaction preview off, and which view has the keyboard focus."""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from reviewer.ui import theme

PREVIEW_OFF = "Preview off: redactions not shown (P turns it on)"
BANNER_RGB = (150, 20, 20)


def paint_preview_off(p: QPainter, area: QRectF) -> None:
    """A band across the top of ``area``: with the preview off, boxes are outlines only and
    what they cover is readable on screen (never in an export)."""
    p.save()
    p.setClipping(False)
    fm = p.fontMetrics()
    h = fm.height() + 10
    band = QRectF(area.left(), area.top(), area.width(), h)
    p.fillRect(band, QColor(*BANNER_RGB))
    p.setPen(QColor("#ffffff"))
    p.drawText(band.adjusted(8, 0, -8, 0), Qt.AlignVCenter | Qt.AlignLeft,
               fm.elidedText(PREVIEW_OFF, Qt.ElideRight, int(band.width()) - 16))
    p.restore()


def paint_focus_ring(p: QPainter, area: QRectF) -> None:
    """The same ring the theme draws around focused lists and buttons, for custom views."""
    p.save()
    p.setClipping(False)
    p.setPen(QPen(QColor(theme.FOCUS), 2))
    p.setBrush(Qt.NoBrush)
    p.drawRect(area.adjusted(1, 1, -1, -1))
    p.restore()
