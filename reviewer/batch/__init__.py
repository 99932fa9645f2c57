"""Detection and export over a whole case: many items at a time, resumable.

- :mod:`reviewer.batch.tasks`: the per-item jobs, pure functions of (original path and
  SHA-256, settings); no task touches the case;
- :mod:`reviewer.batch.runners`: where they run (a local pool of sandboxed processes) and
  :mod:`reviewer.batch.dask_runner` (a Dask distributed scheduler, ``--cluster``);
- :mod:`reviewer.batch.detect_batch`, :mod:`reviewer.batch.export_batch`: the coordinator,
  which plans, skips what is done and current, and writes each result as it arrives (the
  only writer of case.db).
"""
