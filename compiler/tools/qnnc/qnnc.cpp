//===- qnnc.cpp - The qnnc compiler driver --------------------------------===//

#include "Summary.h"
#include "qnn/Codegen/HalideProbe.h"
#include "qnn/Dialect/QNN/QNNDialect.h"
#include "qnn/Dialect/QNN/QNNOps.h"
#include "qnn/Import/OnnxImporter.h"
#include "qnn/Reference/Evaluator.h"
#include "qnn/Reference/Npy.h"
#include "qnn/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
namespace cl = llvm::cl;

namespace {

cl::OptionCategory category("qnnc options");

cl::SubCommand runCommand("run",
                          "Run a model on .npy inputs and write .npy outputs");

// Top level: compile.
cl::opt<std::string> modelPath(cl::Positional, cl::desc("<model.onnx>"),
                               cl::Required,
                               cl::sub(cl::SubCommand::getTopLevel()),
                               cl::sub(runCommand), cl::cat(category));

enum class Emit { Mlir, Streamlined, Summary };
cl::opt<Emit> emit(
    "emit", cl::desc("What to produce (implemented stages):"),
    cl::values(clEnumValN(Emit::Mlir, "mlir", "the imported qnn dialect IR"),
               clEnumValN(Emit::Streamlined, "streamlined",
                          "the integer-only qnn IR after streamlining"),
               clEnumValN(Emit::Summary, "summary",
                          "inputs, outputs, op counts and constant sizes")),
    cl::init(Emit::Mlir), cl::cat(category));

cl::opt<std::string> outputPath("o", cl::desc("Output file ('-' for stdout)"),
                                cl::value_desc("file"), cl::init("-"),
                                cl::cat(category));

cl::opt<int64_t> batch(
    "batch",
    cl::desc("Batch size: dimension 0 of every model input (default: 1 for a "
             "symbolic batch dimension, the model's value otherwise; 'run' "
             "takes all input shapes from the input files)"),
    cl::init(0), cl::cat(category));

cl::opt<bool> streamlineFlag(
    "streamline",
    cl::desc("Streamline first (for --emit=summary and 'run'; implied by "
             "--emit=streamlined)"),
    cl::sub(cl::SubCommand::getTopLevel()), cl::sub(runCommand),
    cl::cat(category));

cl::opt<std::string> dumpDir(
    "dump-dir",
    cl::desc("Write the IR after every streamlining pass that changed it to "
             "DIR/NN-<pass>.mlir"),
    cl::value_desc("DIR"), cl::sub(cl::SubCommand::getTopLevel()),
    cl::sub(runCommand), cl::cat(category));

// run
cl::opt<bool> reference("reference",
                        cl::desc("Execute with the reference evaluator (the "
                                 "only executor so far)"),
                        cl::sub(runCommand), cl::cat(category));
cl::list<std::string>
    inputs("input", cl::desc("An input .npy, one per model input in order"),
           cl::value_desc("x.npy"), cl::sub(runCommand), cl::cat(category));
cl::list<std::string> outputs(
    "output",
    cl::desc(
        "Where to write output i as .npy (else print a short description)"),
    cl::value_desc("y.npy"), cl::sub(runCommand), cl::cat(category));
cl::opt<std::string> dumpActivations(
    "dump-activations",
    cl::desc("Write the output of every quantizer and multithreshold to "
             "DIR/<onnx-node>.npy"),
    cl::value_desc("DIR"), cl::sub(runCommand), cl::cat(category));

void printVersion(llvm::raw_ostream &os) {
  os << "qnnc " << QNNC_VERSION << "\n"
     << "  MLIR/LLVM " << LLVM_VERSION_STRING << ", Halide 14 (host target "
     << qnnc::codegen::halideHostTarget() << ")\n";
}

int fail(const std::string &message) {
  llvm::errs() << "qnnc: error: " << message << "\n";
  return 1;
}

OwningOpRef<ModuleOp> import(MLIRContext &context,
                             const qnnc::ImportOptions &options) {
  std::vector<std::string> diagnostics;
  auto module = qnnc::importOnnxFile(context, modelPath, options, diagnostics);
  for (const std::string &d : diagnostics)
    llvm::errs() << d << "\n";
  if (!module && diagnostics.empty())
    llvm::errs() << modelPath << ": error: import failed\n";
  return module;
}

/// Runs the streamlining pipeline; diagnostics (what stayed in floating point)
/// go to stderr.
LogicalResult streamline(ModuleOp module) {
  PassManager pm(module.getContext());
  qnn::StreamlineOptions options;
  options.dumpDir = dumpDir;
  pm.addPass(qnn::createStreamline(options));
  return pm.run(module);
}

std::string nodeName(Operation *op) {
  Location loc = op->getLoc();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    loc = fused.getLocations().front();
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  return "";
}

int runModel(MLIRContext &context) {
  if (!reference)
    return fail("'qnnc run' needs --reference: compiled execution is not "
                "implemented yet");
  std::vector<qnnc::ref::Tensor> values(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::string error;
    if (!qnnc::ref::readNpy(inputs[i], values[i], error))
      return fail(error);
  }
  // The model is specialized to the shapes of the given inputs (batch
  // included).
  qnnc::ImportOptions options;
  for (const auto &v : values)
    options.inputShapes.push_back(v.shape);
  auto module = import(context, options);
  if (!module)
    return 1;
  if (streamlineFlag && failed(streamline(*module)))
    return 1;
  auto func = *module->getOps<func::FuncOp>().begin();
  std::vector<qnnc::ref::Tensor> results;
  std::string error;
  qnnc::ref::TraceFn trace;
  if (!dumpActivations.empty()) {
    llvm::sys::fs::create_directories(dumpActivations);
    trace = [&](Operation *op, const std::vector<qnnc::ref::Tensor> &values) {
      std::string name = nodeName(op);
      if (name.empty() ||
          !isa<qnn::QuantOp, qnn::BipolarQuantOp, qnn::MultiThresholdOp>(op))
        return;
      std::string ignored;
      qnnc::ref::writeNpy(dumpActivations + "/" + name + ".npy", values[0],
                          ignored);
    };
  }
  if (!qnnc::ref::evaluate(func, values, results, error, trace))
    return fail(modelPath + ": " + error);
  if (outputs.size() > results.size())
    return fail("the model has " + std::to_string(results.size()) +
                " output(s), but " + std::to_string(outputs.size()) +
                " --output files were given");
  for (size_t i = 0; i < results.size(); ++i) {
    if (i < outputs.size()) {
      if (!qnnc::ref::writeNpy(outputs[i], results[i], error))
        return fail(error);
      continue;
    }
    llvm::outs() << "output " << i << ": " << results[i].describe() << " =";
    for (int64_t k = 0; k < std::min<int64_t>(results[i].numel(), 16); ++k)
      llvm::outs() << " " << llvm::format("%g", results[i].data[k]);
    llvm::outs() << (results[i].numel() > 16 ? " ...\n" : "\n");
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  cl::SetVersionPrinter(printVersion);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "qnnc: ahead-of-time compiler for quantized neural networks "
      "(ONNX/QONNX)\n\n"
      "  qnnc MODEL [--emit=mlir|streamlined|summary] [-o FILE] [--batch N] "
      "[--dump-dir DIR]\n"
      "  qnnc run --reference [--streamline] MODEL --input x.npy [--input ...] "
      "[--output y.npy ...] [--dump-activations DIR]\n\n"
      "Imports the model into the qnn dialect, folding shape arithmetic so "
      "every tensor has a "
      "static shape.\nErrors name the file, node, op type, domain and opset; "
      "the exit code is 1 "
      "and no output file is written.\n");

  DialectRegistry registry;
  registry.insert<qnn::QNNDialect, func::FuncDialect>();
  MLIRContext context(registry);
  qnn::registerStreamlinePipeline();
  context.loadAllAvailableDialects();

  if (runCommand)
    return runModel(context);

  qnnc::ImportOptions options;
  if (batch > 0)
    options.batchSize = batch;
  auto module = import(context, options);
  if (!module)
    return 1;
  std::error_code ec;
  llvm::ToolOutputFile out(outputPath, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return fail("cannot write '" + outputPath + "': " + ec.message());
  if ((emit == Emit::Streamlined || streamlineFlag) &&
      failed(streamline(*module)))
    return 1;
  if (emit == Emit::Summary)
    qnnc::printSummary(*module, out.os());
  else
    module->print(out.os());
  out.keep();
  return 0;
}
