#!/usr/bin/env bash
# Mutation testing of the modules that compute the papers' numbers (`make mutation`).
#
# mutmut writes its mutated copy of the sources into ./mutants of the folder it runs in, so it
# runs in build/mutation (ignored by git), where core/, tests/, resources/ and pyproject.toml are
# links to the checkout. The modules and the tests that may kill their mutants are listed in
# pyproject.toml's [tool.mutmut]; the equivalent mutants in tests/mutation/equivalents.txt.
# The last line printed is the score as a JSON line (tests/mutation/score.py).
#
#   tests/mutation/run.sh [VENV]        fresh run (the previous mutants/ is removed)
#   MUTATION_KEEP=1 tests/mutation/run.sh   reuse build/mutation/mutants (mutmut's cache)
#   MUTATION_JOBS=N                     parallel mutants (default 2)
#   MUTATION_MODULES="core.metrics.gaps core.depth.curves"   only these modules' mutants
#                                       (with MUTATION_KEEP=1, a full score one module at a time)
#   MUTATION_WORK=build/mutation-codecs  another work folder (two runs at once do not share mutants/)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$(cd "${1:-$root/.venv}" && pwd)"
work="${MUTATION_WORK:-$root/build/mutation}"
mkdir -p "$work"
for item in core tests resources pyproject.toml; do
    ln -sfn "$root/$item" "$work/$item"
done
cd "$work"
if [ -z "${MUTATION_KEEP:-}" ]; then
    rm -rf mutants
fi
export QT_QPA_PLATFORM=offscreen
# One math thread per mutant: mutmut limits each mutant's CPU time, and idle BLAS/OpenMP
# threads spinning on a busy machine counted against it (equivalent mutants "timed out").
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
filters=()
for module in ${MUTATION_MODULES:-}; do
    filters+=("$module.*")
done
status=0
"$venv/bin/mutmut" run --max-children "${MUTATION_JOBS:-2}" "${filters[@]}" || status=$?
"$venv/bin/python" "$root/tests/mutation/score.py" mutants "$root/tests/mutation/equivalents.txt"
exit "$status"
