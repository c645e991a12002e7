"""Bit-serial GEMM kernels compiled ahead of time for arm-64-linux and arm-32-linux (NEON) by
qnn-gemm-gen, linked statically with the Debian cross compilers and run under qemu-aarch64 /
qemu-arm: bit-exact against a scalar reference, on shapes that are multiples of no tile or
vector size and on bipolar, unsigned and two's complement operands, through both NEON
formulations (byte-wise uadalp accumulation, and 64-bit lanes). Then the 8- and 16-bit
integer GEMM (s8 x u8 with sdot on arm_dot_prod and widening multiplies without it; s16 x s16)
on full-range operands with a zero point and a bias, GEMM- and GEMV-shaped.

usage: arm_gemm_qemu.py QNN_GEMM_GEN WORKDIR
"""
import os
import shutil
import subprocess
import sys

import common

gen, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
TARGETS = [("arm-64-linux", os.environ.get("QNNC_AARCH64_CXX", "aarch64-linux-gnu-g++"),
            [], os.environ.get("QNNC_QEMU_AARCH64", "qemu-aarch64")),
           ("arm-32-linux", os.environ.get("QNNC_ARMHF_CXX", "arm-linux-gnueabihf-g++"),
            ["-march=armv7-a", "-mfpu=neon", "-mfloat-abi=hard"],
            os.environ.get("QNNC_QEMU_ARM", "qemu-arm"))]
for _, cxx, _, qemu in TARGETS:
    for tool in (cxx, qemu):
        if not shutil.which(tool):
            sys.exit(f"{tool} not found: install g++-aarch64-linux-gnu, "
                     "g++-arm-linux-gnueabihf and qemu-user")
ENC = {"u": 0, "s": 1, "b": 2}
# The first five take the byte-wise NEON formulation (positive plane weights, N > 1), the
# others the 64-bit one; K = 9 and 20 fit in part of one word.
CASES = [(7, 65, 3, "1b", "1b"), (13, 200, 33, "1b", "2u"), (10, 700, 9, "1u", "1u"),
         (6, 129, 21, "2u", "2u"), (7, 9, 33, "1b", "2u"), (9, 130, 17, "2s", "2u"),
         (5, 100, 6, "3s", "4u"), (5, 20, 6, "3s", "4u"), (37, 1000, 1, "1b", "2u")]
failed = total = 0
for target, cxx, flags, qemu in TARGETS:
    for m, k, n, wa, aa in CASES:
        name = f"gemm_{target}_{m}x{k}x{n}_{wa}{aa}"
        obj = os.path.join(work, name + ".o")
        out = common.run([gen, str(m), str(k), str(n), wa, aa,
                          f"{target}-no_asserts-no_bounds_query", "obj", obj]).stdout
        panel = int(out.split("panel_width=")[1].split()[0])
        byte_operands = int(out.split("byte_operands=")[1].split()[0])
        rows = int(out.split("gemv_tile_rows=")[1].split()[0])
        exe = os.path.join(work, name)
        common.run([cxx, "-O2", "-static", "-std=c++17", *flags,
                    f"-DBYTE_OPERANDS={byte_operands}", f"-DGEMM_M={m}", f"-DGEMM_K={k}",
                    f"-DGEMM_N={n}", f"-DPANEL={panel}", f"-DGEMV_ROWS={rows}",
                    f"-DW_BITS={int(wa[:-1])}", f"-DW_ENC={ENC[wa[-1]]}",
                    f"-DA_BITS={int(aa[:-1])}", f"-DA_ENC={ENC[aa[-1]]}",
                    "-I", os.path.join(common.ROOT, "codegen", "include"),
                    "-I", "/usr/include/halide14",
                    os.path.join(common.HERE, "gemm_harness.cpp"),
                    os.path.join(common.ROOT, "codegen", "lib", "BitPacking.cpp"), obj,
                    "-o", exe])
        r = subprocess.run([qemu, exe], capture_output=True, text=True)
        kind = "bytes" if byte_operands else "64-bit"
        print(f"{'PASS' if r.returncode == 0 else 'FAIL'}: {name} ({kind}, qemu): "
              f"{r.stdout.strip()}")
        failed += r.returncode != 0
        total += 1
INTEGER_TARGETS = TARGETS + [("arm-64-linux-arm_dot_prod", *TARGETS[0][1:])]
INTEGER_CASES = [(7, 65, 3), (13, 67, 48), (37, 1001, 1), (9, 300, 37)]
for target, cxx, flags, qemu in INTEGER_TARGETS:
    for bits in (8, 16):
        for m, k, n in INTEGER_CASES:
            name = f"int{bits}_gemm_{target}_{m}x{k}x{n}"
            obj = os.path.join(work, name + ".o")
            operands = ["i8", "u8"] if bits == 8 else ["i16", "i16"]
            out = common.run([gen, str(m), str(k), str(n), *operands,
                              f"{target}-no_asserts-no_bounds_query", "obj", obj]).stdout
            layout = dict(line.split("=") for line in out.split())
            exe = os.path.join(work, name)
            common.run([cxx, "-O2", "-static", "-std=c++17", *flags,
                        f"-DGEMM_M={m}", f"-DGEMM_K={k}", f"-DGEMM_N={n}",
                        f"-DINT_BITS={bits}", f"-DGROUP={layout['group']}",
                        f"-DWEIGHT_BITS={layout['weight_bits']}",
                        f"-DINPUT_OFFSET={layout['input_offset']}",
                        f"-DTILE_ROWS={layout['tile_rows']}",
                        "-I", os.path.join(common.ROOT, "codegen", "include"),
                        "-I", "/usr/include/halide14",
                        os.path.join(common.HERE, "int_gemm_harness.cpp"),
                        os.path.join(common.ROOT, "codegen", "lib", "IntegerGemmLayout.cpp"),
                        obj, "-o", exe])
            r = subprocess.run([qemu, exe], capture_output=True, text=True)
            print(f"{'PASS' if r.returncode == 0 else 'FAIL'}: {name} (qemu): "
                  f"{r.stdout.strip()}")
            failed += r.returncode != 0
            total += 1
print(f"{total - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
