"""Imports the example with qnnc, prints its IR summary, and measures the reference evaluator's
top-1 accuracy on the 2,004 held-out digits (those train.py did not train on).

usage: /usr/bin/python3 evaluate.py QNNC MODEL.onnx WORKDIR
"""
import os
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train  # noqa: E402  (shares the data split)

qnnc, model, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
subprocess.run([qnnc, model, "--emit=summary"], check=True)
_, _, x, y = train.load_split()
np.save(os.path.join(work, "x.npy"), x.reshape(-1, 1, 28, 28))
start = time.perf_counter()
subprocess.run([qnnc, "run", "--reference", model, "--input", os.path.join(work, "x.npy"),
                "--output", os.path.join(work, "y.npy")], check=True)
elapsed = time.perf_counter() - start
pred = np.load(os.path.join(work, "y.npy")).argmax(axis=1)
print(f"reference evaluator: top-1 {100 * np.mean(pred == y):.2f} % on {len(y)} held-out digits, "
      f"{1e3 * elapsed / len(y):.3f} ms per image (import + slow reference execution, "
      f"not compiled code)")
