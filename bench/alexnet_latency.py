"""The AlexNet-shaped network end to end, batch 1, side by side in one run:
qnnc's W1A2 and W1A1 libraries (8-bit first and last layers, bench/make_alexnet.py) against
ONNX Runtime running the same layers in int8 QDQ form (fused into QLinearConv /
QLinearMatMul). Reports min / median ms per image, the ratios, and qnnc's time per kernel.
One thread by default; with --threads N both get N threads (qnnc's libraries are then built
with parallel loops and initialized with N, ONNX Runtime's intra-op pool has N).

usage: /usr/bin/python3 bench/alexnet_latency.py [BUILD_DIR] [--runs N] [--threads N]
       [--markdown OUT.md]
"""
import argparse
import datetime
import os
import sys
import tempfile

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
sys.path.insert(0, os.path.join(root, "test", "e2e"))
import common  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("build", nargs="?", default=os.path.join(root, "build"))
p.add_argument("--runs", type=int, default=30)
p.add_argument("--threads", type=int, default=1)
p.add_argument("--markdown")
a = p.parse_args()
qnnc = os.path.join(a.build, "bin", "qnnc")


def build(tmp, model, name, source, extra=()):
    lib = os.path.join(tmp, name)
    common.run([qnnc, model, "-o", lib, "--name", "net", "--threads", str(a.threads)])
    exe = os.path.join(lib, os.path.basename(source)[:-2])
    common.run(["cc", "-O2", "-std=c99", f"-I{lib}", '-DHEADER="net.h"', "-DMODEL(f)=net_##f",
                "-DIN=NET_INPUT_SIZE", "-DOUTS=NET_OUTPUT_SIZE", "-DLAYERS=NET_LAYERS",
                "-DOUT_T=float", *extra, source, os.path.join(lib, "libnet.a"), "-o", exe,
                "-lpthread", "-lm"])
    return exe


lines = []
with tempfile.TemporaryDirectory() as tmp:
    prefix = os.path.join(tmp, "alexnet")
    common.run([sys.executable, os.path.join(here, "make_alexnet.py"), prefix])
    x = os.path.join(tmp, "x.f32")
    np.random.default_rng(0).random(3 * 227 * 227).astype(np.float32).tofile(x)
    ort = [float(v) / 1000 for v in common.run(
        ["node", os.path.join(here, "ort_latency.js"), prefix + ".int8.onnx", str(a.runs),
         str(a.threads)])
        .stdout.split()]
    results, profiles = [], {}
    for variant in ("w1a2", "w1a1"):
        model = f"{prefix}.{variant}.onnx"
        lat = build(tmp, model, variant, os.path.join(here, "latency.c"), ["-DWARMUP=3"])
        ms = [float(v) / 1000
              for v in common.run([lat, x, "1", str(a.runs), str(a.threads)]).stdout.split()]
        prof = build(tmp, model, variant + "_prof", os.path.join(here, "layer_profile.c"))
        profiles[variant] = common.run([prof, x, "5", str(a.threads)]).stdout
        results.append((variant.upper(), ms))

cpu = common.cpu_description()
threads = "one thread" if a.threads == 1 else f"{a.threads} threads"
lines += [f"Measured {datetime.date.today().isoformat()} on {cpu}, {threads}, batch 1, "
          f"{a.runs} runs, ms per image (min / median); `python3 bench/alexnet_latency.py"
          f"{'' if a.threads == 1 else f' --threads {a.threads}'}`.", "",
          "| network | qnnc library | ONNX Runtime int8 QDQ | speedup (median) |",
          "|---|---|---|---|"]
for name, ms in results:
    lines.append(f"| AlexNet {name} (8-bit first/last) | {ms[0]:.2f} / {ms[1]:.2f} | "
                 f"{ort[0]:.2f} / {ort[1]:.2f} | **{ort[1] / ms[1]:.2f}×** |")
for variant, text in profiles.items():
    lines += ["", f"qnnc {variant.upper()}, µs per kernel (im2col and packed pooling count "
              "into the next GEMM):", "", "| node | kernel | µs |", "|---|---|---|"]
    for row in text.strip().splitlines():
        node, kind, us = row.split("\t")
        lines.append(f"| {node} | {kind} | {us} |")
text = "\n".join(lines)
print(text)
if a.markdown:
    open(a.markdown, "w").write(text + "\n")
