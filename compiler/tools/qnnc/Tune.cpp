//===- Tune.cpp - `qnnc tune` and --schedules -----------------------------===//

#include "Tune.h"
#include "qnn/Codegen/Emit/GemmTuning.h"
#include "qnn/Dialect/QKernel/QKernelOps.h"
#include "qnn/Dialect/QNN/NodeName.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <map>

using namespace mlir;

namespace qnnc {

namespace {

std::string describe(const codegen::GemmSchedule &s) {
  return std::to_string(s.rows) + "x" + std::to_string(s.vectorsPerPanel);
}

/// `target` without the ahead-of-time features, for the JIT; false when it
/// needs a feature this machine lacks (its kernels would not run here).
bool jitTarget(const Halide::Target &target, Halide::Target &out) {
  using Halide::Target;
  Target host = Halide::get_host_target();
  out = target.without_feature(Target::NoRuntime)
            .without_feature(Target::NoAsserts)
            .without_feature(Target::NoBoundsQuery)
            .without_feature(Target::UserContext);
  if (out.arch != host.arch || out.bits != host.bits || out.os != host.os)
    return false;
  for (int f = 0; f < int(Target::FeatureEnd); ++f)
    if (out.has_feature(Target::Feature(f)) &&
        !host.has_feature(Target::Feature(f)))
      return false;
  return true;
}

} // namespace

bool tuneSchedules(func::FuncOp func, const codegen::TargetInfo &target,
                   int runs, const std::string &outPath,
                   const std::function<void(const std::string &)> &progress,
                   std::string &error) {
  Halide::Target jit;
  if (!jitTarget(target.halide, jit)) {
    error = "tuning times the kernels on this machine, which cannot run "
            "target '" +
            target.spec + "' (host: " + Halide::get_host_target().to_string() +
            ")";
    return false;
  }
  std::vector<qkernel::BitserialGemmOp> gemms;
  func.walk([&](qkernel::BitserialGemmOp op) { gemms.push_back(op); });
  llvm::json::Object layers;
  for (size_t i = 0; i < gemms.size(); ++i) {
    qkernel::BitserialGemmOp op = gemms[i];
    std::string node = qnn::onnxNodeName(op->getLoc());
    codegen::GemmLayer layer = codegen::gemmLayer(op);
    codegen::GemmOperands operands = codegen::gemmOperands(op);
    std::string head = "tune [" + std::to_string(i + 1) + "/" +
                       std::to_string(gemms.size()) + "] " + node + " (" +
                       std::to_string(layer.shape.m) + "x" +
                       std::to_string(layer.shape.k) + "x" +
                       std::to_string(layer.shape.n) + "):";
    double best = 0, current = 0;
    codegen::GemmSchedule chosen = layer.schedule;
    std::string line;
    for (const codegen::GemmSchedule &s : codegen::scheduleCandidates(layer)) {
      double us = 0;
      if (!codegen::timeSchedule(layer, operands, s, jit, runs, us, error)) {
        error = "node '" + node + "': " + error;
        return false;
      }
      line +=
          " " + describe(s) + " " + llvm::formatv("{0:f1}", us).str() + " us;";
      if (s.rows == layer.schedule.rows &&
          s.vectorsPerPanel == layer.schedule.vectorsPerPanel)
        current = us;
      if (best == 0 || us < best)
        best = us, chosen = s;
    }
    // Differences within a few percent are this machine's noise: the
    // lowering's schedule stays unless another one is clearly faster.
    if (current > 0 && best > 0.97 * current)
      chosen = layer.schedule, best = current;
    progress(head + line + " chosen " + describe(chosen));
    if (node.empty())
      continue; // nothing to name it by in a schedules file
    llvm::json::Object entry{
        {"rows", int64_t(chosen.rows)},
        {"vectors_per_panel", int64_t(chosen.vectorsPerPanel)},
        {"micros", std::round(best * 10) / 10}};
    if (current > 0)
      entry["default_micros"] = std::round(current * 10) / 10;
    layers[node] = std::move(entry);
  }
  llvm::json::Object root{{"qnnc_schedules", 1},
                          {"target", jit.to_string()},
                          {"layers", std::move(layers)}};
  std::error_code ec;
  llvm::raw_fd_ostream out(outPath, ec, llvm::sys::fs::OF_Text);
  if (ec) {
    error = "cannot write '" + outPath + "': " + ec.message();
    return false;
  }
  out << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
  return true;
}

bool applySchedules(func::FuncOp func, const std::string &path,
                    std::string &error) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    error =
        "cannot read schedules '" + path + "': " + buffer.getError().message();
    return false;
  }
  auto parsed = llvm::json::parse((*buffer)->getBuffer());
  if (!parsed) {
    error = path + ": not JSON: " + llvm::toString(parsed.takeError());
    return false;
  }
  const llvm::json::Object *root = parsed->getAsObject();
  const llvm::json::Object *layers = root ? root->getObject("layers") : nullptr;
  if (!root || root->getInteger("qnnc_schedules") != 1 || !layers) {
    error = path + ": not a qnnc schedules file (written by 'qnnc tune')";
    return false;
  }
  std::map<std::string, std::vector<qkernel::BitserialGemmOp>> byNode;
  func.walk([&](qkernel::BitserialGemmOp op) {
    byNode[qnn::onnxNodeName(op->getLoc())].push_back(op);
  });
  Builder b(func.getContext());
  for (const auto &[key, value] : *layers) {
    std::string node = key.str();
    auto it = byNode.find(node);
    if (node.empty() || it == byNode.end()) {
      error =
          path + ": node '" + node + "' has no bit-serial GEMM in this model";
      return false;
    }
    const llvm::json::Object *entry = value.getAsObject();
    std::optional<int64_t> rows =
        entry ? entry->getInteger("rows") : std::nullopt;
    std::optional<int64_t> vectors =
        entry ? entry->getInteger("vectors_per_panel") : std::nullopt;
    if (!rows || !vectors || *rows < 1 || *rows > 64 || *vectors < 1 ||
        *vectors > 16) {
      error = path + ": node '" + node +
              "': rows (1-64) and vectors_per_panel (1-16) must be integers";
      return false;
    }
    for (qkernel::BitserialGemmOp op : it->second) {
      if (op.getN() != 1 && *vectors != int64_t(op.getVectorsPerPanel())) {
        error = path + ": node '" + node + "': vectors_per_panel " +
                std::to_string(*vectors) +
                " would change the activation panels its producer writes (" +
                std::to_string(op.getVectorsPerPanel()) +
                "); only a GEMV's may change";
        return false;
      }
      op->setAttr("rows", b.getI64IntegerAttr(*rows));
      op->setAttr("vectors_per_panel", b.getI64IntegerAttr(*vectors));
    }
  }
  return true;
}

} // namespace qnnc
