"""The Depth view's texts: the decoding summary, what lies under the pointer, the metrics.

Plain functions of the results (no widgets), so each reads the same in the view
and in a test.
"""

from __future__ import annotations

import math

from core.depth.evaluate import METRICS as DEPTH_METRICS
from core.depth.normal_metrics import METRICS as NORMAL_METRICS

METRIC_LABELS = {
    "abs_rel": "AbsRel",
    "sq_rel": "SqRel",
    "rmse": "RMSE (m)",
    "rmse_log": "RMSE log",
    "log10": "log10",
    "delta1": "delta1 (<1.25)",
    "delta2": "delta2 (<1.25^2)",
    "delta3": "delta3 (<1.25^3)",
    "mean_deg": "mean (deg)",
    "median_deg": "median (deg)",
    "rmse_deg": "RMSE (deg)",
    "within_11.25": "within 11.25 (%)",
    "within_22.5": "within 22.5 (%)",
    "within_30": "within 30 (%)",
}
METRICS_OF = {"depth": DEPTH_METRICS, "normals": NORMAL_METRICS}


def depth_summary(stats: dict) -> str:
    """Size, codec, median / min / max metres and the masked and sky fractions."""
    median = stats["median_m"]
    if median is None:
        return "no finite depth"
    return (
        f"{stats['width']}x{stats['height']} {stats['codec']}\n"
        f"median {median:.3f} m\nmin {stats['min_m']:.3f} m, max {stats['max_m']:.3f} m\n"
        f"masked {stats['masked_fraction']:.1%}, sky {stats['sky_fraction']:.1%}"
    )


def normal_summary(stats: dict) -> str:
    """Size and the share of pixels that decode to unit normals."""
    mean = ", ".join(f"{v:+.2f}" for v in stats["mean"])
    return (
        f"{stats['width']}x{stats['height']} normal map\n"
        f"valid {stats['valid_fraction']:.1%}\nmean normal ({mean})"
    )


def depth_hover(scene, x: int, y: int) -> str | None:
    """``x 5  y 5   depth 2.000 m   path distance 0.000``, or None outside the map."""
    depth = scene.decoding.depth
    if not (0 <= y < depth.shape[0] and 0 <= x < depth.shape[1]):
        return None
    value = float(depth[y, x])
    if value == math.inf:
        text = "sky (far end)"
    elif math.isnan(value):
        text = "masked"
    else:
        text = f"{value:.3f} m"
    confidence = scene.decoding.confidence
    extra = "" if confidence is None else f"   path distance {float(confidence[y, x]):.3f}"
    return f"x {x}  y {y}   depth {text}{extra}"


def normal_hover(scene, x: int, y: int) -> str | None:
    """``x 5  y 5   normal (+0.00, +0.98, +0.21)``, or ``not a normal``; None outside."""
    valid = scene.decoding.valid
    if not (0 <= y < valid.shape[0] and 0 <= x < valid.shape[1]):
        return None
    if not valid[y, x]:
        return f"x {x}  y {y}   not a normal (invalid colour)"
    n = ", ".join(f"{float(v):+.3f}" for v in scene.decoding.normals[y, x])
    return f"x {x}  y {y}   normal ({n})"


def error_hover(evaluation, x: int, y: int, shape: tuple[int, int]) -> str:
    """The error at the map pixel (x, y) of a map of ``shape``, read at the truth's size."""
    height, width = evaluation.error.shape
    gx, gy = int(x * width / shape[1]), int(y * height / shape[0])
    value = float(evaluation.error[min(gy, height - 1), min(gx, width - 1)])
    shown = "not scored" if math.isnan(value) else f"{value:.4g} {evaluation.units}"
    return f"   error {shown}"


def format_metric(name: str, value: float) -> str:
    """Four significant digits; the fractions (delta) with three decimals."""
    if name.startswith("delta"):
        return f"{value:.3f}"
    return f"{value:.4g}"


def metric_rows(evaluation) -> list[tuple[str, str]]:
    """(label, value) per metric in the field's order, then the pixel counts and the fit."""
    rows = []
    if evaluation.metrics is None:
        rows.append(("metrics", "no pixel to score"))
    else:
        for name in METRICS_OF[evaluation.kind]:
            rows.append((METRIC_LABELS[name], format_metric(name, evaluation.metrics[name])))
    for key, value in evaluation.counts.items():
        rows.append((key.replace("_", " "), f"{value:,}"))
    fit = evaluation.alignment
    if fit is not None and fit["method"] != "none":
        rows.append(("fit", f"{fit['scale']:.4g} x + {fit['shift']:.4g} ({fit['space']})"))
    return rows
