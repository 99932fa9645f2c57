"""The window's preview draws a face redaction as the export burns it: the head of
reviewer.annotate.heads (a dome above its widest line), not the ellipse in the same box."""
from __future__ import annotations

import cv2
import numpy as np
from PySide6.QtGui import QColor, QImage

from reviewer.annotate.geometry import Box
from reviewer.annotate.heads import HEAD
from reviewer.export.burn import burn_rgb, region_of
from reviewer.ui.video.video_view import BoxOverlay, VideoView

W, H = 240, 200  # the view's smallest size: the picture shown 1:1


def _preview(qtbot, shape: str) -> np.ndarray:
    view = VideoView()
    qtbot.addWidget(view)
    view.resize(W, H)
    image = QImage(W, H, QImage.Format_RGB888)
    image.fill(QColor(255, 255, 255))
    view.set_image(image)
    view.set_boxes([BoxOverlay(1, Box(40, 20, 120, 160), shape, "solid", "", "active")])
    grab = view.grab().toImage().convertToFormat(QImage.Format_RGB888)
    ptr = grab.constBits()
    rows = np.frombuffer(ptr, np.uint8, grab.bytesPerLine() * grab.height())
    return rows.reshape(grab.height(), grab.bytesPerLine())[:, :grab.width() * 3].reshape(
        grab.height(), grab.width(), 3)


def test_the_preview_draws_the_head_the_export_burns(qtbot):
    shown = _preview(qtbot, HEAD)
    dark = shown.max(axis=2) < 60
    region = region_of(Box(40, 20, 120, 160), W, H, HEAD)
    burned = burn_rgb(np.full((H, W, 3), 255, np.uint8), [region])
    black = (burned == 0).all(axis=2)
    # the same pixels, but for the outline's pen and anti-aliasing along the edge
    kernel = np.ones((5, 5), np.uint8)
    edge = cv2.dilate(black.astype(np.uint8), kernel) != cv2.erode(black.astype(np.uint8), kernel)
    # compared round the box only: the view's own frame (a focus ring, a border) is not the
    # redaction's drawing
    near = np.zeros_like(black)
    near[20 - 6:20 + 160 + 6, 40 - 6:40 + 120 + 6] = True
    assert not ((dark != black) & ~edge & near).any()
    # and not the ellipse in the same box, which hides more beside the crown (a thin band:
    # the two differ by a pixel or two at this size)
    ellipse = _preview(qtbot, "ellipse").max(axis=2) < 60
    crown = np.zeros_like(black)
    crown[20:20 + 40] = True
    assert (ellipse & ~dark & crown).sum() > 20

