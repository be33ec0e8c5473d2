"""Image quality metrics (pyiqa) and the research statistics built on them.

- :mod:`catalogue`: every pyiqa metric by name, its direction, typical range, needs.
- :mod:`weights`: the weights folder, the offline pre-check, shipped parameter files.
- :mod:`engine`: building metrics and scoring tensors; :mod:`scoring`: cached scoring
  of files and project images.
- :mod:`normalize`, :mod:`gaps`, :mod:`friedman`, :mod:`series`: the figures the
  research reports; :mod:`judges`: RealIR-Bench RS/LPS/FS and the thought-summary judge.

Nothing here imports Qt; torch and pyiqa are imported inside the functions that need them.
"""
