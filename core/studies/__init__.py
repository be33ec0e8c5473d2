"""Studies: categories on images, tables over scores, the papers' statistics, results out as files.

One module per concept; everything here reads and writes through the project store.
"""
