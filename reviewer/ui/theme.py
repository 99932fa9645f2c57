"""A calm dark theme readable through a long day of review; one accent colour."""
from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

BG = "#22262e"
PANEL = "#2b303b"
BASE = "#1d2027"
TEXT = "#e5e9f0"
MUTED = "#9aa3b2"
ACCENT = "#e0a526"
REDACT = "#e06060"
NOTE = "#5fb3d9"
SELECT = "#3d5a80"
PRESSED = "#4b6a96"  # a tool or toggle that is on
FOCUS = "#7fb4ff"    # the focus ring: distinct from the accent, which marks findings

STYLE = f"""
QWidget {{ font-size: 10pt; }}
QToolBar {{ background: {PANEL}; border: none; spacing: 4px; padding: 2px; }}
QStatusBar {{ background: {PANEL}; color: {MUTED}; }}
QDockWidget::title {{ background: {PANEL}; padding: 4px 6px; color: {MUTED}; }}
QLineEdit, QComboBox, QSpinBox {{ padding: 3px 5px; border: 1px solid #454b58; border-radius: 3px;
    background: {BASE}; }}
QLineEdit:focus, QComboBox:focus, QSpinBox:focus {{ border: 2px solid {FOCUS}; padding: 2px 4px; }}
QPushButton, QToolButton {{ padding: 3px 8px; border-radius: 3px; border: 1px solid transparent; }}
QPushButton {{ border: 1px solid #454b58; background: #343a46; }}
QPushButton:hover, QToolButton:hover {{ background: #3b4250; }}
QToolButton:checked, QPushButton:checked {{ background: {PRESSED}; border: 1px solid {TEXT}; }}
QPushButton:focus, QToolButton:focus {{ border: 2px solid {FOCUS}; }}
QCheckBox:focus, QRadioButton:focus {{ border: 1px solid {FOCUS}; border-radius: 3px; }}
QListView, QTreeView, QTableView {{ background: {BASE}; border: 2px solid transparent; }}
QListView:focus, QTreeView:focus, QTableView:focus {{ border: 2px solid {FOCUS}; }}
QTabBar::tab:focus {{ border: 2px solid {FOCUS}; }}
QAbstractScrollArea#Pages {{ border: 2px solid transparent; }}
QAbstractScrollArea#Pages:focus {{ border: 2px solid {FOCUS}; }}
QListView::item:selected, QTreeView::item:selected {{ background: {SELECT}; }}
QSplitter::handle {{ background: #15171c; }}
QLabel#EmptyState {{ color: {MUTED}; font-size: 13pt; }}
QLabel#Readout {{ font-family: monospace; font-size: 12pt; color: {TEXT}; }}
"""


def apply_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    pal = QPalette()
    for role, color in [
        (QPalette.Window, BG), (QPalette.WindowText, TEXT), (QPalette.Base, BASE),
        (QPalette.AlternateBase, PANEL), (QPalette.Text, TEXT), (QPalette.Button, PANEL),
        (QPalette.ButtonText, TEXT), (QPalette.Highlight, SELECT),
        (QPalette.HighlightedText, "#ffffff"), (QPalette.ToolTipBase, PANEL),
        (QPalette.ToolTipText, TEXT), (QPalette.PlaceholderText, MUTED),
        (QPalette.Link, ACCENT),
    ]:
        pal.setColor(role, QColor(color))
    pal.setColor(QPalette.Disabled, QPalette.Text, QColor(MUTED))
    pal.setColor(QPalette.Disabled, QPalette.ButtonText, QColor(MUTED))
    app.setPalette(pal)
    app.setStyleSheet(STYLE)
