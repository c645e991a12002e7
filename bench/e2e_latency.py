"""End-to-end latency per image, batch 1, single thread, side by side in one run: qnnc's
static library against ONNX Runtime (npm onnxruntime-node, CPU) on the same network.

ONNX Runtime runs the standard-ONNX form of each QONNX model (test/e2e/qonnx_to_onnx.py
rewrites the quantizers into standard ops) and the same network with the weight quantizers
pre-folded offline into fp32 weights (--fold-weights), the fairer fp32 baseline. Reports
min and median microseconds and the speedup ratios.

usage: /usr/bin/python3 bench/e2e_latency.py [BUILD_DIR] [--iterations N] [--markdown OUT.md]
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
p.add_argument("--iterations", type=int, default=5000)
p.add_argument("--markdown")
a = p.parse_args()
qnnc = os.path.join(a.build, "bin", "qnnc")
models = common.models_dir()
MODELS = [("TFC_1W1A", os.path.join(models, "qonnx_zoo_tfc", "TFC_1W1A.onnx")),
          ("TFC_1W2A", os.path.join(models, "qonnx_zoo_tfc", "TFC_1W2A.onnx")),
          ("TFC_2W2A", os.path.join(models, "qonnx_zoo_tfc", "TFC_2W2A.onnx")),
          ("example W2A2 MLP", os.path.join(root, "examples", "mnist_w2a2", "model.onnx")),
          ("example CNN (8-bit first/last)",
           os.path.join(root, "examples", "mnist_cnn_torch", "model.onnx"))]

x, _ = common.mnist_digits()
rows = []
with tempfile.TemporaryDirectory() as tmp:
    inputs = os.path.join(tmp, "x.f32")
    count = 1000
    x[:count].astype(np.float32).tofile(inputs)
    for label, model in MODELS:
        lib = os.path.join(tmp, "lib_" + str(len(rows)))
        common.run([qnnc, model, "-o", lib, "--name", "net", "--threads", "1"])
        exe = os.path.join(lib, "latency")
        common.run(["cc", "-O2", "-std=c99", f"-I{lib}", '-DHEADER="net.h"',
                    "-DMODEL(f)=net_##f", "-DIN=NET_INPUT_SIZE", "-DOUTS=NET_OUTPUT_SIZE",
                    "-DOUT_T=float", os.path.join(here, "latency.c"),
                    os.path.join(lib, "libnet.a"), "-o", exe, "-lpthread", "-lm"])
        ours = [float(v) for v in common.run([exe, inputs, str(count), str(a.iterations)])
                .stdout.split()]
        std = os.path.join(tmp, "std.onnx")
        folded = os.path.join(tmp, "folded.onnx")
        common.qonnx_to_onnx(model, std)
        js = os.path.join(here, "ort_latency.js")
        common.run([sys.executable, os.path.join(root, "test", "e2e", "qonnx_to_onnx.py"),
                    "--fold-weights", model, folded])
        ort_std = [float(v) for v in common.run(["node", js, std, str(a.iterations)])
                   .stdout.split()]
        ort_folded = [float(v) for v in common.run(["node", js, folded, str(a.iterations)])
                      .stdout.split()]
        rows.append((label, ours, ort_std, ort_folded))

cpu = common.cpu_description()
lines = [f"Measured {datetime.date.today().isoformat()} on {cpu}, one thread, batch 1, "
         f"{a.iterations} runs each, µs per image (min / median); "
         "`python3 bench/e2e_latency.py`.", "",
         "| model | qnnc library | ORT fp32, standard ONNX | ORT fp32, weights pre-folded | "
         "speedup vs standard | speedup vs folded |", "|---|---|---|---|---|---|"]
for label, ours, std, folded in rows:
    lines.append(f"| {label} | {ours[0]:.2f} / {ours[1]:.2f} | {std[0]:.1f} / {std[1]:.1f} | "
                 f"{folded[0]:.1f} / {folded[1]:.1f} | **{std[1] / ours[1]:.1f}×** | "
                 f"**{folded[1] / ours[1]:.1f}×** |")
text = "\n".join(lines)
print(text)
if a.markdown:
    open(a.markdown, "w").write(text + "\n")
