#!/usr/bin/env bash
# The README's "Install without make", as a user does it: build the wheel, install it
# into a fresh venv outside the clone, and use it from another directory, so that only
# the installed files (package data included) can be imported. Run by `make check-wheel`
# and by CI after `make test` (which creates .venv with `build` from the dev extra).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
say() { printf 'check_wheel: %s\n' "$*" >&2; }

# Without --wheel, build makes the sdist and then the wheel from the unpacked sdist, in a
# temporary directory: no stale build/ of the clone can slip into the wheel, and a file
# missing from the sdist shows up as a failure below.
.venv/bin/python -m build --outdir "$tmp/dist" . >"$tmp/build.log" 2>&1 || {
  cat "$tmp/build.log" >&2
  say "python -m build failed"
  exit 1
}
wheels=("$tmp"/dist/chainrule-*.whl)
say "built ${wheels[0]##*/}"

# The venv's own interpreter, not .venv's: a fresh environment with only the wheel in it.
python=$(.venv/bin/python -c 'import sys; print(getattr(sys, "_base_executable", sys.executable))')
"$python" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install --quiet --disable-pip-version-check "${wheels[0]}"

cd "$tmp"
"$tmp/venv/bin/python" - "$repo" <<'PY'
import sys
from pathlib import Path

import autograd
import nn

repo = Path(sys.argv[1]).resolve()
for package in (autograd, nn):
    where = Path(package.__file__).resolve()
    assert repo not in where.parents, f"{package.__name__} imported from the clone: {where}"

x, w = autograd.Value(2.0), autograd.Value(-3.0)
y = (x * w + x.exp()).tanh()
y.backward()
assert f"{y.data:.6f} {x.grad:.6f}" == "0.882963 0.967244", (y, x)

model = nn.MLP(2, [4, 1], seed=0)
score = model([0.5, -1.0])
assert isinstance(score, autograd.Value), score
assert len(nn.data.names()) > 1000, "names.txt (package data) is missing"
for package in ("autograd", "nn"):
    assert (Path(sys.modules[package].__file__).parent / "py.typed").is_file(), package

cf = autograd.compile(lambda w, x: (w * x).tanh(), batch_argnums=(1,))
values = cf(0.5, [1.0, 2.0, 3.0])
assert len(values) == 3, values
total, (dw, dx) = cf.value_and_grad(0.5, [1.0, 2.0, 3.0])
assert isinstance(dw, float) and len(dx) == 3, (dw, dx)
print(f"check_wheel: installed chainrule works from {Path.cwd()} (backend {cf.backend})")
PY
