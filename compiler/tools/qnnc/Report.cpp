//===- Report.cpp - Per-layer cost and memory report ----------------------===//
//
// Binary ops follow seed 001: one binary MAC is an AND and a popcount-add, two
// operations, for every pair of weight and activation bit-planes.
//
//===----------------------------------------------------------------------===//

#include "Report.h"
#include "qnn/Codegen/BitPacking.h"
#include "qnn/Dialect/QKernel/QKernelOps.h"
#include "qnn/Dialect/QNN/NodeName.h"

#include "llvm/Support/Format.h"

using namespace mlir;

namespace qnnc {

namespace {
int64_t bytesOf(Type type) {
  auto shaped = cast<ShapedType>(type);
  return shaped.getNumElements() * ((shaped.getElementTypeBitWidth() + 7) / 8);
}
int64_t bytesOf(ElementsAttr attr) { return bytesOf(attr.getShapedType()); }

std::string bitsOf(StringRef encoding, int64_t bits) {
  return encoding == "bipolar" ? "1(+-1)" : std::to_string(bits);
}

} // namespace

std::vector<LayerCost> layerCosts(func::FuncOp func) {
  std::vector<LayerCost> costs;
  for (Operation &op : func.getBody().front().without_terminator()) {
    LayerCost c;
    c.node = qnn::onnxNodeName(op.getLoc());
    if (c.node.empty())
      c.node = "-";
    c.kernel = op.getName().stripDialect().str();
    c.activationBytes = bytesOf(op.getResult(0).getType());
    if (auto pack = dyn_cast<qkernel::ThresholdPackOp>(op)) {
      c.bits = "A" + bitsOf(pack.getOutEncoding(), pack.getOutBits());
      c.weightBytes = bytesOf(pack.getThresholds());
      c.schedule = "panel " + std::to_string(pack.getPanelWidth());
    } else if (auto gemm = dyn_cast<qkernel::BitserialGemmOp>(op)) {
      int64_t wp = qkernel::planesOf(gemm.getWEncoding(), gemm.getWBits()),
              ap = qkernel::planesOf(gemm.getAEncoding(), gemm.getABits());
      // Real elements of K (channels padded to words do not count).
      int64_t k = gemm.getValidK() ? *gemm.getValidK() : gemm.getK();
      c.macs = gemm.getM() * k * gemm.getN();
      c.binaryOps = 2 * c.macs * wp * ap;
      c.bits = "W" + bitsOf(gemm.getWEncoding(), gemm.getWBits()) + "A" +
               bitsOf(gemm.getAEncoding(), gemm.getABits());
      c.weightBytes = bytesOf(gemm.getWeights());
      if (auto t = gemm.getThresholds()) {
        c.weightBytes += bytesOf(*t);
        c.kernel += "+threshold_pack";
        c.bits += "->A" + bitsOf(*gemm.getOutEncoding(), *gemm.getOutBits());
      }
      // A GEMV's tile is rows across the lanes; it has no column vectors.
      c.schedule = gemm.getN() == 1
                       ? "gemv rows " + std::to_string(gemm.getRows())
                       : "gemm rows " + std::to_string(gemm.getRows()) +
                             " vectors " +
                             std::to_string(gemm.getVectorsPerPanel());
    } else if (auto gemm = dyn_cast<qkernel::FloatGemmOp>(op)) {
      auto w = gemm.getWeights().getShapedType();
      c.macs = cast<ShapedType>(gemm.getType()).getDimSize(0) *
               w.getDimSize(0) * w.getDimSize(1);
      c.bits = "f32";
      c.weightBytes = bytesOf(gemm.getWeights());
      c.schedule = "vectors of channels, f64 sum";
    } else if (auto deq = dyn_cast<qkernel::DequantizeOp>(op)) {
      c.bits = "i32->f32";
      c.weightBytes = bytesOf(deq.getScale()) + bytesOf(deq.getBias());
    } else if (auto conv = dyn_cast<qkernel::IntConvOp>(op)) {
      auto w = conv.getWeights().getShapedType();
      auto out = cast<ShapedType>(conv.getType());
      int64_t pixels =
          out.getRank() == 4 ? out.getDimSize(2) * out.getDimSize(3) : 1;
      c.macs = out.getDimSize(0) * w.getNumElements() * pixels;
      c.bits = conv.getMultiplier() ? "W8A8->A8" : "W8A8->i32";
      c.weightBytes = w.getNumElements() + bytesOf(conv.getBias());
      c.schedule = "direct, vectors of columns";
    } else if (isa<qkernel::QuantizeOp>(op)) {
      c.bits = "f32->8";
    } else if (auto pool = dyn_cast<qkernel::MaxPoolPackedOp>(op)) {
      c.bits = "packed";
      c.schedule = "word-parallel (64 ch)";
    } else if (auto im2col = dyn_cast<qkernel::Im2ColPackedOp>(op)) {
      int64_t channels = im2col.getChannels();
      c.bits = "packed";
      c.schedule = qnnc::codegen::convBitFields(channels)
                       ? std::to_string(channels) + "-bit fields"
                       : std::to_string(qnnc::codegen::convUnitBits(channels)) +
                             "-bit channel units";
    } else if (isa<qkernel::MaxPoolOp>(op)) {
      c.bits = "8";
    } else if (auto affine = dyn_cast<qkernel::AffineOp>(op)) {
      c.bits = "int->f32";
      c.weightBytes = bytesOf(affine.getScale()) + bytesOf(affine.getBias());
    } else {
      c.bits = "f32->i64";
    }
    costs.push_back(c);
  }
  return costs;
}

void printReport(func::FuncOp func, llvm::raw_ostream &os) {
  std::vector<LayerCost> costs = layerCosts(func);
  os << llvm::format("%-3s %-24s %-30s %-22s %12s %14s %10s %10s  ",
                     (const char *)"#", (const char *)"node",
                     (const char *)"kernel", (const char *)"bits",
                     (const char *)"MACs", (const char *)"binary ops",
                     (const char *)"weight B", (const char *)"act. B")
     << "schedule\n";
  int64_t macs = 0, ops = 0, weights = 0, peakAct = 0;
  for (size_t i = 0; i < costs.size(); ++i) {
    const LayerCost &c = costs[i];
    os << llvm::format("%-3zu %-24s %-30s %-22s %12lld %14lld %10lld %10lld  "
                       "%s\n",
                       i, c.node.c_str(), c.kernel.c_str(), c.bits.c_str(),
                       (long long)c.macs, (long long)c.binaryOps,
                       (long long)c.weightBytes, (long long)c.activationBytes,
                       c.schedule.c_str());
    macs += c.macs;
    ops += c.binaryOps;
    weights += c.weightBytes;
    peakAct = std::max(peakAct, c.activationBytes);
  }
  auto arena = func->getAttrOfType<IntegerAttr>("qkernel.arena_bytes");
  os << "total: " << macs << " MACs, " << ops << " binary ops, " << weights
     << " weight bytes; largest activation " << peakAct
     << " bytes; workspace arena "
     << (arena ? std::to_string(arena.getInt()) : std::string("?"))
     << " bytes\n";
}

} // namespace qnnc
