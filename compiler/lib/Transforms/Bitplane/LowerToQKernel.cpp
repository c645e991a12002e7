//===- LowerToQKernel.cpp - qnn integer graph to packed kernel ops --------===//

#include "../Streamline/StreamlineUtils.h"
#include "qnn/Codegen/BitPacking.h"
#include "qnn/Codegen/GemmTiling.h"
#include "qnn/Dialect/QKernel/QKernelOps.h"
#include "qnn/Dialect/QNN/QNNOps.h"
#include "qnn/Transforms/Passes.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_LOWERTOQKERNEL
#include "qnn/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::streamline;
using qnnc::codegen::Encoding;
using qnnc::codegen::Operand;

namespace {

/// A lowered value: plain row-major (as the qnn value, or [M, N] for a GEMM
/// accumulator) or packed bit-planes of `channels` x `columns` values.
struct Lowered {
  enum Kind { Plain, Accumulator, Packed } kind = Plain;
  Value value;
  Operand operand; ///< packed: encoding of the values
  int64_t channels = 0, columns = 0;
  /// Packed pixels of one image (columns = height * width, panel width 1).
  int64_t height = 0, width = 0;
  /// Packed pixels flattened into one column: K runs over (pixel, channel
  /// padded to words) instead of NCHW's (channel, pixel).
  int64_t flatChannels = 0, flatPixels = 0;
};

StringRef encodingName(Encoding e) {
  switch (e) {
  case Encoding::Unsigned:
    return "unsigned";
  case Encoding::TwosComplement:
    return "twos_complement";
  case Encoding::Bipolar:
    return "bipolar";
  }
  return "";
}

/// The narrowest encoding that holds every value in [lo, hi]; `pm1` when the
/// values are exactly {-1, +1}.
std::optional<Operand> narrowestEncoding(int64_t lo, int64_t hi, bool pm1) {
  if (pm1)
    return Operand{1, Encoding::Bipolar};
  for (int bits = 1; bits <= 8; ++bits) {
    Operand u{bits, Encoding::Unsigned}, s{bits, Encoding::TwosComplement};
    if (u.representable(lo) && u.representable(hi))
      return u;
    if (s.representable(lo) && s.representable(hi))
      return s;
  }
  return std::nullopt;
}

std::optional<Operand> encodingOfValues(const std::vector<double> &values) {
  if (values.empty())
    return std::nullopt;
  double lo = values[0], hi = values[0];
  bool pm1 = true;
  for (double v : values) {
    if (v != std::nearbyint(v))
      return std::nullopt;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    pm1 &= v == 1 || v == -1;
  }
  return narrowestEncoding(int64_t(lo), int64_t(hi), pm1);
}

/// Levels of a multithreshold: bias + scale * count, count in [0, T].
std::vector<double> thresholdLevels(MultiThresholdOp op, int64_t steps) {
  std::vector<double> levels;
  for (int64_t c = 0; c <= steps; ++c)
    levels.push_back(op.getOutBias().convertToDouble() +
                     op.getOutScale().convertToDouble() * double(c));
  return levels;
}

/// The constant behind `v`, looking through a cast of a constant.
std::optional<Tensor> constantThroughCast(Value v) {
  if (auto cast = v.getDefiningOp<CastOp>())
    v = cast.getX();
  return constantValue(v);
}

/// Packed bit-plane words as a 1-D i64 attribute.
DenseElementsAttr packedWordsAttr(OpBuilder &b,
                                  const std::vector<uint64_t> &packed) {
  SmallVector<APInt> words;
  for (uint64_t word : packed)
    words.push_back(APInt(64, word));
  return DenseElementsAttr::get(
      RankedTensorType::get({int64_t(packed.size())}, b.getIntegerType(64)),
      words);
}

Operation *singleUser(Value v) {
  return v.hasOneUse() ? *v.getUsers().begin() : nullptr;
}

class Lowering {
public:
  Lowering(func::FuncOp func, int64_t lanes, int64_t rows, int64_t vpp)
      : func(func), lanes(lanes), rows(rows), vpp(vpp) {}

  LogicalResult run();

private:
  LogicalResult lower(Operation *op);
  LogicalResult lowerMultiThreshold(MultiThresholdOp op);
  LogicalResult lowerMatMul(MatMulOp op);
  LogicalResult lowerCast(CastOp op);
  LogicalResult lowerTopK(TopKOp op);
  LogicalResult lowerQuantizeLinear(QuantizeLinearOp op);
  LogicalResult lowerIntegerLayer(Operation *op);
  LogicalResult lowerMaxPool(MaxPoolOp op);
  LogicalResult lowerBitserialConv(ConvIntegerOp op, const Lowered &a);

  /// Thresholds as an M x T attribute of `element` type (one row per channel).
  FailureOr<DenseElementsAttr> thresholdAttr(MultiThresholdOp op,
                                             int64_t channels, Type element);
  FailureOr<Operand> levelEncoding(MultiThresholdOp op, int64_t steps);
  /// A multithreshold fused into a GEMM with M rows: si32 thresholds (M x T)
  /// and the encoding of its levels.
  struct Epilogue {
    DenseElementsAttr thresholds;
    Operand encoding;
  };
  FailureOr<Epilogue> epilogueFor(MultiThresholdOp next, int64_t m);
  int64_t panelWidth(int64_t columns) const {
    return columns == 1 ? 1 : lanes * vpp;
  }
  RankedTensorType packedType(const Operand &o, int64_t channels,
                              int64_t columns, int64_t width = 0);
  InFlightDiagnostic refuse(Operation *op, const Twine &why);

  func::FuncOp func;
  int64_t lanes, rows, vpp;

  /// Rows per register tile: the pass option, or fewer where a multi-plane
  /// GEMM's plane pairs then get their own accumulators (GemmTiling.h). A
  /// GEMV (N = 1) spreads its rows across the vector lanes: one cache line of
  /// rows (kGemvTileRows), no more than M rows fill, at least a vector.
  int64_t tileRows(const Operand &w, const Operand &a, int64_t m,
                   int64_t n) const {
    if (n == 1)
      return std::max(lanes, std::min(qnnc::codegen::kGemvTileRows,
                                      (m + lanes - 1) / lanes * lanes));
    return qnnc::codegen::planePairRows(int64_t(w.planes()) * a.planes(), rows,
                                        vpp);
  }
  DenseMap<Value, Lowered> lowered;
  DenseSet<Operation *> absorbed; ///< ops folded into an earlier kernel
};

InFlightDiagnostic Lowering::refuse(Operation *op, const Twine &why) {
  return op->emitError() << "no kernel for '" << op->getName() << "': " << why;
}

RankedTensorType Lowering::packedType(const Operand &o, int64_t channels,
                                      int64_t columns, int64_t width) {
  if (width == 0)
    width = panelWidth(columns);
  return RankedTensorType::get({o.planes(), (columns + width - 1) / width,
                                qnnc::codegen::wordsFor(channels), width},
                               IntegerType::get(func.getContext(), 64));
}

FailureOr<Operand> Lowering::levelEncoding(MultiThresholdOp op, int64_t steps) {
  std::optional<Operand> o = encodingOfValues(thresholdLevels(op, steps));
  if (!o) {
    refuse(op, "its levels are not small integers");
    return failure();
  }
  return *o;
}

FailureOr<DenseElementsAttr>
Lowering::thresholdAttr(MultiThresholdOp op, int64_t channels, Type element) {
  std::optional<Tensor> t = constantValue(op.getThresholds());
  if (!t || t->rank() != 2 || (t->shape[0] != 1 && t->shape[0] != channels)) {
    refuse(op, "thresholds must be a constant [1 or C, T]");
    return failure();
  }
  int64_t steps = t->shape[1];
  auto type = RankedTensorType::get({channels, steps}, element);
  bool isInt = element.isInteger(32);
  SmallVector<Attribute> values;
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t s = 0; s < steps; ++s) {
      double v = t->data[(t->shape[0] == 1 ? 0 : c) * steps + s];
      if (isInt) {
        // Integer inputs: a threshold above every int32 is never reached.
        double clamped = std::clamp(std::ceil(v), -2147483648.0, 2147483647.0);
        values.push_back(IntegerAttr::get(element, int64_t(clamped)));
      } else {
        values.push_back(FloatAttr::get(element, v));
      }
    }
  return DenseElementsAttr::get(type, values);
}

FailureOr<Lowering::Epilogue> Lowering::epilogueFor(MultiThresholdOp next,
                                                    int64_t m) {
  auto thresholds =
      thresholdAttr(next, m, IntegerType::get(next.getContext(), 32));
  if (failed(thresholds))
    return failure();
  auto encoding = levelEncoding(next, thresholds->getType().getDimSize(1));
  if (failed(encoding))
    return failure();
  return Epilogue{*thresholds, *encoding};
}

LogicalResult Lowering::lowerMultiThreshold(MultiThresholdOp op) {
  auto it = lowered.find(op.getX());
  if (it == lowered.end() || it->second.kind != Lowered::Plain)
    return refuse(op, "its input is not a plain tensor");
  auto inType = cast<RankedTensorType>(op.getX().getType());
  bool image = inType.getRank() == 4;
  if (inType.getRank() != 2 && !(image && inType.getDimSize(0) == 1))
    return refuse(op, "only [N, C] activations or one NCHW image");
  // An image is packed pixel by pixel (channels in words), as convolutions
  // read it.
  int64_t n = image ? inType.getDimSize(2) * inType.getDimSize(3)
                    : inType.getDimSize(0),
          c = inType.getDimSize(1);
  Type element = inType.getElementType();
  Type thresholdElement = isa<FloatType>(element)
                              ? Type(Float32Type::get(op.getContext()))
                              : Type(IntegerType::get(op.getContext(), 32));
  if (!isa<FloatType>(element) && element.getIntOrFloatBitWidth() > 32)
    return refuse(op, "inputs wider than 32 bits");
  auto thresholds = thresholdAttr(op, c, thresholdElement);
  if (failed(thresholds))
    return failure();
  auto encoding = levelEncoding(op, thresholds->getType().getDimSize(1));
  if (failed(encoding))
    return failure();
  OpBuilder b(op);
  int64_t width = image ? 1 : panelWidth(n);
  auto pack = b.create<qkernel::ThresholdPackOp>(
      op.getLoc(), packedType(*encoding, c, n, width), it->second.value,
      *thresholds,
      b.getI64IntegerAttr(int64_t(op.getOutScale().convertToDouble())),
      b.getI64IntegerAttr(int64_t(op.getOutBias().convertToDouble())),
      b.getI64IntegerAttr(encoding->bits),
      b.getStringAttr(encodingName(encoding->encoding)),
      b.getI64IntegerAttr(width), image ? b.getUnitAttr() : nullptr);
  Lowered result{Lowered::Packed, pack, *encoding, c, n};
  if (image) {
    result.height = inType.getDimSize(2);
    result.width = inType.getDimSize(3);
  }
  lowered[op.getY()] = result;
  return success();
}

LogicalResult Lowering::lowerMatMul(MatMulOp op) {
  auto it = lowered.find(op.getA());
  std::optional<Tensor> w = constantThroughCast(op.getB());
  auto aType = cast<RankedTensorType>(op.getA().getType());
  if (it == lowered.end() || !w || w->rank() != 2 || aType.getRank() != 2)
    return refuse(op, "needs [N, K] activations and constant [K, M] weights");
  int64_t n = aType.getDimSize(0), k = w->shape[0], m = w->shape[1];
  OpBuilder b(op);
  Location loc = op.getLoc();
  const Lowered &a = it->second;

  if (a.kind == Lowered::Plain && isa<FloatType>(aType.getElementType())) {
    auto type = RankedTensorType::get({k, m}, b.getF32Type());
    SmallVector<float> values(w->data.begin(), w->data.end());
    auto gemm = b.create<qkernel::FloatGemmOp>(
        loc, op.getType(), a.value,
        DenseElementsAttr::get(type, ArrayRef<float>(values)));
    lowered[op.getY()] = {Lowered::Plain, gemm};
    return success();
  }
  if (a.kind != Lowered::Packed)
    return refuse(op, "its activations are neither float nor thresholded");
  std::optional<Operand> wo = encodingOfValues(w->data);
  if (!wo)
    return refuse(op, "its weights are not integers of at most 8 bits");
  if (int64_t(wo->bits) * a.operand.bits > 16)
    return refuse(op, Twine(wo->bits) + "-bit weights x " +
                          Twine(a.operand.bits) +
                          "-bit activations need the 8-bit kernel path");

  // Weights as GEMM rows: row m holds column m of the [K, M] matrix. After
  // flattened packed pixels, K runs over (pixel, padded channel): NCHW's
  // element c * P + p moves to p * 64 words(C) + c, padding stays zero.
  int64_t validK = 0;
  if (a.flatPixels) {
    int64_t cpad = qnnc::codegen::wordsFor(a.flatChannels) * 64;
    validK = k;
    k = a.flatPixels * cpad;
  }
  std::vector<int64_t> rowsMajor(size_t(m * k), 0);
  for (int64_t r = 0; r < m; ++r)
    for (int64_t c = 0; c < validK + (validK ? 0 : k); ++c) {
      int64_t to = c;
      if (a.flatPixels)
        to = (c % a.flatPixels) * (k / a.flatPixels) + c / a.flatPixels;
      rowsMajor[r * k + to] = int64_t(w->data[c * m + r]);
    }
  std::vector<uint64_t> packed = qnnc::codegen::packRows(rowsMajor, m, k, *wo);
  auto weights = packedWordsAttr(b, packed);

  auto build = [&](Location at, Type resultType) {
    return b.create<qkernel::BitserialGemmOp>(
        at, resultType, a.value, weights, b.getI64IntegerAttr(m),
        b.getI64IntegerAttr(k), b.getI64IntegerAttr(n),
        b.getI64IntegerAttr(wo->bits),
        b.getStringAttr(encodingName(wo->encoding)),
        b.getI64IntegerAttr(a.operand.bits),
        b.getStringAttr(encodingName(a.operand.encoding)),
        b.getI64IntegerAttr(tileRows(*wo, a.operand, m, n)),
        b.getI64IntegerAttr(vpp),
        validK ? b.getI64IntegerAttr(validK) : nullptr, nullptr, nullptr,
        nullptr, nullptr, nullptr, nullptr);
  };

  // Fuse the only user when it thresholds the accumulator.
  auto next = dyn_cast_or_null<MultiThresholdOp>(singleUser(op.getY()));
  if (next && cast<ShapedType>(next.getX().getType()).getRank() == 2) {
    auto epilogue = epilogueFor(next, m);
    if (failed(epilogue))
      return failure();
    DenseElementsAttr thresholds = epilogue->thresholds;
    Operand *encoding = &epilogue->encoding;
    // The fused kernel produces the multithreshold's value: it takes its
    // location (and ONNX node name).
    auto gemm = build(next.getLoc(), packedType(*encoding, m, n));
    gemm.setThresholdsAttr(thresholds);
    gemm.setLevelScaleAttr(
        b.getI64IntegerAttr(int64_t(next.getOutScale().convertToDouble())));
    gemm.setLevelBiasAttr(
        b.getI64IntegerAttr(int64_t(next.getOutBias().convertToDouble())));
    gemm.setOutBitsAttr(b.getI64IntegerAttr(encoding->bits));
    gemm.setOutEncodingAttr(b.getStringAttr(encodingName(encoding->encoding)));
    gemm.setOutPanelWidthAttr(b.getI64IntegerAttr(panelWidth(n)));
    lowered[next.getY()] = {Lowered::Packed, gemm, *encoding, m, n};
    absorbed.insert(next);
    return success();
  }
  auto gemm = build(loc, RankedTensorType::get({m, n}, b.getIntegerType(32)));
  lowered[op.getY()] = {Lowered::Accumulator, gemm};
  return success();
}

LogicalResult Lowering::lowerCast(CastOp op) {
  if (constantValue(op.getX()))
    return success(); // weights: read through by their consumer
  auto it = lowered.find(op.getX());
  auto inType = cast<ShapedType>(op.getX().getType());
  auto outType = cast<ShapedType>(op.getType());
  bool accumulator =
      it != lowered.end() && it->second.kind == Lowered::Accumulator;
  bool plainInteger =
      it != lowered.end() && it->second.kind == Lowered::Plain &&
      isa<IntegerType>(inType.getElementType()) && inType.getRank() == 2;
  if ((!accumulator && !plainInteger) ||
      !isa<FloatType>(outType.getElementType()))
    return refuse(op, "only GEMM results and [N, C] integer tensors cast to "
                      "f32 are supported");
  // cast -> [mul by constant] -> [add constant], each the only user of the
  // previous value.
  Value result = op.getY();
  int64_t m = accumulator
                  ? cast<ShapedType>(it->second.value.getType()).getDimSize(0)
                  : inType.getDimSize(1);
  auto parameter = [&](auto binary) -> std::optional<Tensor> {
    if (!binary || binary.getLhs() != result)
      return std::nullopt;
    std::optional<Tensor> t = constantValue(binary.getRhs());
    if (!t || (t->numel() != 1 && t->numel() != m) ||
        binary.getType() != result.getType())
      return std::nullopt;
    return t;
  };
  Tensor scale(qnnc::ref::DType::F32, {1}, {1.0}),
      bias(qnnc::ref::DType::F32, {1}, {0.0});
  if (auto mul = dyn_cast_or_null<MulOp>(singleUser(result))) {
    if (auto t = parameter(mul)) {
      scale = *t;
      absorbed.insert(mul);
      result = mul.getOutput();
    }
  }
  if (auto add = dyn_cast_or_null<AddOp>(singleUser(result))) {
    if (auto t = parameter(add)) {
      bias = *t;
      absorbed.insert(add);
      result = add.getOutput();
    }
  }
  OpBuilder b(op);
  auto attr = [&](const Tensor &t) {
    SmallVector<float> v(t.data.begin(), t.data.end());
    return DenseElementsAttr::get(
        RankedTensorType::get({int64_t(v.size())}, b.getF32Type()),
        ArrayRef<float>(v));
  };
  Operation *kernel =
      accumulator
          ? b.create<qkernel::DequantizeOp>(op.getLoc(), result.getType(),
                                            it->second.value, attr(scale),
                                            attr(bias))
                .getOperation()
          : b.create<qkernel::AffineOp>(op.getLoc(), result.getType(),
                                        it->second.value, attr(scale),
                                        attr(bias))
                .getOperation();
  lowered[result] = {Lowered::Plain, kernel->getResult(0)};
  return success();
}

LogicalResult Lowering::lowerQuantizeLinear(QuantizeLinearOp op) {
  auto it = lowered.find(op.getX());
  std::optional<Tensor> scale = constantValue(op.getScale()),
                        zero = constantValue(op.getZeroPoint());
  if (it == lowered.end() || it->second.kind != Lowered::Plain || !scale ||
      !zero || scale->numel() != 1 || zero->numel() != 1)
    return refuse(op, "needs a plain f32 input and per-tensor constant scale "
                      "and zero point");
  OpBuilder b(op);
  auto q = b.create<qkernel::QuantizeOp>(
      op.getLoc(), op.getType(), it->second.value,
      b.getF32FloatAttr(float(scale->data[0])),
      b.getI64IntegerAttr(int64_t(zero->data[0])));
  lowered[op.getY()] = {Lowered::Plain, q};
  return success();
}

LogicalResult Lowering::lowerIntegerLayer(Operation *op) {
  // conv_integer / matmul_integer -> [add constant bias] -> requantize.
  Value x = op->getOperand(0);
  auto it = lowered.find(x);
  if (auto conv = dyn_cast<ConvIntegerOp>(op))
    if (it != lowered.end() && it->second.kind == Lowered::Packed)
      return lowerBitserialConv(conv, it->second);
  std::optional<Tensor> w = constantValue(op->getOperand(1)),
                        xzp = constantValue(op->getOperand(2)),
                        wzp = constantValue(op->getOperand(3));
  if (it == lowered.end() || it->second.kind != Lowered::Plain || !w || !xzp ||
      !wzp || xzp->numel() != 1)
    return refuse(op, "needs plain 8-bit activations, constant weights and "
                      "constant zero points (per-tensor for the input)");
  auto conv = dyn_cast<ConvIntegerOp>(op);
  if (conv && (conv.getGroup() != 1 || w->rank() != 4))
    return refuse(op, "only 2-D convolutions without groups");
  if (!conv && (w->rank() != 2 || cast<ShapedType>(x.getType()).getRank() != 2))
    return refuse(op, "only [N, K] x [K, M] matrix products");
  int64_t m = conv ? w->shape[0] : w->shape[1];
  Value result = op->getResult(0);
  std::vector<int32_t> bias(size_t(m), 0);
  if (auto add = dyn_cast_or_null<AddOp>(singleUser(result))) {
    std::optional<Tensor> t = constantValue(add.getRhs());
    if (add.getLhs() == result && t && t->numel() == m) {
      for (int64_t i = 0; i < m; ++i)
        bias[i] = int32_t(t->data[i]);
      absorbed.insert(add);
      result = add.getOutput();
    }
  }
  auto requantize = dyn_cast_or_null<RequantizeOp>(singleUser(result));
  // Accumulators that are thresholded next (an 8-bit first layer feeding
  // few-bit layers) stay int32: the multithreshold packs them.
  bool accumulate =
      !requantize && isa_and_nonnull<MultiThresholdOp>(singleUser(result));
  if (!accumulate && (!requantize || requantize.getAxis() != 1))
    return refuse(op, "an 8-bit layer must be followed by a per-channel "
                      "qnn.requantize or a multithreshold (optionally after "
                      "a bias add)");
  if (requantize)
    absorbed.insert(requantize);

  OpBuilder b(op);
  // Weights as [M, C, KH, KW] si8 (a matmul's [K, M] becomes [M, K, 1, 1]).
  SmallVector<int8_t> weights;
  int64_t c = conv ? w->shape[1] : w->shape[0];
  int64_t window = conv ? w->shape[2] * w->shape[3] : 1;
  for (int64_t o = 0; o < m; ++o)
    for (int64_t i = 0; i < c * window; ++i)
      weights.push_back(
          int8_t(conv ? w->data[o * c * window + i] : w->data[i * m + o]));
  SmallVector<int64_t> wShape =
      conv ? SmallVector<int64_t>(w->shape.begin(), w->shape.end())
           : SmallVector<int64_t>{m, c, 1, 1};
  auto i8 = IntegerType::get(op->getContext(), 8);
  auto i32 = IntegerType::get(op->getContext(), 32);
  auto i64 = IntegerType::get(op->getContext(), 64);
  SmallVector<int32_t> wzpValues(wzp->data.begin(), wzp->data.end());
  auto vec = [&](ArrayRef<int64_t> v) {
    return DenseElementsAttr::get(
        RankedTensorType::get({int64_t(v.size())}, i64), v);
  };
  static const int64_t ones[] = {1, 1}, zeros[] = {0, 0, 0, 0};
  ArrayRef<int64_t> strides = conv ? conv.getStrides() : ArrayRef(ones);
  ArrayRef<int64_t> pads = conv ? conv.getPads() : ArrayRef(zeros);
  ArrayRef<int64_t> dilations = conv ? conv.getDilations() : ArrayRef(ones);
  Value last = requantize ? requantize.getY() : result;
  auto kernel = b.create<qkernel::IntConvOp>(
      last.getLoc(), last.getType(), it->second.value,
      DenseElementsAttr::get(RankedTensorType::get(wShape, i8),
                             ArrayRef<int8_t>(weights)),
      DenseElementsAttr::get(
          RankedTensorType::get({int64_t(wzpValues.size())}, i32),
          ArrayRef<int32_t>(wzpValues)),
      b.getI64IntegerAttr(int64_t(xzp->data[0])),
      DenseElementsAttr::get(RankedTensorType::get({m}, i32),
                             ArrayRef<int32_t>(bias)),
      requantize ? vec(requantize.getMultiplier()) : nullptr,
      requantize ? vec(requantize.getShift()) : nullptr,
      requantize ? b.getI64IntegerAttr(requantize.getInZeroPoint()) : nullptr,
      requantize ? b.getI64IntegerAttr(requantize.getOutZeroPoint()) : nullptr,
      requantize ? b.getI64IntegerAttr(requantize.getClampMin()) : nullptr,
      requantize ? b.getI64IntegerAttr(requantize.getClampMax()) : nullptr,
      b.getDenseI64ArrayAttr(strides), b.getDenseI64ArrayAttr(pads),
      b.getDenseI64ArrayAttr(dilations));
  lowered[last] = {Lowered::Plain, kernel};
  return success();
}

LogicalResult Lowering::lowerBitserialConv(ConvIntegerOp op, const Lowered &a) {
  std::optional<Tensor> w = constantValue(op.getW()),
                        xzp = constantValue(op.getXZeroPoint()),
                        wzp = constantValue(op.getWZeroPoint());
  if (!a.height || !w || w->rank() != 4 || !xzp || !wzp || xzp->numel() != 1 ||
      xzp->data[0] != 0 || wzp->numel() != 1 || wzp->data[0] != 0 ||
      op.getGroup() != 1)
    return refuse(op, "a bit-serial convolution needs one packed image, "
                      "constant weights, zero points 0 and no groups");
  auto pads = op.getPads();
  bool padded = llvm::any_of(pads, [](int64_t p) { return p != 0; });
  if (padded && a.operand.encoding == Encoding::Bipolar)
    return refuse(op, "zero padding of +-1 activations is not representable "
                      "in one bit-plane");
  std::optional<Operand> wo = encodingOfValues(w->data);
  if (!wo || int64_t(wo->bits) * a.operand.bits > 16)
    return refuse(op, "its weights need the 8-bit kernel path");
  int64_t m = w->shape[0], c = w->shape[1], kh = w->shape[2], kw = w->shape[3];
  auto outType = cast<ShapedType>(op.getY().getType());
  int64_t oh = outType.getDimSize(2), ow = outType.getDimSize(3), n = oh * ow;
  int64_t gemmK = qnnc::codegen::convGemmK(kh, kw, c);
  auto next = dyn_cast_or_null<MultiThresholdOp>(singleUser(op.getY()));
  if (!next)
    return refuse(op, "a bit-serial convolution must be followed by a "
                      "multithreshold (pooling of accumulators is not "
                      "supported yet)");
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto columns = b.create<qkernel::Im2ColPackedOp>(
      loc, packedType(a.operand, gemmK, n), a.value,
      b.getI64IntegerAttr(a.height), b.getI64IntegerAttr(a.width),
      b.getI64IntegerAttr(c), b.getDenseI64ArrayAttr({kh, kw}),
      op.getStridesAttr(), op.getPadsAttr(), op.getDilationsAttr(),
      b.getI64IntegerAttr(panelWidth(n)));
  std::vector<int64_t> values(w->data.begin(), w->data.end());
  std::vector<uint64_t> packed =
      qnnc::codegen::packConvWeights(values, m, c, kh, kw, *wo);
  auto weights = packedWordsAttr(b, packed);
  auto epilogue = epilogueFor(next, m);
  if (failed(epilogue))
    return failure();
  DenseElementsAttr thresholds = epilogue->thresholds;
  Operand *encoding = &epilogue->encoding;
  // Fused epilogue with panel width 1: the result is the next layer's packed
  // pixels.
  auto gemm = b.create<qkernel::BitserialGemmOp>(
      next.getLoc(), packedType(*encoding, m, n, 1), columns, weights,
      b.getI64IntegerAttr(m), b.getI64IntegerAttr(gemmK),
      b.getI64IntegerAttr(n), b.getI64IntegerAttr(wo->bits),
      b.getStringAttr(encodingName(wo->encoding)),
      b.getI64IntegerAttr(a.operand.bits),
      b.getStringAttr(encodingName(a.operand.encoding)),
      b.getI64IntegerAttr(tileRows(*wo, a.operand, m, n)),
      b.getI64IntegerAttr(vpp), b.getI64IntegerAttr(kh * kw * c), thresholds,
      b.getI64IntegerAttr(int64_t(next.getOutScale().convertToDouble())),
      b.getI64IntegerAttr(int64_t(next.getOutBias().convertToDouble())),
      b.getI64IntegerAttr(encoding->bits),
      b.getStringAttr(encodingName(encoding->encoding)),
      b.getI64IntegerAttr(1));
  Lowered result{Lowered::Packed, gemm, *encoding, m, n};
  result.height = oh;
  result.width = ow;
  lowered[next.getY()] = result;
  absorbed.insert(next);
  return success();
}

LogicalResult Lowering::lowerMaxPool(MaxPoolOp op) {
  auto it = lowered.find(op.getX());
  auto type = cast<ShapedType>(op.getX().getType());
  if (it != lowered.end() && it->second.kind == Lowered::Packed) {
    const Lowered &a = it->second;
    if (!a.height || a.operand.encoding == Encoding::TwosComplement ||
        op.getCeilMode() ||
        llvm::any_of(op.getDilations(), [](int64_t d) { return d != 1; }))
      return refuse(op, "packed pooling needs one image of unsigned or +-1 "
                        "activations, no dilation and no ceil_mode");
    auto outType = cast<ShapedType>(op.getY().getType());
    int64_t oh = outType.getDimSize(2), ow = outType.getDimSize(3);
    OpBuilder b(op);
    auto pool = b.create<qkernel::MaxPoolPackedOp>(
        op.getLoc(), packedType(a.operand, a.channels, oh * ow, 1), a.value,
        b.getI64IntegerAttr(a.height), b.getI64IntegerAttr(a.width),
        b.getI64IntegerAttr(a.channels), op.getKernelShapeAttr(),
        op.getStridesAttr(), op.getPadsAttr());
    Lowered result = a;
    result.value = pool;
    result.columns = oh * ow;
    result.height = oh;
    result.width = ow;
    lowered[op.getY()] = result;
    return success();
  }
  if (it == lowered.end() || it->second.kind != Lowered::Plain ||
      type.getRank() != 4 || !isa<IntegerType>(type.getElementType()) ||
      type.getElementTypeBitWidth() != 8 || op.getCeilMode())
    return refuse(op, "only 8-bit NCHW inputs without ceil_mode");
  OpBuilder b(op);
  auto pool = b.create<qkernel::MaxPoolOp>(
      op.getLoc(), op.getType(), it->second.value, op.getKernelShapeAttr(),
      op.getStridesAttr(), op.getPadsAttr(), op.getDilationsAttr());
  lowered[op.getY()] = {Lowered::Plain, pool};
  return success();
}

LogicalResult Lowering::lowerTopK(TopKOp op) {
  auto it = lowered.find(op.getX());
  auto type = cast<RankedTensorType>(op.getX().getType());
  int64_t axis =
      op.getAxis() < 0 ? op.getAxis() + type.getRank() : op.getAxis();
  if (op.getK() != 1 || !op.getLargest() || axis != type.getRank() - 1 ||
      type.getRank() != 2 || !op.getValues().use_empty() ||
      it == lowered.end() || it->second.kind != Lowered::Plain)
    return refuse(op, "only k = 1, largest, last axis, indices only, on a "
                      "plain [N, M] tensor");
  OpBuilder b(op);
  auto argmax = b.create<qkernel::ArgMaxOp>(
      op.getLoc(), op.getIndices().getType(), it->second.value);
  lowered[op.getIndices()] = {Lowered::Plain, argmax};
  return success();
}

LogicalResult Lowering::lower(Operation *op) {
  if (absorbed.contains(op) || isa<ConstantOp>(op))
    return success();
  if (auto mt = dyn_cast<MultiThresholdOp>(op))
    return lowerMultiThreshold(mt);
  if (auto mm = dyn_cast<MatMulOp>(op))
    return lowerMatMul(mm);
  if (auto c = dyn_cast<CastOp>(op))
    return lowerCast(c);
  if (auto topk = dyn_cast<TopKOp>(op))
    return lowerTopK(topk);
  if (auto q = dyn_cast<QuantizeLinearOp>(op))
    return lowerQuantizeLinear(q);
  if (isa<ConvIntegerOp, MatMulIntegerOp>(op))
    return lowerIntegerLayer(op);
  if (auto pool = dyn_cast<MaxPoolOp>(op))
    return lowerMaxPool(pool);
  if (isa<ReshapeOp, FlattenOp>(op)) {
    // Row-major data keeps its bytes; kernels read plain inputs as [N, rest].
    auto it = lowered.find(op->getOperand(0));
    auto in = cast<ShapedType>(op->getOperand(0).getType());
    auto out = cast<ShapedType>(op->getResult(0).getType());
    if (it != lowered.end() && it->second.kind == Lowered::Packed &&
        it->second.height && out.getRank() == 2 && out.getDimSize(0) == 1) {
      // Packed pixels [planes, P, words(C), 1] are one GEMM column of
      // P * words(C) words: the next matmul permutes its weights to match.
      Lowered flat = it->second;
      flat.flatChannels = flat.channels;
      flat.flatPixels = flat.columns;
      flat.channels =
          flat.flatPixels * qnnc::codegen::wordsFor(flat.channels) * 64;
      flat.columns = 1;
      flat.height = flat.width = 0;
      lowered[op->getResult(0)] = flat;
      return success();
    }
    if (it == lowered.end() || it->second.kind != Lowered::Plain ||
        in.getDimSize(0) != out.getDimSize(0))
      return refuse(op, "only batch-preserving reshapes of plain tensors");
    lowered[op->getResult(0)] = it->second;
    return success();
  }
  if (auto ret = dyn_cast<func::ReturnOp>(op)) {
    for (OpOperand &operand : ret->getOpOperands()) {
      auto it = lowered.find(operand.get());
      if (it == lowered.end() || it->second.kind != Lowered::Plain ||
          it->second.value.getType() != operand.get().getType())
        return refuse(op, "result " + Twine(operand.getOperandNumber()) +
                              " is not a plain tensor");
      operand.set(it->second.value);
    }
    return success();
  }
  return refuse(op, "no lowering to qkernel");
}

LogicalResult Lowering::run() {
  for (BlockArgument arg : func.getArguments())
    lowered[arg] = {Lowered::Plain, arg};
  for (Operation &op : llvm::make_early_inc_range(func.getBody().front()))
    if (failed(lower(&op)))
      return failure();
  // Every qnn op is now dead: erase users before producers.
  for (Operation &op : llvm::make_early_inc_range(
           llvm::reverse(func.getBody().front().getOperations())))
    if (op.getDialect() && isa<QNNDialect>(op.getDialect()))
      op.erase();
  return success();
}

struct LowerToQKernelPass
    : mlir::qnn::impl::LowerToQKernelBase<LowerToQKernelPass> {
  using LowerToQKernelBase::LowerToQKernelBase;
  void runOnOperation() override {
    if (lanes < 1 || rows < 1 || vectorsPerPanel < 1) {
      getOperation().emitError(
          "lanes, rows and vectors-per-panel must be >= 1");
      return signalPassFailure();
    }
    if (failed(Lowering(getOperation(), lanes, rows, vectorsPerPanel).run()))
      signalPassFailure();
  }
};

} // namespace
