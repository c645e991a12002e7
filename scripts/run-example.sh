#!/usr/bin/env bash
# The main job: install what is missing, build, import the bundled example model
# (examples/mnist_w2a2, trained by its own script) and report the reference evaluator's
# accuracy on held-out MNIST digits.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$here/scripts/install-deps.sh"
bash "$here/scripts/build.sh"
build=${QNNC_BUILD_DIR:-$here/build}
/usr/bin/python3 "$here/examples/mnist_w2a2/evaluate.py" "$build/bin/qnnc" \
  "$here/examples/mnist_w2a2/model.onnx" "$build/example"
