"""The FINN-streamlined TFC-W1A1 compiled to a static library gives the authors' expected
labels (7, 2, 1, 0) on their four digits (input.npy).

usage: finn_library_labels.py QNNC WORKDIR
"""
import os
import sys

import numpy as np

import common

qnnc, work = sys.argv[1], sys.argv[2]
d = os.path.join(common.models_dir(), "finn_tfc_w1a1_streamlined")
os.makedirs(work, exist_ok=True)
out = os.path.join(work, "labels.npy")
common.run([qnnc, "run", os.path.join(d, "model.onnx"), "--input", os.path.join(d, "input.npy"),
            "--output", out])
got = np.load(out).flatten().tolist()
expected = np.load(os.path.join(d, "expected_output.npy")).flatten().tolist()
print(f"expected {expected}, library {got}")
sys.exit(0 if got == expected else 1)
