"""Iterative edits: N-step runs that feed each output back to an editor, every step kept.

- :mod:`core.iterate.schedules`: what each step asks for (prompt, seed, size, geometry,
  the steps it edits: two for the reconstruction's rebuild);
- :mod:`core.iterate.runner`: runs and resumes chains, commits each step at once;
- :mod:`core.iterate.steps`: a run's steps in the shape ``iris runs show`` prints;
- :mod:`core.iterate.geometry`: crops, aspect changes, undoing mirror/rotate, and whether
  a step performed its mirror/rotate;
- :mod:`core.iterate.aligned_images`: steps turned back to the original, as derived images;
- :mod:`core.iterate.generation_loss`: the offline ``generation-loss`` editor.
"""
