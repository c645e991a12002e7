//===- Pipeline.cpp - Stages shared by `qnnc` and `qnnc run` --------------===//

#include "Pipeline.h"
#include "qnn/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace qnnc {

LogicalResult streamlineModule(ModuleOp module, const std::string &dumpDir) {
  PassManager pm(module.getContext());
  qnn::StreamlineOptions options;
  options.dumpDir = dumpDir;
  pm.addPass(qnn::createStreamline(options));
  return pm.run(module);
}

namespace {
/// The next free NN of dumpDir/NN-*.mlir.
int nextDumpIndex(const std::string &dir) {
  int next = 0;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec)) {
    llvm::StringRef file = llvm::sys::path::filename(it->path());
    int index = 0;
    if (!file.take_while(llvm::isDigit).getAsInteger(10, index))
      next = std::max(next, index + 1);
  }
  return next;
}

LogicalResult runAndDump(ModuleOp module, std::unique_ptr<Pass> pass,
                         const std::string &dumpDir) {
  // Named like the streamlining dumps: without the qnn- prefix.
  std::string name = pass->getArgument().str();
  if (llvm::StringRef(name).starts_with("qnn-"))
    name = name.substr(4);
  PassManager pm(module.getContext());
  pm.addNestedPass<func::FuncOp>(std::move(pass));
  if (failed(pm.run(module)))
    return failure();
  if (dumpDir.empty())
    return success();
  llvm::sys::fs::create_directories(dumpDir);
  int index = nextDumpIndex(dumpDir);
  std::string path = dumpDir + "/" + (index < 10 ? "0" : "") +
                     std::to_string(index) + "-" + name + ".mlir";
  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec);
  if (ec)
    return module.emitError("cannot write '" + path + "': " + ec.message());
  module.print(out);
  return success();
}
} // namespace

LogicalResult lowerToKernels(ModuleOp module, const codegen::TargetInfo &target,
                             const std::string &dumpDir) {
  qnn::LowerToQKernelOptions lower;
  lower.lanes = target.lanes();
  if (failed(runAndDump(module, qnn::createLowerToQKernel(lower), dumpDir)))
    return failure();
  return runAndDump(module, qnn::createPlanMemory(), dumpDir);
}

std::string libraryNameFor(const std::string &modelPath) {
  std::string stem = llvm::sys::path::stem(modelPath).str(), name;
  for (char c : stem)
    name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0])))
    name = "model_" + name;
  return name;
}

} // namespace qnnc
