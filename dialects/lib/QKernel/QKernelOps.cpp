//===- QKernelOps.cpp - Verifiers of the kernel ops -----------------------===//
//
// The verifiers check that every buffer shape agrees with the kernel's
// parameters, because the code generator trusts them when it lays out the
// workspace and the packed constants.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/QKernel/QKernelOps.h"
// The packed layouts the kernels agree on (header only).
#include "qnn/Codegen/BitPacking.h"

using namespace mlir;
using namespace mlir::qkernel;

int64_t mlir::qkernel::planesOf(StringRef encoding, int64_t bits) {
  return encoding == "bipolar" ? 1 : bits;
}

bool mlir::qkernel::isEncoding(StringRef encoding) {
  return encoding == "unsigned" || encoding == "twos_complement" ||
         encoding == "bipolar";
}

namespace {
int64_t words(int64_t k) { return (k + 63) / 64; }

/// Shape of packed activations: planes x panels x words x lanes.
SmallVector<int64_t> packedShape(int64_t planes, int64_t channels,
                                 int64_t columns, int64_t lanes) {
  return {planes, (columns + lanes - 1) / lanes, words(channels), lanes};
}

LogicalResult checkShape(Operation *op, Type type, ArrayRef<int64_t> expected,
                         StringRef what) {
  auto shaped = cast<ShapedType>(type);
  if (shaped.getShape() == expected)
    return success();
  auto diag = op->emitOpError() << what << " must have shape [";
  llvm::interleaveComma(expected, diag);
  return diag << "], got " << type;
}

/// [rows, rest] view of a plain tensor.
std::pair<int64_t, int64_t> rowsAndColumns(Type type) {
  auto shaped = cast<ShapedType>(type);
  int64_t rows = shaped.getRank() ? shaped.getDimSize(0) : 1;
  return {rows, shaped.getNumElements() / std::max<int64_t>(rows, 1)};
}

LogicalResult checkEncoding(Operation *op, StringRef encoding, int64_t bits) {
  if (!isEncoding(encoding))
    return op->emitOpError() << "unknown encoding '" << encoding << "'";
  if (bits < 1 || bits > 8 || (encoding == "bipolar" && bits != 1))
    return op->emitOpError()
           << "bad bit-width " << bits << " for encoding '" << encoding << "'";
  return success();
}

LogicalResult checkThresholds(Operation *op, ElementsAttr thresholds,
                              int64_t channels) {
  auto type = thresholds.getShapedType();
  if (type.getRank() != 2 ||
      (type.getDimSize(0) != 1 && type.getDimSize(0) != channels))
    return op->emitOpError()
           << "thresholds must be [1 or " << channels << ", T], got " << type;
  return success();
}
} // namespace

LogicalResult ThresholdPackOp::verify() {
  if (failed(checkEncoding(*this, getOutEncoding(), getOutBits())))
    return failure();
  auto [n, k] = rowsAndColumns(getInput().getType());
  if (getChannelMajor()) {
    auto in = cast<ShapedType>(getInput().getType());
    if (in.getRank() != 4 || in.getDimSize(0) != 1)
      return emitOpError("channel_major needs one NCHW image");
    k = in.getDimSize(1);
    n = in.getDimSize(2) * in.getDimSize(3);
  }
  if (failed(checkThresholds(*this, getThresholds(), k)))
    return failure();
  return checkShape(*this, getType(),
                    packedShape(planesOf(getOutEncoding(), getOutBits()), k, n,
                                getPanelWidth()),
                    "result");
}

LogicalResult BitserialGemmOp::verify() {
  if (failed(checkEncoding(*this, getWEncoding(), getWBits())) ||
      failed(checkEncoding(*this, getAEncoding(), getABits())))
    return failure();
  int64_t m = getM(), k = getK(), n = getN();
  // Packed pixels flattened into one column keep their [planes, P, words, 1]
  // type: the same words as [planes, 1, P * words, 1].
  auto aType = cast<ShapedType>(getActivations().getType());
  int64_t lanes = aType.getShape().back();
  SmallVector<int64_t> expected =
      packedShape(planesOf(getAEncoding(), getABits()), k, n, lanes);
  if (aType.getShape() != ArrayRef<int64_t>(expected) &&
      (n != 1 || lanes != 1 ||
       aType.getNumElements() != expected[0] * expected[2] ||
       aType.getDimSize(0) != expected[0]))
    return checkShape(*this, aType, expected, "activations");
  if (getWeights().getNumElements() !=
      planesOf(getWEncoding(), getWBits()) * m * words(k))
    return emitOpError("weights must hold planes x M x words(K) words");
  if (!getThresholds())
    return checkShape(*this, getType(), {m, n}, "result");
  if (!getLevelScale() || !getLevelBias() || !getOutBits() ||
      !getOutEncoding() || !getOutPanelWidth())
    return emitOpError("a threshold epilogue needs level_scale, level_bias, "
                       "out_bits, out_encoding and out_panel_width");
  if (failed(checkEncoding(*this, *getOutEncoding(), *getOutBits())) ||
      failed(checkThresholds(*this, *getThresholds(), m)))
    return failure();
  return checkShape(*this, getType(),
                    packedShape(planesOf(*getOutEncoding(), *getOutBits()), m,
                                n, *getOutPanelWidth()),
                    "result");
}

LogicalResult Im2ColPackedOp::verify() {
  auto in = cast<ShapedType>(getInput().getType()).getShape();
  int64_t h = getHeight(), w = getWidth(), c = getChannels();
  if (getKernelShape().size() != 2 || getStrides().size() != 2 ||
      getPads().size() != 4 || getDilations().size() != 2)
    return emitOpError("needs 2-D window parameters and 4 pads");
  if (in[1] != h * w || in[2] != words(c) || in[3] != 1)
    return emitOpError(
        "input must be packed pixels [planes, H*W, words(C), 1]");
  auto k = getKernelShape(), st = getStrides(), p = getPads(),
       d = getDilations();
  int64_t oh = (h + p[0] + p[2] - d[0] * (k[0] - 1) - 1) / st[0] + 1;
  int64_t ow = (w + p[1] + p[3] - d[1] * (k[1] - 1) - 1) / st[1] + 1;
  return checkShape(*this, getType(),
                    packedShape(in[0], qnnc::codegen::convGemmK(k[0], k[1], c),
                                oh * ow, getPanelWidth()),
                    "result");
}

LogicalResult MaxPoolPackedOp::verify() {
  auto in = cast<ShapedType>(getInput().getType()).getShape();
  int64_t h = getHeight(), w = getWidth(), c = getChannels();
  if (getKernelShape().size() != 2 || getStrides().size() != 2 ||
      getPads().size() != 4)
    return emitOpError("needs 2-D window parameters and 4 pads");
  if (in[1] != h * w || in[2] != words(c) || in[3] != 1)
    return emitOpError(
        "input must be packed pixels [planes, H*W, words(C), 1]");
  auto k = getKernelShape(), st = getStrides(), p = getPads();
  int64_t oh = (h + p[0] + p[2] - k[0]) / st[0] + 1;
  int64_t ow = (w + p[1] + p[3] - k[1]) / st[1] + 1;
  return checkShape(*this, getType(), {in[0], oh * ow, words(c), 1}, "result");
}

LogicalResult FloatGemmOp::verify() {
  auto [n, k] = rowsAndColumns(getInput().getType());
  auto w = getWeights().getShapedType();
  if (w.getRank() != 2 || w.getDimSize(0) != k)
    return emitOpError() << "weights must be [" << k << ", M], got " << w;
  return checkShape(*this, getType(), {n, w.getDimSize(1)}, "result");
}

LogicalResult DequantizeOp::verify() {
  auto in = cast<ShapedType>(getInput().getType());
  if (in.getRank() != 2)
    return emitOpError("input must be [M, N]");
  int64_t m = in.getDimSize(0), n = in.getDimSize(1);
  for (ElementsAttr p : {getScale(), getBias()})
    if (p.getNumElements() != 1 && p.getNumElements() != m)
      return emitOpError() << "scale and bias need 1 or " << m << " values";
  return checkShape(*this, getType(), {n, m}, "result");
}

LogicalResult ArgMaxOp::verify() {
  auto in = cast<ShapedType>(getInput().getType());
  if (in.getRank() != 2)
    return emitOpError("input must be [N, M]");
  return checkShape(*this, getType(), {in.getDimSize(0), 1}, "result");
}

LogicalResult QuantizeOp::verify() {
  auto in = cast<ShapedType>(getInput().getType());
  auto out = cast<ShapedType>(getType());
  if (in.getShape() != out.getShape() || out.getElementTypeBitWidth() != 8)
    return emitOpError("result must be an 8-bit tensor of the input's shape");
  return success();
}

LogicalResult IntConvOp::verify() {
  auto in = cast<ShapedType>(getInput().getType());
  auto w = getWeights().getShapedType();
  // A rank-2 result is a matrix product of the input read as [N, K].
  bool matmul = cast<ShapedType>(getType()).getRank() == 2;
  int64_t c = matmul ? rowsAndColumns(in).second : in.getDimSize(1);
  if (!matmul && in.getRank() != 4)
    return emitOpError("a convolution needs an [N, C, H, W] input");
  if (w.getRank() != 4 || w.getDimSize(1) != c ||
      w.getElementTypeBitWidth() != 8 ||
      (matmul && (w.getDimSize(2) != 1 || w.getDimSize(3) != 1)))
    return emitOpError() << "weights must be 8-bit [M, " << c
                         << (matmul ? ", 1, 1]" : ", KH, KW]") << ", got " << w;
  int64_t m = w.getDimSize(0);
  for (ElementsAttr p : {getBias()})
    if (p.getNumElements() != m)
      return emitOpError() << "bias needs " << m << " values";
  bool requantize = bool(getMultiplier());
  if (requantize != bool(getShift()) || requantize != bool(getInZeroPoint()) ||
      requantize != bool(getOutZeroPoint()) ||
      requantize != bool(getClampMin()) || requantize != bool(getClampMax()))
    return emitOpError("requantization needs multiplier, shift, zero points "
                       "and clamps, or none of them");
  SmallVector<ElementsAttr> perChannel = {getWZeroPoint()};
  if (requantize)
    perChannel.append({*getMultiplier(), *getShift()});
  for (ElementsAttr p : perChannel)
    if (p.getNumElements() != 1 && p.getNumElements() != m)
      return emitOpError() << "zero points, multipliers and shifts need 1 or "
                           << m << " values";
  if (getStrides().size() != 2 || getPads().size() != 4 ||
      getDilations().size() != 2)
    return emitOpError("needs 2 strides, 4 pads and 2 dilations");
  if (cast<ShapedType>(getType()).getElementTypeBitWidth() !=
      (requantize ? 8 : 32))
    return emitOpError(requantize ? "result must be 8-bit"
                                  : "without requantization the result is "
                                    "the 32-bit accumulator");
  return success();
}

LogicalResult MaxPoolOp::verify() {
  if (cast<ShapedType>(getInput().getType()).getRank() != 4 ||
      getKernelShape().size() != 2 || getStrides().size() != 2 ||
      getPads().size() != 4 || getDilations().size() != 2)
    return emitOpError("needs an NCHW input and 2-D window parameters");
  return success();
}

LogicalResult AffineOp::verify() {
  auto in = cast<ShapedType>(getInput().getType());
  if (in.getRank() != 2)
    return emitOpError("input must be [N, C]");
  int64_t c = in.getDimSize(1);
  for (ElementsAttr p : {getScale(), getBias()})
    if (p.getNumElements() != 1 && p.getNumElements() != c)
      return emitOpError() << "scale and bias need 1 or " << c << " values";
  return checkShape(*this, getType(), in.getShape(), "result");
}

#define GET_OP_CLASSES
#include "qnn/Dialect/QKernel/QKernelOps.cpp.inc"
