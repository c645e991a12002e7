#include "qnn/Codegen/Emit/GemmTuning.h"
#include "qnn/Dialect/QKernel/QKernelOps.h"

#include <algorithm>
#include <chrono>
#include <random>

using namespace mlir;

namespace qnnc::codegen {

Encoding encodingFrom(llvm::StringRef e) {
  if (e == "bipolar")
    return Encoding::Bipolar;
  return e == "twos_complement" ? Encoding::TwosComplement : Encoding::Unsigned;
}

GemmLayer gemmLayer(qkernel::BitserialGemmOp gemm) {
  GemmLayer l;
  l.shape.m = gemm.getM();
  l.shape.k = gemm.getK();
  l.shape.n = gemm.getN();
  l.shape.weights = {int(gemm.getWBits()), encodingFrom(gemm.getWEncoding())};
  l.shape.activations = {int(gemm.getABits()),
                         encodingFrom(gemm.getAEncoding())};
  l.shape.validK = gemm.getValidK() ? *gemm.getValidK() : 0;
  l.schedule.rows = int(gemm.getRows());
  l.schedule.vectorsPerPanel = int(gemm.getVectorsPerPanel());
  if (gemm.getThresholds()) {
    ThresholdEpilogue e;
    e.thresholds = int(gemm.getThresholds()->getShapedType().getDimSize(1));
    e.levelScale = *gemm.getLevelScale();
    e.levelBias = *gemm.getLevelBias();
    e.next = {int(*gemm.getOutBits()), encodingFrom(*gemm.getOutEncoding())};
    e.panelWidth = *gemm.getOutPanelWidth();
    l.epilogue = e;
  }
  return l;
}

std::vector<GemmSchedule> scheduleCandidates(const GemmLayer &layer) {
  std::vector<GemmSchedule> out;
  auto add = [&](int rows, int vectors) {
    if (rows > std::max<int64_t>(layer.shape.m, 1))
      return;
    GemmSchedule s = layer.schedule;
    s.rows = rows, s.vectorsPerPanel = vectors;
    out.push_back(s);
  };
  if (layer.shape.n == 1) {
    // Rows across the lanes: multiples of every vector width (2, 4, 8 words).
    for (int rows : {8, 16, 32, 64})
      add(rows, layer.schedule.vectorsPerPanel);
  } else {
    for (int rows : {1, 2, 3, 4, 6, 8})
      add(rows, layer.schedule.vectorsPerPanel);
  }
  if (out.empty())
    out.push_back(layer.schedule);
  return out;
}

GemmOperands gemmOperands(qkernel::BitserialGemmOp op) {
  GemmOperands o;
  for (const APInt &v : op.getWeights().getValues<APInt>())
    o.weights.push_back(v.getZExtValue());
  if (auto t = op.getThresholds())
    for (const APInt &v : t->getValues<APInt>())
      o.thresholds.push_back(int32_t(v.getSExtValue()));
  return o;
}

bool timeSchedule(const GemmLayer &layer, const GemmOperands &operands,
                  const GemmSchedule &schedule, const Halide::Target &target,
                  int runs, double &micros, std::string &error) {
  const GemmShape &s = layer.shape;
  try {
    BitSerialGemm gemm(s, schedule, target, layer.epilogue);
    int64_t panel = gemm.panelWidth();
    std::vector<uint64_t> activations(size_t(s.activations.planes()) *
                                      ((s.n + panel - 1) / panel) *
                                      wordsFor(s.k) * panel);
    std::mt19937_64 rng(1);
    for (uint64_t &w : activations)
      w = rng();
    std::vector<int32_t> result;
    // Bound once: the library's weights are laid out at compile time.
    gemm.bindWeights(operands.weights);
    auto call = [&] {
      if (layer.epilogue)
        gemm.runFusedBound(activations, operands.thresholds);
      else
        gemm.runBound(activations, result);
    };
    call(); // JIT-compiles
    std::vector<double> times;
    for (int i = 0; i < std::max(1, runs); ++i) {
      auto start = std::chrono::steady_clock::now();
      call();
      times.push_back(std::chrono::duration<double, std::micro>(
                          std::chrono::steady_clock::now() - start)
                          .count());
    }
    std::nth_element(times.begin(), times.begin() + times.size() / 2,
                     times.end());
    micros = times[times.size() / 2];
    return true;
  } catch (const std::exception &e) {
    error = e.what();
    return false;
  }
}

} // namespace qnnc::codegen
