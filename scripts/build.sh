#!/usr/bin/env bash
# Configures and builds qnnc in build/ (Release, Ninja, 2 jobs: the machines have 2 cores).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${QNNC_BUILD_DIR:-$here/build}
if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release
fi
ninja -C "$build" -j "${QNNC_JOBS:-2}"
