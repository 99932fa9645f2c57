"""Video media: the frame index (``index``), exact frame access and the cached frame server
(``frames``), decoding helpers (``decode``). PyAV is used only inside this package and
``reviewer.export``.
"""
