"""Any registry method can be the editor: a classical baseline and a (tiny, real) spandrel model."""

from __future__ import annotations

from core.iterate.runner import IterateSpec, iterate
from core.iterate.schedules import Schedule
from core.iterate.steps import run_steps


def test_a_classical_baseline_as_editor(project, image):
    spec = IterateSpec("unsharp", 3, Schedule("replicate"), {"amount": 0.5})
    (outcome,) = iterate(project.path, image.id, spec, group="sharp")
    assert outcome.status == "done"
    steps = run_steps(project, "sharp-r1")
    assert [s.status for s in steps] == ["ok"] * 4
    assert steps[1].meta["prompt"].startswith("Produce an exact replica")  # recorded, not used
    assert len({s.image_id for s in steps}) == 4, "sharpening again changes the image each time"


def test_a_spandrel_model_as_editor(project, image, tmp_path):
    import torch
    from spandrel.architectures.Compact import Compact

    torch.manual_seed(0)
    net = Compact(num_in_ch=3, num_out_ch=3, num_feat=8, num_conv=2, upscale=1)
    model = tmp_path / "compact1x.pth"
    torch.save(net.state_dict(), model)
    spec = IterateSpec("spandrel", 2, editor_params={"model": str(model)}, device="cpu")
    (outcome,) = iterate(project.path, image.id, spec, group="sp")
    assert outcome.status == "done", outcome.error
    steps = run_steps(project, "sp-r1")
    assert [(s.width, s.height) for s in steps] == [(64, 48)] * 3
    assert steps[2].meta["model"]["architecture"]
    run = project.run("sp-r1")
    assert (
        run.params["editor"] == "spandrel" and run.params["editor_instance"] == "spandrel:compact1x"
    )
