//===- Streamline.cpp - The streamlining pipeline to a fixed point --------===//

#include "qnn/Transforms/Passes.h"

#include "mlir/IR/OperationSupport.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_STREAMLINE
#include "qnn/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

namespace {

using PassFactory = std::function<std::unique_ptr<Pass>()>;

struct StreamlinePass : mlir::qnn::impl::StreamlineBase<StreamlinePass> {
  using StreamlineBase::StreamlineBase;

  int dumpIndex = 0;

  void dump(StringRef name) {
    if (dumpDir.empty())
      return;
    llvm::sys::fs::create_directories(dumpDir);
    std::string path;
    llvm::raw_string_ostream(path)
        << dumpDir << "/" << llvm::format("%02d", dumpIndex++) << "-" << name
        << ".mlir";
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    if (ec) {
      getOperation().emitError("cannot write '")
          << path << "': " << ec.message();
      return signalPassFailure();
    }
    getOperation().print(os);
  }

  /// Runs one function pass; dumps the IR if it changed. Returns whether it
  /// changed.
  FailureOr<bool> runOne(const PassFactory &make) {
    OperationFingerPrint before(getOperation());
    OpPassManager pm(ModuleOp::getOperationName());
    std::unique_ptr<Pass> pass = make();
    std::string name = pass->getArgument().str();
    pm.addNestedPass<func::FuncOp>(std::move(pass));
    if (failed(runPipeline(pm, getOperation())))
      return failure();
    bool changed = OperationFingerPrint(getOperation()) != before;
    if (changed)
      dump(name.substr(name.find('-') + 1));
    return changed;
  }

  LogicalResult fixedPoint(ArrayRef<PassFactory> passes) {
    for (int round = 0; round < 16; ++round) {
      bool changed = false;
      for (const PassFactory &make : passes) {
        FailureOr<bool> c = runOne(make);
        if (failed(c))
          return failure();
        changed |= *c;
      }
      if (!changed)
        return success();
    }
    return getOperation().emitError(
        "streamlining did not reach a fixed point in 16 rounds");
  }

  void runOnOperation() override {
    dump("input");
    QuantToThresholdOptions thresholdOptions;
    thresholdOptions.maxBits = maxBits;
    MoveAffineOptions exact;
    exact.exactOnly = true;
    IntegerMatMulOptions exactInteger, anyInteger;
    exactInteger.exactOnly = true;
    anyInteger.exactOnly = false;
    std::vector<PassFactory> exactPasses = {
        [] { return createFoldConstants(); },
        [] { return createQuantizeWeights(); },
        [] { return createLowerDequantize(); },
        [] { return createRemoveIdentities(); },
        [=] { return createQuantToThreshold(thresholdOptions); },
        [=] { return createMoveAffine(exact); },
        [=] { return createIntegerMatMul(exactInteger); },
        [] { return createAbsorbSignIntoMatMul(); },
        [] { return createAbsorbIntoThreshold(); },
        [] { return createRoundThresholds(); },
    };
    // What is left is not bit-exact in f32 any more (reordered float
    // arithmetic, 8-bit requantization): it runs after the exact passes have
    // absorbed all they can.
    std::vector<PassFactory> floatPasses = {
        [] { return createBatchNormToAffine(); },
        [] { return createNormalizeAffine(); },
        [] { return createGemmToMatMul(); },
        [] { return createMoveAffine(); },
        [=] { return createIntegerMatMul(anyInteger); },
        [] { return createRequantize(); },
        [] { return createCollapseAffine(); },
        [] { return createRemoveIdentities(); },
        [] { return createFoldConstants(); },
    };
    {
      // A pass may refuse something that a later pass of the same round makes
      // possible; only what is still left at the end is worth reporting, which
      // the final check does.
      ScopedDiagnosticHandler quiet(&getContext(), [](Diagnostic &d) {
        return success(d.getSeverity() == DiagnosticSeverity::Warning ||
                       d.getSeverity() == DiagnosticSeverity::Remark);
      });
      if (failed(fixedPoint(exactPasses)) || failed(fixedPoint(floatPasses)) ||
          failed(fixedPoint(exactPasses)))
        return signalPassFailure();
    }
    CheckIntegerOnlyOptions check;
    check.failOnFloat = false;
    if (failed(runOne([=] { return createCheckIntegerOnly(check); })))
      return signalPassFailure();
  }
};

} // namespace

void mlir::qnn::registerStreamlinePipeline() { registerQNNPasses(); }
