"""Bit-serial GEMM kernels compiled ahead of time for arm-64-linux (NEON) by qnn-gemm-gen,
linked statically with the Debian cross compiler and run under qemu-aarch64: bit-exact
against a scalar reference, on shapes that are multiples of no tile or vector size and on
bipolar, unsigned and two's complement operands.

usage: arm_gemm_qemu.py QNN_GEMM_GEN WORKDIR
"""
import os
import shutil
import subprocess
import sys

import common

gen, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
cxx = os.environ.get("QNNC_AARCH64_CXX", "aarch64-linux-gnu-g++")
qemu = os.environ.get("QNNC_QEMU_AARCH64", "qemu-aarch64")
for tool in (cxx, qemu):
    if not shutil.which(tool):
        sys.exit(f"{tool} not found: install g++-aarch64-linux-gnu and qemu-user")
ENC = {"u": 0, "s": 1, "b": 2}
CASES = [(7, 65, 3, "1b", "1b"), (13, 200, 33, "1b", "2u"), (9, 130, 17, "2s", "2u"),
         (5, 100, 6, "3s", "4u"), (37, 1000, 1, "1b", "2u")]
failed = 0
for m, k, n, wa, aa in CASES:
    name = f"gemm_{m}x{k}x{n}_{wa}{aa}"
    obj = os.path.join(work, name + ".o")
    out = common.run([gen, str(m), str(k), str(n), wa, aa,
                      "arm-64-linux-no_asserts-no_bounds_query", "obj", obj]).stdout
    panel = int(out.split("panel_width=")[1].split()[0])
    exe = os.path.join(work, name)
    common.run([cxx, "-O2", "-static", "-std=c++17",
                f"-DGEMM_M={m}", f"-DGEMM_K={k}", f"-DGEMM_N={n}", f"-DPANEL={panel}",
                f"-DW_BITS={int(wa[:-1])}", f"-DW_ENC={ENC[wa[-1]]}",
                f"-DA_BITS={int(aa[:-1])}", f"-DA_ENC={ENC[aa[-1]]}",
                "-I", os.path.join(common.ROOT, "codegen", "include"), "-I", "/usr/include/halide14",
                os.path.join(common.HERE, "gemm_harness.cpp"),
                os.path.join(common.ROOT, "codegen", "lib", "BitPacking.cpp"), obj, "-o", exe])
    r = subprocess.run([qemu, exe], capture_output=True, text=True)
    print(f"{'PASS' if r.returncode == 0 else 'FAIL'}: {name} (arm-64-linux under qemu): {r.stdout.strip()}")
    failed += r.returncode != 0
print(f"{len(CASES) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
