#!/usr/bin/env bash
# What retraining the bundled examples needs beyond scripts/install-deps.sh: PyTorch from
# Debian (python3-torch 1.13, CPU). Not needed to build, test or run qnnc: the trained models
# are committed.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-torch
fi
