#!/usr/bin/env bash
# The whole test suite: install what is missing, build, run ctest (lit, GoogleTest, e2e).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$here/scripts/install-deps.sh"
bash "$here/scripts/build.sh"
build=${QNNC_BUILD_DIR:-$here/build}
cd "$build"
ctest --output-on-failure
