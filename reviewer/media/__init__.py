"""Video media: the frame index (``frameindex`` the value, ``index`` built by demuxing,
``decindex`` by decoding), exact frame access (``frames``), the cached frame server
(``server``), import checks (``probe``), decoding helpers (``decode``). Imports go one way:
decode < frameindex < decindex < index < frames < server, probe. PyAV is used only inside
this package and ``reviewer.export``; the case's index cache is passed in by the caller
(``index.cached_index``), never read from the store here.
"""
