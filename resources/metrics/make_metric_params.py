"""Build the parameter files that make BRISQUE and NIQE run offline (run once, by hand).

- ``brisque_svm_weights.pth``: LIVE's official BRISQUE SVM (libsvm text model
  ``allmodel`` from utlive/BRISQUE) as the ``(sv_coef, sv)`` tuple pyiqa's
  ``BRISQUE`` loads with ``torch.load``: ``sv_coef`` has one coefficient per
  support vector (774), ``sv`` is 774 x 36. gamma (0.05) and rho (-153.591)
  are constants in pyiqa's code and are checked against the model header here.
- ``niqe_modelparameters.mat``: basicsr's ``niqe_pris_params.npz`` (Apache-2.0,
  from the basicsr source distribution) re-keyed as ``mu_prisparam`` (1 x 36)
  and ``cov_prisparam`` (36 x 36), the keys pyiqa's ``NIQE`` reads with
  ``scipy.io.loadmat``.

Usage::

    python resources/metrics/make_metric_params.py --brisque PATH/allmodel \
        --niqe PATH/basicsr/metrics/niqe_pris_params.npz
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
FEATURES = 36
GAMMA = 0.05
RHO = -153.591


def read_libsvm_model(path: Path) -> tuple[dict[str, str], np.ndarray, np.ndarray]:
    """The header, coefficients and dense support vectors of a libsvm text model."""
    header: dict[str, str] = {}
    coefs: list[float] = []
    vectors: list[np.ndarray] = []
    in_sv = False
    for line in path.read_text(encoding="ascii").splitlines():
        if not line.strip():
            continue
        if not in_sv:
            if line.strip() == "SV":
                in_sv = True
            else:
                key, _, value = line.partition(" ")
                header[key] = value.strip()
            continue
        fields = line.split()
        coefs.append(float(fields[0]))
        dense = np.zeros(FEATURES, np.float64)  # libsvm omits zero features
        for item in fields[1:]:
            index, value = item.split(":")
            dense[int(index) - 1] = float(value)
        vectors.append(dense)
    return header, np.asarray(coefs), np.stack(vectors)


def make_brisque(model: Path, out: Path) -> None:
    import torch

    header, coefs, vectors = read_libsvm_model(model)
    if float(header["gamma"]) != GAMMA or float(header["rho"]) != RHO:
        raise SystemExit(
            f"{model}: gamma/rho {header['gamma']}/{header['rho']} differ from pyiqa's"
        )
    if len(coefs) != int(header["total_sv"]):
        raise SystemExit(f"{model}: {len(coefs)} support vectors, header says {header['total_sv']}")
    torch.save((torch.from_numpy(coefs), torch.from_numpy(vectors)), out)
    print(f"{out}: {len(coefs)} support vectors x {vectors.shape[1]} features")


def make_niqe(npz: Path, out: Path) -> None:
    import scipy.io

    params = np.load(npz)
    mu = np.asarray(params["mu_pris_param"], np.float64).reshape(1, FEATURES)
    cov = np.asarray(params["cov_pris_param"], np.float64).reshape(FEATURES, FEATURES)
    scipy.io.savemat(out, {"mu_prisparam": mu, "cov_prisparam": cov})
    print(f"{out}: mu {mu.shape}, cov {cov.shape}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--brisque", type=Path, help="LIVE BRISQUE allmodel (libsvm text)")
    parser.add_argument("--niqe", type=Path, help="basicsr niqe_pris_params.npz")
    args = parser.parse_args()
    if args.brisque:
        make_brisque(args.brisque, HERE / "brisque_svm_weights.pth")
    if args.niqe:
        make_niqe(args.niqe, HERE / "niqe_modelparameters.mat")


if __name__ == "__main__":
    main()
