#include "qnn/Codegen/IntegerKernels.h"
#include "Realize.h"

using namespace Halide;

namespace qnnc::codegen {

namespace {
Type eightBit(bool isSigned) { return isSigned ? Int(8) : UInt(8); }
} // namespace

bool channelsInnermost(const IntegerConvShape &s, const Target &target) {
  return s.m >= std::max(1, target.natural_vector_size<int32_t>());
}

Expr convEpilogue(const IntegerConvShape &s, Expr acc, Expr m,
                  ImageParam &multiplier, ImageParam &shift) {
  if (!s.requantize)
    return acc;
  Expr channel = s.requantChannels == 1 ? Expr(0) : m;
  Expr sh = shift(channel);
  Expr q = ((cast<int64_t>(acc) - Expr(s.inZeroPoint)) * multiplier(channel) +
            (cast<int64_t>(1) << (sh - 1))) >>
           sh;
  return cast(
      eightBit(s.outputSigned),
      clamp(q + Expr(s.outZeroPoint), Expr(s.clampMin), Expr(s.clampMax)));
}

IntegerConv::IntegerConv(const IntegerConvShape &s, const Target &target)
    : target(target), input(eightBit(s.inputSigned), 4, "input"),
      requantize(s.requantize) {
  // ---- Algorithm ----
  Var ox("ox"), oy("oy"), m("m"), n("n");
  RDom r(0, int(s.kw), 0, int(s.kh), 0, int(s.c), "r");
  Expr iy = oy * int(s.strideY) + r.y * int(s.dilationY) - int(s.padTop);
  Expr ix = ox * int(s.strideX) + r.x * int(s.dilationX) - int(s.padLeft);
  Expr inside = iy >= 0 && iy < int(s.h) && ix >= 0 && ix < int(s.w);
  // Padding contributes nothing (the reference skips it).
  Expr x = select(inside,
                  cast<int32_t>(input(clamp(ix, 0, int(s.w) - 1),
                                      clamp(iy, 0, int(s.h) - 1), r.z, n)) -
                      s.inputZeroPoint,
                  0);
  Expr wzp = weightZeroPoint(s.weightZeroPoints == 1 ? Expr(0) : Expr(m));
  Func acc("acc");
  acc(ox, oy, m, n) = bias(m);
  Expr w =
      s.channelsInner ? weights(m, r.z, r.x, r.y) : weights(r.x, r.y, r.z, m);
  acc(ox, oy, m, n) += x * (cast<int32_t>(w) - wzp);
  output(ox, oy, m, n) =
      convEpilogue(s, acc(ox, oy, m, n), m, multiplier, shift);

  // ---- Schedule ----
  // Vectors of output columns (or, for narrow outputs such as a matmul's 1x1,
  // of output channels); the reduction over channels and the kernel window runs
  // inside each vector's accumulator.
  const int vector = std::max(1, target.natural_vector_size<int32_t>());
  output.bound(ox, 0, int(s.outW)).bound(oy, 0, int(s.outH));
  output.bound(m, 0, int(s.m)).bound(n, 0, int(s.n));
  if (s.channelsInner) {
    // Vectors of output channels: per pixel, each reduction step broadcasts
    // one input value and loads contiguous weights of `vector` channels.
    Var mo("mo"), mi("mi");
    output.split(m, mo, mi, vector, TailStrategy::GuardWithIf)
        .vectorize(mi)
        .reorder(mi, ox, mo, oy);
    output.parallel(oy);
    acc.compute_at(output, ox).bound_extent(m, vector).vectorize(m);
    acc.update().reorder(m, r.z, r.x, r.y).vectorize(m);
  } else if (s.outW >= vector) {
    Var xo("xo"), xi("xi");
    output.split(ox, xo, xi, vector, TailStrategy::GuardWithIf).vectorize(xi);
    output.parallel(m);
    acc.compute_at(output, xo).bound_extent(ox, vector).vectorize(ox);
    acc.update().reorder(ox, r.x, r.y, r.z).vectorize(ox);
  } else {
    Var mo("mo"), mi("mi");
    output.split(m, mo, mi, vector, TailStrategy::GuardWithIf).vectorize(mi);
    acc.compute_at(output, mo).bound_extent(m, vector).vectorize(m);
    acc.update().reorder(m, r.x, r.y, r.z).vectorize(m);
  }
  input.dim(0).set_bounds(0, int(s.w)).dim(1).set_bounds(0, int(s.h));
  input.dim(2).set_bounds(0, int(s.c)).dim(3).set_bounds(0, int(s.n));
  if (s.channelsInner) {
    weights.dim(0).set_bounds(0, int(s.m)).dim(1).set_bounds(0, int(s.c));
    weights.dim(2).set_bounds(0, int(s.kw)).dim(3).set_bounds(0, int(s.kh));
  } else {
    weights.dim(0).set_bounds(0, int(s.kw)).dim(1).set_bounds(0, int(s.kh));
    weights.dim(2).set_bounds(0, int(s.c)).dim(3).set_bounds(0, int(s.m));
  }
  weightZeroPoint.dim(0).set_bounds(0, int(s.weightZeroPoints));
  bias.dim(0).set_bounds(0, int(s.m));
  multiplier.dim(0).set_bounds(0, int(s.requantChannels));
  shift.dim(0).set_bounds(0, int(s.requantChannels));
}

void IntegerConv::compileTo(const KernelOutputs &files,
                            const std::string &name) {
  std::vector<Argument> args = {input, weights, weightZeroPoint, bias};
  if (requantize)
    args.insert(args.end(), {multiplier, shift});
  compileOutputs(output, args, files, name, target);
}

Quantize::Quantize(int64_t elements, float scale, int32_t zeroPoint,
                   bool isSigned, const Target &target, bool parallel)
    : target(target) {
  Var i("i");
  // The division is rounded to f32 (strict: no reciprocal multiply), then to
  // the nearest integer, ties to even, as ONNX QuantizeLinear.
  Expr q = cast<int32_t>(round(strict_float(input(i) / scale))) + zeroPoint;
  output(i) = isSigned ? cast<int8_t>(clamp(q, -128, 127))
                       : cast<uint8_t>(clamp(q, 0, 255));
  const int vector = std::max(1, target.natural_vector_size<float>());
  output.bound(i, 0, int(elements));
  // The division (strict, so not a reciprocal multiply) bounds this kernel:
  // AlexNet's 154 K input values took 14-32 us on one Zen 5 core. Tasks of at
  // least 4 K values keep the per-task cost of the runtime's team small.
  constexpr int64_t kTasks = 16, kMinTask = 4096;
  if (parallel && elements >= 2 * kMinTask) {
    int64_t task =
        std::max<int64_t>(kMinTask, (elements + kTasks - 1) / kTasks);
    task = (task + vector - 1) / vector * vector;
    Var io("io"), ii("ii");
    // The last task overlaps the one before (ShiftInwards): both write the
    // same values.
    output.split(i, io, ii, int(task), TailStrategy::ShiftInwards)
        .parallel(io)
        .vectorize(ii, vector);
  } else if (elements >= vector) {
    output.vectorize(i, vector, TailStrategy::GuardWithIf);
  }
  input.dim(0).set_bounds(0, int(elements));
}

void Quantize::compileTo(const KernelOutputs &files, const std::string &name) {
  compileOutputs(output, {input}, files, name, target);
}

std::vector<int32_t> Quantize::run(const std::vector<float> &values) {
  const int n = int(values.size());
  input.set(Buffer<float>(const_cast<float *>(values.data()), n));
  Buffer<> out(output.output_types()[0], {n});
  realizeInto(output, out, target);
  std::vector<int32_t> result;
  for (int i = 0; i < n; ++i)
    result.push_back(out.type() == UInt(8) ? out.as<uint8_t>()(i)
                                           : out.as<int8_t>()(i));
  return result;
}

IntegerMaxPool::IntegerMaxPool(const IntegerPoolShape &s, Type type,
                               const Target &target)
    : target(target), input(type, 4, "input") {
  Var ox("ox"), oy("oy"), c("c"), n("n");
  RDom r(0, int(s.kw), 0, int(s.kh), "r");
  Expr iy = oy * int(s.strideY) + r.y * int(s.dilationY) - int(s.padTop);
  Expr ix = ox * int(s.strideX) + r.x * int(s.dilationX) - int(s.padLeft);
  Expr inside = iy >= 0 && iy < int(s.h) && ix >= 0 && ix < int(s.w);
  Expr v = input(clamp(ix, 0, int(s.w) - 1), clamp(iy, 0, int(s.h) - 1), c, n);
  output(ox, oy, c, n) = maximum(select(inside, v, type.min()));
  const int vector = std::max(1, target.natural_vector_size(type));
  output.bound(ox, 0, int(s.outW)).bound(oy, 0, int(s.outH));
  output.bound(c, 0, int(s.c)).bound(n, 0, int(s.n));
  if (s.outW >= vector)
    output.vectorize(ox, vector, TailStrategy::GuardWithIf);
  input.dim(0).set_bounds(0, int(s.w)).dim(1).set_bounds(0, int(s.h));
  input.dim(2).set_bounds(0, int(s.c)).dim(3).set_bounds(0, int(s.n));
}

void IntegerMaxPool::compileTo(const KernelOutputs &files,
                               const std::string &name) {
  compileOutputs(output, {input}, files, name, target);
}

} // namespace qnnc::codegen
