//===- KernelCalls.cpp - qkernel ops to Halide kernels and glue calls -----===//

#include "KernelCalls.h"
#include "qnn/Codegen/BitSerialGemm.h"
#include "qnn/Codegen/DotProductConv.h"
#include "qnn/Codegen/Emit/GemmTuning.h"
#include "qnn/Codegen/FloatGemm.h"
#include "qnn/Codegen/IntegerGemm.h"
#include "qnn/Codegen/IntegerKernels.h"
#include "qnn/Codegen/OutputHeads.h"
#include "qnn/Codegen/PackedIm2Col.h"
#include "qnn/Codegen/PackedMaxPool.h"
#include "qnn/Codegen/ThresholdPacker.h"
#include "qnn/Dialect/QKernel/QKernelOps.h"
#include "qnn/Dialect/QNN/NodeName.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <memory>

using namespace mlir;

namespace qnnc::codegen {

namespace {

int encodingNumber(Encoding e) {
  return e == Encoding::Unsigned ? 0 : e == Encoding::TwosComplement ? 1 : 2;
}

/// Where `v` lives: the model's input or output, or its planned arena slot.
bool locate(Value v, BufferRef &ref, std::string &error) {
  if (isa<BlockArgument>(v)) {
    ref.kind = BufferRef::ModelInput;
    return true;
  }
  for (Operation *user : v.getUsers())
    if (isa<func::ReturnOp>(user)) {
      ref.kind = BufferRef::ModelOutput;
      return true;
    }
  auto offset = v.getDefiningOp()->getAttrOfType<IntegerAttr>("qkernel.offset");
  if (!offset) {
    error = "buffer has no arena offset (run qkernel-plan-memory first)";
    return false;
  }
  ref.kind = BufferRef::Arena;
  ref.offset = offset.getInt();
  return true;
}

BufferRef typed(int code, int bits, std::vector<int64_t> extents) {
  BufferRef r;
  r.code = code;
  r.bits = bits;
  r.extents = std::move(extents);
  return r;
}

std::string floatLiteral(float v) {
  if (std::isinf(v))
    return v > 0 ? "__builtin_inff()" : "-__builtin_inff()";
  std::string s;
  llvm::raw_string_ostream os(s);
  os << llvm::format("%af", double(v));
  return s;
}

/// Appends the constant array `suffix` of `call` built from `attr`. 64-bit
/// integers are signed values unless they are `packedWords` (bit-planes).
BufferRef constant(ElementsAttr attr, const std::string &base,
                   const std::string &suffix, std::vector<int64_t> extents,
                   std::vector<ConstantArray> &constants,
                   bool packedWords = false) {
  ConstantArray a;
  a.name = base + "_" + suffix;
  Type element = attr.getElementType();
  BufferRef ref;
  ref.kind = BufferRef::Constant;
  ref.constant = a.name;
  ref.extents = std::move(extents);
  if (isa<FloatType>(element)) {
    a.ctype = "float";
    ref.code = 2;
    ref.bits = 32;
    for (APFloat v : attr.getValues<APFloat>())
      a.literals.push_back(floatLiteral(v.convertToFloat()));
    a.bytes = int64_t(a.literals.size()) * 4;
  } else if (unsigned bits = element.getIntOrFloatBitWidth();
             bits == 8 || bits == 16) {
    a.ctype = bits == 8 ? "int8_t" : "int16_t";
    ref.code = 0;
    ref.bits = int(bits);
    for (APInt v : attr.getValues<APInt>())
      a.literals.push_back(std::to_string(v.getSExtValue()));
    a.bytes = int64_t(a.literals.size()) * (bits / 8);
  } else if (element.getIntOrFloatBitWidth() == 64 && !packedWords) {
    a.ctype = "int64_t";
    ref.code = 0;
    ref.bits = 64;
    for (APInt v : attr.getValues<APInt>())
      a.literals.push_back("INT64_C(" + std::to_string(v.getSExtValue()) + ")");
    a.bytes = int64_t(a.literals.size()) * 8;
  } else if (element.getIntOrFloatBitWidth() == 64) {
    a.ctype = "uint64_t";
    ref.code = 1;
    ref.bits = 64;
    for (APInt v : attr.getValues<APInt>())
      a.literals.push_back("0x" + llvm::utohexstr(v.getZExtValue()) + "u");
    a.bytes = int64_t(a.literals.size()) * 8;
  } else {
    a.ctype = "int32_t";
    ref.code = 0;
    ref.bits = 32;
    for (APInt v : attr.getValues<APInt>()) {
      int64_t x = v.getSExtValue();
      // INT32_MIN has no literal of type int.
      a.literals.push_back(x == INT32_MIN ? "(-2147483647 - 1)"
                                          : std::to_string(x));
    }
    a.bytes = int64_t(a.literals.size()) * 4;
  }
  constants.push_back(std::move(a));
  return ref;
}

/// [M, C, KH, KW] int8 weights as [KH, KW, C, M] (output channels innermost).
ElementsAttr transposeToChannelsInner(ElementsAttr weights) {
  auto type = weights.getShapedType();
  int64_t m = type.getDimSize(0), c = type.getDimSize(1),
          kh = type.getDimSize(2), kw = type.getDimSize(3);
  std::vector<APInt> in(weights.getValues<APInt>().begin(),
                        weights.getValues<APInt>().end());
  SmallVector<APInt> out(in.size(), APInt(8, 0));
  for (int64_t o = 0; o < m; ++o)
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t y = 0; y < kh; ++y)
        for (int64_t x = 0; x < kw; ++x)
          out[((y * kw + x) * c + ch) * m + o] =
              in[((o * c + ch) * kh + y) * kw + x];
  return DenseElementsAttr::get(
      RankedTensorType::get({kh, kw, c, m}, type.getElementType()), out);
}

std::pair<int64_t, int64_t> rowsAndColumns(Type type) {
  auto shaped = cast<ShapedType>(type);
  int64_t rows = shaped.getRank() ? shaped.getDimSize(0) : 1;
  return {rows, shaped.getNumElements() / std::max<int64_t>(rows, 1)};
}

TraceView packedView(ArrayRef<int64_t> shape, const Operand &o,
                     int64_t channels, int64_t columns) {
  TraceView v;
  v.kind = 0;
  v.encoding = encodingNumber(o.encoding);
  v.bits = o.bits;
  v.channels = channels;
  v.columns = columns;
  v.planes = shape[0];
  v.panels = shape[1];
  v.words = shape[2];
  v.lanes = shape[3];
  return v;
}

std::string bitsName(const Operand &o) {
  return o.encoding == Encoding::Bipolar ? "1b" : std::to_string(o.bits);
}

} // namespace

bool buildKernelCall(Operation *op, const std::string &name,
                     const TargetInfo &target,
                     std::vector<ConstantArray> &constants, KernelCall &call,
                     std::string &error) {
  call.function = name;
  call.layer = qnn::onnxNodeName(op->getLoc());
  const Halide::Target &t = target.halide;
  BufferRef in, out;
  if (!locate(op->getOperand(0), in, error) ||
      !locate(op->getResult(0), out, error))
    return false;
  auto place = [](BufferRef where, BufferRef type) {
    type.kind = where.kind;
    type.offset = where.offset;
    return type;
  };
  auto resultShape = cast<ShapedType>(op->getResult(0).getType()).getShape();

  if (auto pack = dyn_cast<qkernel::ThresholdPackOp>(op)) {
    auto [n, k] = rowsAndColumns(pack.getInput().getType());
    ThresholdPackShape s;
    s.k = k;
    s.n = n;
    s.steps = int(pack.getThresholds().getShapedType().getDimSize(1));
    s.levelScale = pack.getLevelScale();
    s.levelBias = pack.getLevelBias();
    s.out = {int(pack.getOutBits()), encodingFrom(pack.getOutEncoding())};
    s.panelWidth = pack.getPanelWidth();
    Type element = cast<ShapedType>(pack.getInput().getType()).getElementType();
    s.floatInput = isa<FloatType>(element);
    s.channelMajor = pack.getChannelMajor();
    s.parallel = target.parallel;
    if (s.channelMajor) {
      auto shape = cast<ShapedType>(pack.getInput().getType()).getShape();
      k = shape[1];
      n = shape[2] * shape[3];
      s.k = k;
      s.n = n;
    }
    if (!s.floatInput && element.getIntOrFloatBitWidth() != 32) {
      error = "threshold_pack reads f32 or 32-bit integer inputs only";
      return false;
    }
    auto kernel = std::make_shared<ThresholdPacker>(s, t);
    call.compile = [kernel, name](const KernelOutputs &f) {
      kernel->compileTo(f, name);
    };
    call.args = {place(in, typed(s.floatInput ? 2 : 0, 32,
                                 s.channelMajor ? std::vector<int64_t>{n, k}
                                                : std::vector<int64_t>{k, n})),
                 constant(pack.getThresholds(), name, "thresholds",
                          {s.steps, k}, constants),
                 place(out, typed(1, 64,
                                  {resultShape[3], resultShape[2],
                                   resultShape[1], resultShape[0]}))};
    call.view = packedView(resultShape, s.out, k, n);
    call.view.channelMajor = s.channelMajor;
    call.kind =
        "threshold_pack " + std::to_string(k) + " ch -> A" + bitsName(s.out);
    return true;
  }

  if (auto gemm = dyn_cast<qkernel::BitserialGemmOp>(op)) {
    GemmLayer layer = gemmLayer(gemm);
    const GemmShape &s = layer.shape;
    GemmSchedule schedule = layer.schedule;
    // Parallel over row tiles: the runtime runs it serially with 1 thread.
    schedule.parallel = target.parallel && s.m >= 4 * schedule.rows;
    const std::optional<ThresholdEpilogue> &epilogue = layer.epilogue;
    auto kernel = std::make_shared<BitSerialGemm>(s, schedule, t, epilogue);
    auto aShape = cast<ShapedType>(gemm.getActivations().getType()).getShape();
    if (kernel->panelWidth() != aShape[3]) {
      error = "activations are packed " + std::to_string(aShape[3]) +
              " columns per panel, but the GEMM for this target uses " +
              std::to_string(kernel->panelWidth()) +
              " (lower with --qnn-lower-to-qkernel lanes=" +
              std::to_string(target.lanes()) + ")";
      return false;
    }
    call.compile = [kernel, name](const KernelOutputs &f) {
      kernel->compileTo(f, name);
    };
    int64_t kw = wordsFor(s.k);
    // From K and N, not the operand's type: flattened packed pixels keep
    // their [planes, P, words, 1] type.
    int64_t lanes = aShape[3];
    // The IR holds packRows' layout; a GEMV kernel reads its own (tiled).
    ElementsAttr weights = gemm.getWeights();
    if (kernel->gemvTiles().rows) {
      std::vector<uint64_t> words;
      for (APInt v : weights.getValues<APInt>())
        words.push_back(v.getZExtValue());
      std::vector<uint64_t> tiled = kernel->kernelWeights(words);
      std::vector<int64_t> values(tiled.begin(), tiled.end());
      weights = DenseElementsAttr::get(
          RankedTensorType::get({int64_t(values.size())},
                                IntegerType::get(op->getContext(), 64)),
          ArrayRef<int64_t>(values));
    }
    call.args = {constant(weights, name, "weights", kernel->weightExtents(),
                          constants, true),
                 place(in, typed(1, 64,
                                 {lanes, kw, (s.n + lanes - 1) / lanes,
                                  s.activations.planes()}))};
    if (int bits = kernel->operandBits(); bits != 64) {
      // The same little-endian words as bytes (NEON) or 32-bit halves
      // (AVX-512 VPOPCNTD).
      for (BufferRef &operand : call.args) {
        operand.bits = bits;
        operand.extents[0] *= 64 / bits;
      }
    }
    call.kind = "bitserial_gemm W" + bitsName(s.weights) + "A" +
                bitsName(s.activations) + " " + std::to_string(s.k) + "->" +
                std::to_string(s.m);
    if (epilogue) {
      call.args.push_back(constant(*gemm.getThresholds(), name, "thresholds",
                                   {epilogue->thresholds, s.m}, constants));
      call.args.push_back(place(out, typed(1, 64,
                                           {resultShape[3], resultShape[2],
                                            resultShape[1], resultShape[0]})));
      call.view = packedView(resultShape, epilogue->next, s.m, s.n);
      // A convolution's result: one image, NCHW order for the trace.
      call.view.channelMajor =
          bool(gemm.getActivations().getDefiningOp<qkernel::Im2ColPackedOp>());
      call.kind += " + threshold_pack -> A" + bitsName(epilogue->next);
    } else {
      call.args.push_back(place(out, typed(0, 32, {s.n, s.m})));
      call.view.kind = 1;
      call.view.channels = s.m;
      call.view.columns = s.n;
    }
    return true;
  }

  if (auto im2col = dyn_cast<qkernel::Im2ColPackedOp>(op)) {
    auto inShape = cast<ShapedType>(im2col.getInput().getType()).getShape();
    ConvShape s;
    s.h = im2col.getHeight();
    s.w = im2col.getWidth();
    s.c = im2col.getChannels();
    s.kh = im2col.getKernelShape()[0];
    s.kw = im2col.getKernelShape()[1];
    s.strideY = im2col.getStrides()[0];
    s.strideX = im2col.getStrides()[1];
    s.dilationY = im2col.getDilations()[0];
    s.dilationX = im2col.getDilations()[1];
    s.padTop = im2col.getPads()[0];
    s.padLeft = im2col.getPads()[1];
    s.padBottom = im2col.getPads()[2];
    s.padRight = im2col.getPads()[3];
    int64_t planes = inShape[0];
    // Only the plane count matters to the gather.
    s.activations = {int(planes), Encoding::Unsigned};
    auto kernel = std::make_shared<PackedIm2Col>(s, im2col.getPanelWidth(), t,
                                                 target.parallel);
    call.compile = [kernel, name](const KernelOutputs &f) {
      kernel->compileTo(f, name);
    };
    // The gather moves units of convUnitBits: both buffers are viewed as
    // arrays of them.
    int64_t unit = convUnitBits(s.c), perWord = 64 / unit;
    call.args = {place(in, typed(1, int(unit),
                                 {inShape[2] * perWord, s.w, s.h, planes})),
                 place(out, typed(1, int(unit),
                                  {perWord, resultShape[3], resultShape[2],
                                   resultShape[1], resultShape[0]}))};
    call.view.kind = -1; // scratch: not a model value
    call.kind = "im2col_packed " + std::to_string(s.kh) + "x" +
                std::to_string(s.kw) + " on " + std::to_string(s.c) + " ch";
    return true;
  }

  if (auto pool = dyn_cast<qkernel::MaxPoolPackedOp>(op)) {
    auto inShape = cast<ShapedType>(pool.getInput().getType()).getShape();
    PoolShape s;
    s.h = pool.getHeight();
    s.w = pool.getWidth();
    s.c = pool.getChannels();
    s.kh = pool.getKernelShape()[0];
    s.kw = pool.getKernelShape()[1];
    s.strideY = pool.getStrides()[0];
    s.strideX = pool.getStrides()[1];
    s.padTop = pool.getPads()[0];
    s.padLeft = pool.getPads()[1];
    s.padBottom = pool.getPads()[2];
    s.padRight = pool.getPads()[3];
    // The trace decodes with the producer's encoding; pooling needs only the
    // plane count and whether the planes are ordered (not two's complement).
    int64_t planes = inShape[0];
    Operand o{int(planes),
              planes == 1 ? Encoding::Bipolar : Encoding::Unsigned};
    auto kernel = std::make_shared<PackedMaxPool>(s, o, t);
    call.compile = [kernel, name](const KernelOutputs &f) {
      kernel->compileTo(f, name);
    };
    int64_t cw = wordsFor(s.c);
    call.args = {place(in, typed(1, 64, {cw, s.w, s.h, planes})),
                 place(out, typed(1, 64, {cw, s.outW(), s.outH(), planes}))};
    call.view.kind = -1;
    call.kind = "max_pool_packed " + std::to_string(s.kh) + "x" +
                std::to_string(s.kw) + " on " + std::to_string(s.c) + " ch";
    return true;
  }

  if (auto gemm = dyn_cast<qkernel::FloatGemmOp>(op)) {
    auto [n, k] = rowsAndColumns(gemm.getInput().getType());
    int64_t m = gemm.getWeights().getShapedType().getDimSize(1);
    auto kernel = std::make_shared<FloatGemm>(n, k, m, t);
    call.compile = [kernel, name](const KernelOutputs &f) {
      kernel->compileTo(f, name);
    };
    call.args = {
        place(in, typed(2, 32, {k, n})),
        constant(gemm.getWeights(), name, "weights", {m, k}, constants),
        place(out, typed(2, 32, {m, n}))};
    call.view.kind = 2;
    call.view.channels = m;
    call.view.columns = n;
    call.kind =
        "float_gemm f32 " + std::to_string(k) + "->" + std::to_string(m);
    return true;
  }

  if (auto deq = dyn_cast<qkernel::DequantizeOp>(op)) {
    auto inShape = cast<ShapedType>(deq.getInput().getType()).getShape();
    int64_t m = inShape[0], n = inShape[1];
    int64_t scales = deq.getScale().getNumElements(),
            biases = deq.getBias().getNumElements();
    auto kernel = std::make_shared<Dequantize>(m, n, scales, biases, t);
    call.compile = [kernel, name](const KernelOutputs &f) {
      kernel->compileTo(f, name);
    };
    call.args = {place(in, typed(0, 32, {n, m})),
                 constant(deq.getScale(), name, "scale", {scales}, constants),
                 constant(deq.getBias(), name, "bias", {biases}, constants),
                 place(out, typed(2, 32, {m, n}))};
    call.view.kind = 2;
    call.view.channels = m;
    call.view.columns = n;
    call.kind = "dequantize " + std::to_string(m) + " ch";
    return true;
  }

  if (auto am = dyn_cast<qkernel::ArgMaxOp>(op)) {
    auto inShape = cast<ShapedType>(am.getInput().getType()).getShape();
    int64_t n = inShape[0], m = inShape[1];
    auto kernel = std::make_shared<ArgMax>(m, n, t);
    call.compile = [kernel, name](const KernelOutputs &f) {
      kernel->compileTo(f, name);
    };
    call.args = {place(in, typed(2, 32, {m, n})),
                 place(out, typed(0, 64, {1, n}))};
    call.view.kind = 3;
    call.view.channels = 1;
    call.view.columns = n;
    call.kind = "argmax " + std::to_string(m) + " ch";
    return true;
  }
  auto plainType = [](Type t) {
    auto shaped = cast<ShapedType>(t);
    Type e = shaped.getElementType();
    return BufferRef{BufferRef::Arena,
                     0,
                     "",
                     isa<FloatType>(e)       ? 2
                     : e.isUnsignedInteger() ? 1
                                             : 0,
                     int(shaped.getElementTypeBitWidth()),
                     {}};
  };
  auto nchw = [](ArrayRef<int64_t> shape) {
    return std::vector<int64_t>{shape[3], shape[2], shape[1], shape[0]};
  };
  auto plainView = [&](Type t) {
    auto shaped = cast<ShapedType>(t);
    TraceView v;
    v.kind = shaped.getElementTypeBitWidth() == 32         ? 6
             : shaped.getElementType().isUnsignedInteger() ? 4
                                                           : 5;
    v.columns = shaped.getDimSize(0);
    v.channels = shaped.getNumElements() / v.columns;
    return v;
  };

  if (auto q = dyn_cast<qkernel::QuantizeOp>(op)) {
    int64_t elements = cast<ShapedType>(q.getType()).getNumElements();
    bool isSigned =
        !cast<ShapedType>(q.getType()).getElementType().isUnsignedInteger();
    auto kernel = std::make_shared<Quantize>(
        elements, q.getScale().convertToFloat(), int32_t(q.getZeroPoint()),
        isSigned, t, target.parallel);
    call.compile = [kernel, name](const KernelOutputs &f) {
      kernel->compileTo(f, name);
    };
    BufferRef o = plainType(q.getType());
    o.extents = {elements};
    call.args = {place(in, typed(2, 32, {elements})), place(out, o)};
    call.view = plainView(q.getType());
    call.kind = "quantize f32 -> " + std::string(isSigned ? "s8" : "u8");
    return true;
  }

  if (auto conv = dyn_cast<qkernel::IntConvOp>(op)) {
    auto inType = cast<ShapedType>(conv.getInput().getType());
    auto outType = cast<ShapedType>(conv.getType());
    auto w = conv.getWeights().getShapedType();
    bool matmul = outType.getRank() == 2;
    IntegerConvShape s;
    s.n = inType.getDimSize(0);
    if (matmul) {
      s.c = inType.getNumElements() / s.n;
    } else {
      s.c = inType.getDimSize(1);
      s.h = inType.getDimSize(2);
      s.w = inType.getDimSize(3);
      s.outH = outType.getDimSize(2);
      s.outW = outType.getDimSize(3);
    }
    s.m = w.getDimSize(0);
    s.kh = w.getDimSize(2);
    s.kw = w.getDimSize(3);
    s.strideY = conv.getStrides()[0];
    s.strideX = conv.getStrides()[1];
    s.dilationY = conv.getDilations()[0];
    s.dilationX = conv.getDilations()[1];
    s.padTop = conv.getPads()[0];
    s.padLeft = conv.getPads()[1];
    s.inputSigned = !inType.getElementType().isUnsignedInteger();
    s.outputSigned = !outType.getElementType().isUnsignedInteger();
    s.inputZeroPoint = int32_t(conv.getXZeroPoint());
    s.weightZeroPoints = conv.getWZeroPoint().getNumElements();
    s.requantize = bool(conv.getMultiplier());
    if (s.requantize) {
      s.requantChannels = conv.getMultiplier()->getNumElements();
      s.inZeroPoint = *conv.getInZeroPoint();
      s.outZeroPoint = *conv.getOutZeroPoint();
      s.clampMin = *conv.getClampMin();
      s.clampMax = *conv.getClampMax();
    }
    BufferRef x = plainType(inType), o = plainType(outType);
    x.extents = {s.w, s.h, s.c, s.n};
    o.extents = {s.outW, s.outH, s.m, s.n};
    bool zeroPointsZero =
        llvm::all_of(conv.getWZeroPoint().getValues<APInt>(),
                     [](const APInt &v) { return v.isZero(); });
    bool weightsSigned = !w.getElementType().isUnsignedInteger();
    if (!matmul && dotProductConvApplies(s, weightsSigned, zeroPointsZero, t)) {
      auto kernel = std::make_shared<DotProductConv>(s, t);
      call.compile = [kernel, name](const KernelOutputs &f) {
        kernel->compileTo(f, name);
      };
      std::vector<int8_t> weights;
      for (const APInt &v : conv.getWeights().getValues<APInt>())
        weights.push_back(int8_t(v.getSExtValue()));
      std::vector<int32_t> bias;
      for (const APInt &v : conv.getBias().getValues<APInt>())
        bias.push_back(int32_t(v.getSExtValue()));
      auto packed = DotProductConv::packWeights(s, weights);
      int64_t quads = int64_t(packed.size()) / (4 * s.m);
      auto i32 = IntegerType::get(op->getContext(), 32);
      auto packedType = RankedTensorType::get(
          {quads, s.m, 4},
          IntegerType::get(op->getContext(), DotProductConv::weightBits(t)));
      DenseElementsAttr packedAttr =
          DotProductConv::weightBits(t) == 16
              ? DenseElementsAttr::get(packedType,
                                       ArrayRef<int16_t>(std::vector<int16_t>(
                                           packed.begin(), packed.end())))
              : DenseElementsAttr::get(packedType, ArrayRef<int8_t>(packed));
      call.args = {
          place(in, x),
          constant(packedAttr, name, "weights", {4, s.m, quads}, constants),
          constant(
              DenseElementsAttr::get(RankedTensorType::get({s.m}, i32),
                                     ArrayRef<int32_t>(DotProductConv::foldBias(
                                         s, weights, bias, t))),
              name, "bias", {s.m}, constants)};
    } else if (matmul && integerGemmApplies(s, weightsSigned, zeroPointsZero)) {
      // Batch 1: the dot-product GEMV, weights packed into K groups.
      auto kernel = std::make_shared<IntegerGemm>(s, t);
      call.compile = [kernel, name](const KernelOutputs &f) {
        kernel->compileTo(f, name);
      };
      std::vector<int32_t> weights, bias;
      for (const APInt &v : conv.getWeights().getValues<APInt>())
        weights.push_back(int32_t(v.getSExtValue()));
      for (const APInt &v : conv.getBias().getValues<APInt>())
        bias.push_back(int32_t(v.getSExtValue()));
      const IntegerGemmLayout &l = kernel->layout();
      std::array<int64_t, 3> extents = l.weightExtents(s.m, s.c);
      std::vector<int16_t> packed = kernel->packWeights(weights);
      auto packedType = RankedTensorType::get(
          {extents[2], extents[1], extents[0]},
          IntegerType::get(op->getContext(), l.weightBits));
      DenseElementsAttr packedAttr =
          l.weightBits == 16
              ? DenseElementsAttr::get(packedType, ArrayRef<int16_t>(packed))
              : DenseElementsAttr::get(packedType,
                                       ArrayRef<int8_t>(std::vector<int8_t>(
                                           packed.begin(), packed.end())));
      auto i32 = IntegerType::get(op->getContext(), 32);
      x.extents = {s.n, s.c};
      o.extents = {s.n, s.m};
      call.args = {
          place(in, x),
          constant(packedAttr, name, "weights",
                   {extents[0], extents[1], extents[2]}, constants),
          constant(DenseElementsAttr::get(
                       RankedTensorType::get({s.m}, i32),
                       ArrayRef<int32_t>(kernel->foldBias(weights, bias))),
                   name, "bias", {s.m}, constants)};
    } else {
      s.channelsInner = channelsInnermost(s, t);
      auto kernel = std::make_shared<IntegerConv>(s, t);
      call.compile = [kernel, name](const KernelOutputs &f) {
        kernel->compileTo(f, name);
      };
      call.args = {place(in, x),
                   s.channelsInner
                       ? constant(transposeToChannelsInner(conv.getWeights()),
                                  name, "weights", {s.m, s.c, s.kw, s.kh},
                                  constants)
                       : constant(conv.getWeights(), name, "weights",
                                  {s.kw, s.kh, s.c, s.m}, constants),
                   constant(conv.getWZeroPoint(), name, "w_zero_point",
                            {s.weightZeroPoints}, constants),
                   constant(conv.getBias(), name, "bias", {s.m}, constants)};
    }
    if (s.requantize) {
      call.args.push_back(constant(*conv.getMultiplier(), name, "multiplier",
                                   {s.requantChannels}, constants));
      call.args.push_back(constant(*conv.getShift(), name, "shift",
                                   {s.requantChannels}, constants));
    }
    call.args.push_back(place(out, o));
    call.view = plainView(outType);
    call.kind =
        std::string(matmul ? "int8 matmul " : "int8 conv ") +
        std::to_string(s.c) + "->" + std::to_string(s.m) +
        (matmul ? ""
                : " " + std::to_string(s.kh) + "x" + std::to_string(s.kw)) +
        (s.requantize ? " + requantize" : " -> int32");
    return true;
  }

  if (auto pool = dyn_cast<qkernel::MaxPoolOp>(op)) {
    auto inType = cast<ShapedType>(pool.getInput().getType());
    auto outType = cast<ShapedType>(pool.getType());
    IntegerPoolShape s;
    s.n = inType.getDimSize(0);
    s.c = inType.getDimSize(1);
    s.h = inType.getDimSize(2);
    s.w = inType.getDimSize(3);
    s.kh = pool.getKernelShape()[0];
    s.kw = pool.getKernelShape()[1];
    s.strideY = pool.getStrides()[0];
    s.strideX = pool.getStrides()[1];
    s.dilationY = pool.getDilations()[0];
    s.dilationX = pool.getDilations()[1];
    s.padTop = pool.getPads()[0];
    s.padLeft = pool.getPads()[1];
    s.outH = outType.getDimSize(2);
    s.outW = outType.getDimSize(3);
    BufferRef x = plainType(inType), o = plainType(outType);
    Halide::Type type = x.code == 1 ? Halide::UInt(8) : Halide::Int(8);
    auto kernel = std::make_shared<IntegerMaxPool>(s, type, t);
    call.compile = [kernel, name](const KernelOutputs &f) {
      kernel->compileTo(f, name);
    };
    x.extents = nchw(inType.getShape());
    o.extents = nchw(outType.getShape());
    call.args = {place(in, x), place(out, o)};
    call.view = plainView(outType);
    call.kind = "max_pool " + std::to_string(s.kh) + "x" +
                std::to_string(s.kw) + " 8-bit";
    return true;
  }

  if (auto affine = dyn_cast<qkernel::AffineOp>(op)) {
    auto inType = cast<ShapedType>(affine.getInput().getType());
    int64_t n = inType.getDimSize(0), c = inType.getDimSize(1);
    BufferRef x = plainType(inType);
    Halide::Type type(x.code == 2   ? Halide::Type::Float
                      : x.code == 1 ? Halide::Type::UInt
                                    : Halide::Type::Int,
                      x.bits, 1);
    int64_t scales = affine.getScale().getNumElements(),
            biases = affine.getBias().getNumElements();
    auto kernel = std::make_shared<Dequantize>(c, n, scales, biases, t,
                                               /*rowMajor=*/true, type);
    call.compile = [kernel, name](const KernelOutputs &f) {
      kernel->compileTo(f, name);
    };
    x.extents = {c, n};
    call.args = {
        place(in, x),
        constant(affine.getScale(), name, "scale", {scales}, constants),
        constant(affine.getBias(), name, "bias", {biases}, constants),
        place(out, typed(2, 32, {c, n}))};
    call.view.kind = 2;
    call.view.channels = c;
    call.view.columns = n;
    call.kind = "affine -> f32 " + std::to_string(c) + " ch";
    return true;
  }

  error = "no code generator for '" + op->getName().getStringRef().str() + "'";
  return false;
}

} // namespace qnnc::codegen
