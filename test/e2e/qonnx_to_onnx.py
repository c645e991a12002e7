"""Test-side rewrite of QONNX custom ops into standard ONNX ops, so that ONNX Runtime can
serve as an independent oracle. Semantics follow shared/models/README.md. This code is only
used by tests; qnnc itself imports the custom ops directly.

usage: qonnx_to_onnx.py [--fold-weights] IN.onnx OUT.onnx   (also makes the batch symbolic)
--fold-weights evaluates quantizers whose inputs are all constants (the weight quantizers)
in numpy and stores their results as fp32 initializers: the pre-folded fp32 network.
"""
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper

CUSTOM = {"onnx.brevitas", "qonnx.custom_op.general", "finn.custom_op.general"}


class Rewriter:
    def __init__(self, model, fold_weights=False):
        self.fold_weights = fold_weights
        self.model = model
        self.graph = model.graph
        self.inits = {i.name: numpy_helper.to_array(i) for i in self.graph.initializer}
        self.new_inits = []
        self.count = 0

    def name(self, base):
        self.count += 1
        return f"__qonnx_{base}_{self.count}"

    def const(self, value, dtype=np.float32):
        n = self.name("c")
        self.new_inits.append(numpy_helper.from_array(np.asarray(value, dtype), n))
        return n

    def node(self, op, inputs, **attrs):
        out = self.name(op.lower())
        return helper.make_node(op, inputs, [out], **attrs), out

    def constant_value(self, name, produced):
        if name in self.inits:
            return self.inits[name]
        if name in produced:
            return produced[name]
        raise ValueError(f"{name} must be a constant")

    def quant(self, n, produced):
        attrs = {a.name: helper.get_attribute_value(a) for a in n.attribute}
        signed = attrs.get("signed", 1)
        narrow = attrs.get("narrow", 1)
        mode = attrs.get("rounding_mode", b"ROUND")
        mode = mode.decode() if isinstance(mode, bytes) else mode
        bits = float(self.constant_value(n.input[3], produced))
        x, s, z = n.input[0], n.input[1], n.input[2]
        out = []
        div, y = self.node("Div", [x, s]); out.append(div)
        add, y = self.node("Add", [y, z]); out.append(add)
        if bits == 1 and signed:
            less, c = self.node("Less", [y, self.const(0.0)]); out.append(less)
            where, y = self.node("Where", [c, self.const(-1.0), self.const(1.0)]); out.append(where)
        else:
            lo = (-(2 ** (bits - 1)) + (1 if narrow else 0)) if signed else 0
            hi = (2 ** (bits - 1) - 1) if signed else (2 ** bits - 1 - (1 if narrow else 0))
            mx, y = self.node("Max", [y, self.const(lo)]); out.append(mx)
            mn, y = self.node("Min", [y, self.const(hi)]); out.append(mn)
            op = {"ROUND": "Round", "CEIL": "Ceil", "FLOOR": "Floor"}[mode.upper()]
            rnd, y = self.node(op, [y]); out.append(rnd)
        sub, y = self.node("Sub", [y, z]); out.append(sub)
        out.append(helper.make_node("Mul", [y, s], [n.output[0]]))
        return out

    def bipolar(self, n):
        less, c = self.node("Less", [n.input[0], self.const(0.0)])
        neg, m = self.node("Neg", [n.input[1]])
        return [less, neg, helper.make_node("Where", [c, m, n.input[1]], [n.output[0]])]

    def multithreshold(self, n, rank):
        attrs = {a.name: helper.get_attribute_value(a) for a in n.attribute}
        t = self.inits[n.input[1]]
        layout = attrs.get("data_layout", b"NCHW")
        layout = layout.decode() if isinstance(layout, bytes) else layout
        axis = rank - 1 if (layout == "NHWC" or rank <= 2) else 1
        shape = [1] * (rank + 1)
        shape[axis] = t.shape[0]
        shape[rank] = t.shape[1]
        tn = self.const(t.reshape(shape))
        unsq, xu = self.node("Unsqueeze", [n.input[0]], axes=[rank])
        less, c = self.node("Less", [xu, tn])
        nt, ge = self.node("Not", [c])
        cast, f = self.node("Cast", [ge], to=onnx.TensorProto.FLOAT)
        red, cnt = self.node("ReduceSum", [f], axes=[rank], keepdims=0)
        mul, y = self.node("Mul", [cnt, self.const(attrs.get("out_scale", 1.0))])
        return [unsq, less, nt, cast, red, mul,
                helper.make_node("Add", [y, self.const(attrs.get("out_bias", 0.0))], [n.output[0]])]

    def fold(self, n, produced):
        """The numpy value of a quantizer on constants (same arithmetic as the rewrite)."""
        try:
            v = [np.asarray(self.constant_value(i, produced), np.float32) for i in n.input]
        except ValueError:
            return False
        if n.op_type == "BipolarQuant":
            y = np.where(v[0] < 0, -v[1], v[1])
        elif n.op_type in ("Quant", "IntQuant"):
            attrs = {a.name: helper.get_attribute_value(a) for a in n.attribute}
            signed, narrow = attrs.get("signed", 1), attrs.get("narrow", 1)
            mode = attrs.get("rounding_mode", b"ROUND")
            mode = (mode.decode() if isinstance(mode, bytes) else mode).upper()
            bits = float(v[3])
            y = v[0] / v[1] + v[2]
            if bits == 1 and signed:
                y = np.where(y < 0, -1.0, 1.0).astype(np.float32)
            else:
                lo = (-(2 ** (bits - 1)) + (1 if narrow else 0)) if signed else 0
                hi = (2 ** (bits - 1) - 1) if signed else (2 ** bits - 1 - (1 if narrow else 0))
                y = {"ROUND": np.round, "CEIL": np.ceil, "FLOOR": np.floor}[mode](
                    np.clip(y, lo, hi))
            y = (y - v[2]) * v[1]
        else:
            return False
        y = np.asarray(y, np.float32)
        self.inits[n.output[0]] = y
        self.new_inits.append(numpy_helper.from_array(y, n.output[0]))
        return True

    def run(self):
        # Ranks of MultiThreshold inputs, from the shapes the exporter declared (ONNX shape
        # inference does not know the custom ops).
        ranks = {}
        for v in list(self.graph.value_info) + list(self.graph.input):
            if v.type.tensor_type.HasField("shape"):
                ranks[v.name] = len(v.type.tensor_type.shape.dim)
        produced = {}
        nodes = []
        for n in self.graph.node:
            if n.op_type == "Constant":
                produced[n.output[0]] = numpy_helper.to_array(n.attribute[0].t)
            if n.domain in CUSTOM or (n.op_type == "Quant" and n.domain == ""):
                if self.fold_weights and self.fold(n, produced):
                    continue
                if n.op_type in ("Quant", "IntQuant"):
                    nodes += self.quant(n, produced)
                elif n.op_type == "BipolarQuant":
                    nodes += self.bipolar(n)
                elif n.op_type == "MultiThreshold":
                    nodes += self.multithreshold(n, ranks.get(n.input[0], 2))
                else:
                    raise ValueError(f"cannot rewrite {n.op_type}")
            else:
                nodes.append(n)
        del self.graph.node[:]
        self.graph.node.extend(nodes)
        self.graph.initializer.extend(self.new_inits)
        del self.graph.value_info[:]
        for o in self.graph.output:
            o.type.tensor_type.ClearField("shape")
        for i in self.graph.input:
            if i.name not in self.inits and i.type.tensor_type.shape.dim:
                i.type.tensor_type.shape.dim[0].dim_param = "N"
        for op in list(self.model.opset_import):
            if op.domain in CUSTOM:
                self.model.opset_import.remove(op)
            elif op.domain == "" and op.version < 11:
                op.version = 11  # Round needs opset 11; nothing else in these models changes
        return self.model


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--fold-weights"]
    m = Rewriter(onnx.load(args[0]), "--fold-weights" in sys.argv).run()
    onnx.save(m, args[1])
