"""placeholder"""
from __future__ import annotations


class FrameServer:  # replaced below
    pass
