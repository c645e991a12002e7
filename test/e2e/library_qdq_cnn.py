"""The 8-bit QDQ CNN (make_qdq_cnn.py: quantize, two conv + bias + requantize + max-pool
layers, a matmul layer, output dequantization) compiled to a static library for TARGET and
run through a C runner (qnnc run; ARM under qemu-user) on its 2,000 held-out digits:
outputs and every hidden 8-bit tensor bit-identical to the reference evaluator on the
streamlined model, and every output within 1 LSB of ONNX Runtime on the QDQ model with the
same top-1 class. For arm-64-linux-arm_dot_prod the assembly must use `sdot`. The matmul
layer (batch 1) must be IntegerGemm's dot-product GEMV: its kernel's assembly holds the
target's group multiply-add (vpdpbusd with VNNI, else vpmaddwd; sdot; NEON's pairwise
widening adds), not IntegerConv's one multiply per product.
For x86-64-avx512-zen4 (a CPU with AVX512-VNNI but no AVX-VNNI) no kernel may use the
VEX-encoded `{vex} vpdp*` that the same matmul kernel uses for x86-64-avx512-vnni (the
ISA guard rebuilds it, and the progress output says so); skipped where this machine cannot run AVX-512 VNNI code.

usage: library_qdq_cnn.py QNNC WORKDIR [TARGET]
"""
import glob
import os
import re
import sys

import numpy as np
import onnx
import onnx.numpy_helper

import common

qnnc, work = sys.argv[1], sys.argv[2]
target = sys.argv[3] if len(sys.argv) > 3 else "host"
os.makedirs(work, exist_ok=True)
if target == "x86-64-avx512-zen4":
    flags = open("/proc/cpuinfo").read().split()
    missing = [f for f in ("avx512f", "avx512_vnni", "avx512_vpopcntdq") if f not in flags]
    if missing:
        print(f"SKIPPED: this CPU cannot run {target} code (no {', '.join(missing)})")
        sys.exit(common.SKIP)
model = os.path.join(work, "qdq_cnn.onnx")
common.run([sys.executable, os.path.join(common.HERE, "make_qdq_cnn.py"), model])
x = model + ".test_x.npy"
labels = np.load(model + ".test_y.npy")
dirs = {k: os.path.join(work, k) for k in ("library", "reference")}
for d in dirs.values():
    os.makedirs(d, exist_ok=True)
    for f in glob.glob(os.path.join(d, "*.npy")):
        os.remove(f)
lib, ref, ort = (os.path.join(work, f) for f in ("library.npy", "reference.npy", "ort.npy"))
common.run([qnnc, "run", model, "--target", target, "--input", x, "--output", lib,
            "--dump-activations", dirs["library"]])
common.run([qnnc, "run", "--reference", "--streamline", model, "--input", x, "--output", ref,
            "--dump-activations", dirs["reference"]])
common.ort(model, [x], [ort])

failures = []
asm = os.path.join(work, "asm")
progress = common.run([qnnc, model, "--target", target, "--emit=asm", "-o", asm]).stderr
text = "".join(open(f).read() for f in glob.glob(os.path.join(asm, "**", "*.s"),
                                                recursive=True))
if "arm_dot_prod" in target and "sdot" not in text:
    # The 8-bit convs are DotProductConv on ARM's signed dot product.
    failures.append("no sdot in the generated assembly")
matmul = re.search(r"int8 matmul .* -> (\S+)", progress)
if not matmul:
    failures.append("no int8 matmul kernel in the progress output")
else:
    with open(os.path.join(asm, "kernels", matmul.group(1) + ".s")) as f:
        kernel = f.read()
    if "arm_dot_prod" in target:
        expected = "sdot"
    elif target.startswith("arm-64"):
        expected = "saddlp"
    elif target.startswith("arm-32"):
        expected = "vpaddl.s16"
    else:
        flags = open("/proc/cpuinfo").read()
        expected = "vpdpbusd" if "avx512_vnni" in flags and "avx512f" in flags else "pmaddwd"
    if target == "x86-64-avx512-zen4":
        vex = re.compile(r"^\s*\{vex\}\s+vpdp", re.M)
        if vex.search(text):
            failures.append("a kernel for a CPU without AVX-VNNI uses {vex} vpdp*")
        note = f"{matmul.group(1)} built without avx512_sapphirerapids: it used {{vex}} vpdp"
        if note not in progress:
            failures.append(f"the progress output does not say '{note}...'")
        vnni = os.path.join(work, "asm-vnni")
        common.run([qnnc, model, "--target", "x86-64-avx512-vnni", "--emit=asm", "-o", vnni])
        with open(os.path.join(vnni, "kernels", matmul.group(1) + ".s")) as f:
            if not vex.search(f.read()):
                failures.append("the matmul kernel uses no {vex} vpdp* for x86-64-avx512-vnni "
                                "either: this test no longer exercises the guard")
    elif expected not in kernel:
        failures.append(f"the matmul kernel {matmul.group(1)} has no {expected}")
a, r, o = np.load(lib), np.load(ref), np.load(ort)
if not np.array_equal(a, r):
    failures.append(f"library output differs from the reference in {np.sum(a != r)} values")
compared, hidden = common.compare_traces(dirs["reference"], dirs["library"])
failures += hidden
if compared < 4:
    failures.append(f"only {compared} hidden tensors compared (expected 4)")
g = onnx.load(model)
scale = [onnx.numpy_helper.to_array(i) for i in g.graph.initializer if i.name == "out_s"][0]
lsb = np.abs(a - o) / scale
same = np.mean(a.argmax(axis=1) == o.argmax(axis=1))
identical = "bit-identical" if not failures else "NOT identical"
print(f"qdq_cnn [{target}]: {identical} to the reference ({compared} hidden tensors); vs ONNX "
      f"Runtime max {lsb.max():.3f} LSB, same top-1 on {100 * same:.2f} %; accuracy "
      f"{100 * np.mean(a.argmax(axis=1) == labels):.2f} %")
if lsb.max() > 1 + 1e-4:
    failures.append(f"{lsb.max():.3f} LSB from ONNX Runtime")
if same != 1.0:
    failures.append("top-1 differs from ONNX Runtime")
for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
