"""The reason picker every redaction tool shows: the case's reasons (FOIA exemption codes and
the case's own) in one combo box, each with its description."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox


def fill_reasons(combo: QComboBox, reasons: list[tuple[str, str]], default: str,
                 described: bool = False) -> None:
    """Put ``reasons`` ((code, description) pairs) in ``combo``, ``default`` chosen (else the
    first). Each item's data is its code; its description is its tooltip, or is written
    beside the code when ``described`` (a dialog has the width for it)."""
    combo.clear()
    for code, desc in reasons:
        combo.addItem(f"{code} — {desc}" if described else code, code)
        combo.setItemData(combo.count() - 1, desc, Qt.ToolTipRole)
    combo.setCurrentIndex(max(0, combo.findData(default)))
