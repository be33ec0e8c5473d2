"""Iterative edits: N-step runs that feed each output back to an editor, every step kept.

- :mod:`core.iterate.schedules`: what each step asks for (prompt, seed, size, geometry);
- :mod:`core.iterate.runner`: runs and resumes chains, commits each step at once;
- :mod:`core.iterate.steps`: a run's steps in the shape ``iris runs show`` prints;
- :mod:`core.iterate.geometry`: crops, aspect changes, undoing mirror/rotate;
- :mod:`core.iterate.generation_loss`: the offline ``generation-loss`` editor.
"""
