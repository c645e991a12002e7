//===- qnnc.cpp - The qnnc compiler driver --------------------------------===//

#include "Pipeline.h"
#include "Report.h"
#include "Summary.h"
#include "Tune.h"
#include "qnn/Codegen/Emit/LibraryEmitter.h"
#include "qnn/Codegen/HalideProbe.h"
#include "qnn/Dialect/QKernel/QKernelDialect.h"
#include "qnn/Dialect/QNN/NodeName.h"
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
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include "llvm/Support/ToolOutputFile.h"
#include <cstring>
#include <fstream>
#include <map>

using namespace mlir;
namespace cl = llvm::cl;

namespace {

cl::OptionCategory category("qnnc options");

cl::SubCommand runCommand("run",
                          "Run a model on .npy inputs and write .npy outputs");
cl::SubCommand
    tuneCommand("tune",
                "Time each bit-serial GEMM's register tiles on this machine "
                "and write the fastest per layer (a file for --schedules)");

// Top level: compile.
cl::opt<std::string> modelPath(cl::Positional, cl::desc("<model.onnx>"),
                               cl::Required,
                               cl::sub(cl::SubCommand::getTopLevel()),
                               cl::sub(runCommand), cl::sub(tuneCommand),
                               cl::cat(category));

enum class Emit { Mlir, Streamlined, Summary, Kernels, Stmt, Asm, Obj, Lib };
cl::opt<Emit> emit(
    "emit", cl::desc("What to produce (default: lib):"),
    cl::values(
        clEnumValN(Emit::Mlir, "mlir", "the imported qnn dialect IR"),
        clEnumValN(Emit::Streamlined, "streamlined",
                   "the integer-only qnn IR after streamlining"),
        clEnumValN(Emit::Summary, "summary",
                   "inputs, outputs, op counts and constant sizes"),
        clEnumValN(Emit::Kernels, "kernels",
                   "the planned qkernel IR (packed weights, schedules, "
                   "workspace offsets)"),
        clEnumValN(Emit::Stmt, "halide-stmt",
                   "DIR/kernels/<name>_kN.stmt: Halide's lowered loop nests"),
        clEnumValN(Emit::Asm, "asm", "DIR/kernels/<name>_kN.s"),
        clEnumValN(Emit::Obj, "obj",
                   "DIR/kernels/*.o: kernels, C glue and runtime objects"),
        clEnumValN(Emit::Lib, "lib",
                   "DIR/lib<name>.a + DIR/<name>.h + DIR/qnnc_runtime.h")),
    cl::init(Emit::Lib), cl::cat(category));

cl::opt<std::string> outputPath(
    "o",
    cl::desc("Output file for mlir, streamlined, summary and kernels ('-', the "
             "default, is stdout); output directory for halide-stmt, asm, obj "
             "and lib (default '.'); 'tune': the schedules file (default "
             "<model>.schedules.json)"),
    cl::value_desc("file|dir"), cl::init(""),
    cl::sub(cl::SubCommand::getTopLevel()), cl::sub(tuneCommand),
    cl::cat(category));

cl::opt<std::string> libName(
    "name",
    cl::desc("C prefix of the generated API and lib<name>.a (default: the "
             "model file's name)"),
    cl::value_desc("N"), cl::cat(category));

cl::opt<std::string> targetSpec(
    "target",
    cl::desc("Target of the generated code: host, x86-64-sse41, x86-64-avx2, "
             "x86-64-avx512, x86-64-avx512-vnni, x86-64-avx512-zen4, "
             "arm-64-linux, arm-32-linux or a Halide target string (default: "
             "host)"),
    cl::value_desc("T"), cl::init("host"),
    cl::sub(cl::SubCommand::getTopLevel()), cl::sub(runCommand),
    cl::sub(tuneCommand), cl::cat(category));

cl::opt<std::string> ccPath(
    "cc",
    cl::desc("C compiler for the glue and runtime (default: $QNNC_CC, else cc "
             "for x86, aarch64-linux-gnu-gcc / arm-linux-gnueabihf-gcc for "
             "ARM); its binutils' ar archives (override: $QNNC_AR)"),
    cl::value_desc("path"), cl::sub(cl::SubCommand::getTopLevel()),
    cl::sub(runCommand), cl::cat(category));

// --threads is parsed before LLVM's parser sees argv: libLLVM already
// registers a global option of that name (ThinLTO's), so a cl::opt would abort.
int threads = 0;
constexpr const char *kThreadsHelp =
    "  --threads=<N>   'run': threads the kernels use (default 1). Compile: 1 "
    "builds kernels\n"
    "                  without parallel loops; otherwise the caller picks the "
    "count in <name>_init\n";

/// Removes --threads N / --threads=N from argv; false on a bad value.
bool takeThreads(int &argc, char **argv) {
  int out = 1;
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg(argv[i]), value;
    if (arg == "--threads" || arg == "-threads") {
      if (i + 1 >= argc)
        return false;
      value = argv[++i];
    } else if (arg.consume_front("--threads=") ||
               arg.consume_front("-threads=")) {
      value = arg;
    } else {
      argv[out++] = argv[i];
      continue;
    }
    if (value.getAsInteger(10, threads) || threads < 1)
      return false;
  }
  argc = out;
  return true;
}

cl::opt<bool> report(
    "report",
    cl::desc("Print per layer: kernel, bit-widths, MACs, binary ops, weight "
             "and activation bytes, schedule; and the workspace size"),
    cl::sub(cl::SubCommand::getTopLevel()), cl::sub(runCommand),
    cl::cat(category));

cl::opt<int64_t> batch(
    "batch",
    cl::desc("Batch size: dimension 0 of every model input (default: 1 for a "
             "symbolic batch dimension, the model's value otherwise; 'run' "
             "takes all input shapes from the input files)"),
    cl::init(0), cl::sub(cl::SubCommand::getTopLevel()), cl::sub(tuneCommand),
    cl::cat(category));

cl::opt<std::string> schedulesPath(
    "schedules",
    cl::desc("Register tiles per layer from a file 'qnnc tune' wrote "
             "(applied after the bit-plane lowering)"),
    cl::value_desc("file"), cl::sub(cl::SubCommand::getTopLevel()),
    cl::sub(runCommand), cl::cat(category));

cl::opt<int> tuneRuns("runs",
                      cl::desc("'tune': timed calls per schedule (median; "
                               "default 20)"),
                      cl::init(20), cl::sub(tuneCommand), cl::cat(category));

cl::opt<bool> streamlineFlag(
    "streamline",
    cl::desc("Streamline first (for --emit=summary and 'run'; implied by "
             "--emit=streamlined)"),
    cl::sub(cl::SubCommand::getTopLevel()), cl::sub(runCommand),
    cl::cat(category));

cl::opt<std::string> dumpDir(
    "dump-dir",
    cl::desc("Write the IR after every pass (streamlining passes that changed "
             "it, bit-plane lowering, memory planning) to DIR/NN-<pass>.mlir"),
    cl::value_desc("DIR"), cl::sub(cl::SubCommand::getTopLevel()),
    cl::sub(runCommand), cl::cat(category));

// run
cl::opt<bool> reference(
    "reference",
    cl::desc("Execute with the reference evaluator instead of compiling the "
             "model to a library and running that"),
    cl::sub(runCommand), cl::cat(category));
cl::opt<bool> perItem(
    "per-item",
    cl::desc("With --reference: evaluate batch element by element (for models "
             "whose graph fixes the batch at 1) and concatenate the results"),
    cl::sub(runCommand), cl::cat(category));
cl::opt<std::string> runner(
    "runner",
    cl::desc(
        "Command prefix that runs the compiled program, e.g. 'qemu-aarch64' "
        "for ARM targets (default: $QNNC_RUNNER, else none for x86, "
        "qemu-aarch64 / qemu-arm for ARM)"),
    cl::value_desc("cmd"), cl::sub(runCommand), cl::cat(category));
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
    cl::desc("Write the output of every quantizer, multithreshold and "
             "requantization (--reference) or of every kernel (compiled) to "
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
  return qnnc::streamlineModule(module, dumpDir);
}

void progress(const std::string &line) {
  llvm::errs() << "qnnc: " << line << "\n";
}

bool resolveTarget(qnnc::codegen::TargetInfo &target) {
  std::string error;
  if (!qnnc::codegen::resolveTarget(targetSpec, ccPath, target, error)) {
    fail(error);
    return false;
  }
  // One thread: kernels without parallel loops (and without the runtime's
  // thread pool entry point).
  target.parallel = threads != 1;
  return true;
}

/// Streamlines, lowers and plans `module` for `target`; with --report prints
/// the layer table.
LogicalResult compileToKernels(ModuleOp module,
                               const qnnc::codegen::TargetInfo &target) {
  progress("streamlining");
  if (failed(streamline(module)))
    return failure();
  progress("bit-plane lowering and memory planning for " + target.spec);
  if (failed(qnnc::lowerToKernels(module, target, dumpDir)))
    return failure();
  if (!schedulesPath.empty()) {
    std::string error;
    if (!qnnc::applySchedules(*module.getOps<func::FuncOp>().begin(),
                              schedulesPath, error)) {
      fail(modelPath + ": " + error);
      return failure();
    }
    progress("schedules from " + schedulesPath);
  }
  if (report)
    qnnc::printReport(*module.getOps<func::FuncOp>().begin(), llvm::outs());
  return success();
}

/// Builds lib<name>.a (or an earlier stage) for `module` into `dir`.
bool buildLibrary(ModuleOp module, const qnnc::codegen::TargetInfo &target,
                  const std::string &dir, const std::string &name,
                  qnnc::codegen::LibraryOptions::Stop stop) {
  auto func = *module.getOps<func::FuncOp>().begin();
  func->setAttr("qnnc.source",
                StringAttr::get(module.getContext(),
                                llvm::sys::path::filename(modelPath)));
  qnnc::codegen::LibraryOptions options;
  options.name = name;
  options.outDir = dir;
  options.target = target;
  options.stop = stop;
  options.progress = progress;
  std::string error;
  if (!qnnc::codegen::emitLibrary(func, options, error)) {
    fail(modelPath + ": " + error);
    return false;
  }
  return true;
}

std::string nodeName(Operation *op) { return qnn::onnxNodeName(op->getLoc()); }

/// Raw little-endian elements of `t` as `T`.
template <typename T> std::string rawBytes(const qnnc::ref::Tensor &t) {
  std::string bytes(t.data.size() * sizeof(T), '\0');
  for (size_t i = 0; i < t.data.size(); ++i) {
    T v = static_cast<T>(t.data[i]);
    std::memcpy(&bytes[i * sizeof(T)], &v, sizeof(T));
  }
  return bytes;
}

std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// The per-kernel values the runner traced, concatenated over the batch, as
/// DIR/<node>.npy ([batch, values]).
bool writeTrace(const std::string &bytes, int64_t batch,
                const std::string &dir) {
  std::map<std::string, std::vector<double>> values;
  std::vector<std::string> order;
  size_t pos = 0;
  auto readInt = [&](int32_t &v) {
    if (pos + 4 > bytes.size())
      return false;
    std::memcpy(&v, &bytes[pos], 4);
    pos += 4;
    return true;
  };
  while (pos < bytes.size()) {
    int32_t len = 0, count = 0;
    if (!readInt(len) || pos + size_t(len) > bytes.size())
      return false;
    std::string name = bytes.substr(pos, size_t(len));
    pos += size_t(len);
    if (!readInt(count) || pos + 4 * size_t(count) > bytes.size())
      return false;
    if (!values.count(name))
      order.push_back(name);
    for (int32_t i = 0; i < count; ++i, pos += 4) {
      float x;
      std::memcpy(&x, &bytes[pos], 4);
      values[name].push_back(x);
    }
  }
  llvm::sys::fs::create_directories(dir);
  for (const std::string &name : order) {
    if (name.empty())
      continue;
    std::vector<double> &v = values[name];
    qnnc::ref::Tensor t(qnnc::ref::DType::F32,
                        {batch, int64_t(v.size()) / batch}, v);
    std::string error;
    if (!qnnc::ref::writeNpy(dir + "/" + name + ".npy", t, error))
      return false;
  }
  return true;
}

/// `qnnc run` without --reference: compile for --target, link the runner,
/// run every batch element through the library.
int runCompiled(MLIRContext &context) {
  if (inputs.size() != 1)
    return fail("compiled 'qnnc run' takes exactly one --input");
  qnnc::ref::Tensor x;
  std::string error;
  if (!qnnc::ref::readNpy(inputs[0], x, error))
    return fail(error);
  if (x.shape.empty())
    return fail(inputs[0] + ": needs a batch dimension");
  qnnc::codegen::TargetInfo target;
  if (!resolveTarget(target))
    return 1;
  int64_t batchCount = x.shape[0];
  qnnc::ImportOptions options;
  std::vector<int64_t> one = x.shape;
  one[0] = 1;
  options.inputShapes.push_back(one);
  auto module = import(context, options);
  if (!module || failed(compileToKernels(*module, target)))
    return 1;
  llvm::SmallString<128> dir;
  if (auto ec = llvm::sys::fs::createUniqueDirectory("qnnc-run", dir))
    return fail("cannot create a temporary directory: " + ec.message());
  // QNNC_KEEP_TEMPS keeps the library, runner and data for inspection.
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      if (std::getenv("QNNC_KEEP_TEMPS"))
        llvm::errs() << "qnnc: kept " << dir << "\n";
      else
        llvm::sys::fs::remove_directories(dir);
    }
  } cleanup{dir.str().str()};
  std::string d = dir.str().str(), name = "qnnc_run_model";
  if (!buildLibrary(*module, target, d, name,
                    qnnc::codegen::LibraryOptions::Stop::Lib))
    return 1;
  auto func = *module->getOps<func::FuncOp>().begin();
  auto outType = cast<ShapedType>(func.getResultTypes()[0]);
  Type outElement = outType.getElementType();
  std::string outC = isa<FloatType>(outElement)                 ? "float"
                     : outElement.getIntOrFloatBitWidth() == 64 ? "int64_t"
                                                                : "int32_t";
  {
    std::ofstream runnerSource(d + "/runner.c");
    runnerSource << qnnc::codegen::emitRunner(name, outC);
  }
  std::vector<std::string> link = {target.cc};
  link.insert(link.end(), target.cflags.begin(), target.cflags.end());
  link.insert(link.end(), {"-I" + d, d + "/runner.c", d + "/lib" + name + ".a",
                           "-o", d + "/runner", "-lpthread", "-lm"});
  // Cross builds link statically so that qemu-user needs no target sysroot.
  if (target.halide.arch != Halide::Target::X86)
    link.push_back("-static");
  progress("linking the runner");
  if (!qnnc::codegen::runTool(link, error))
    return fail(error);
  {
    std::ofstream in(d + "/input.f32", std::ios::binary);
    in << rawBytes<float>(x);
  }
  std::string prefix = runner;
  if (prefix.empty())
    if (const char *env = std::getenv("QNNC_RUNNER"))
      prefix = env;
  if (prefix.empty() && target.halide.arch == Halide::Target::ARM)
    prefix = target.halide.bits == 64 ? "qemu-aarch64" : "qemu-arm";
  std::vector<std::string> argv;
  for (llvm::StringRef word : llvm::split(llvm::StringRef(prefix), ' '))
    if (!word.empty())
      argv.push_back(word.str());
  argv.insert(argv.end(), {d + "/runner", d + "/input.f32",
                           std::to_string(batchCount), d + "/output.bin"});
  if (!dumpActivations.empty())
    argv.push_back(d + "/trace.bin");
  if (threads > 0)
    setenv("QNNC_THREADS", std::to_string(threads).c_str(), 1);
  progress("running " + std::to_string(batchCount) + " input(s)");
  if (!qnnc::codegen::runTool(argv, error))
    return fail(error);

  std::string raw = readFile(d + "/output.bin");
  int64_t perItem = outType.getNumElements();
  std::vector<int64_t> shape(outType.getShape().begin(),
                             outType.getShape().end());
  shape[0] = batchCount;
  qnnc::ref::Tensor y(qnnc::ref::dtypeFromMlir(outElement), shape);
  size_t width = outC == "int64_t" ? 8 : 4;
  if (raw.size() != size_t(perItem * batchCount) * width)
    return fail("the runner wrote " + std::to_string(raw.size()) +
                " bytes of output, expected " +
                std::to_string(perItem * batchCount * int64_t(width)));
  for (int64_t i = 0; i < y.numel(); ++i) {
    if (outC == "float") {
      float v;
      std::memcpy(&v, &raw[size_t(i) * 4], 4);
      y.data[i] = v;
    } else if (outC == "int64_t") {
      int64_t v;
      std::memcpy(&v, &raw[size_t(i) * 8], 8);
      y.data[i] = double(v);
    } else {
      int32_t v;
      std::memcpy(&v, &raw[size_t(i) * 4], 4);
      y.data[i] = v;
    }
  }
  if (!dumpActivations.empty() &&
      !writeTrace(readFile(d + "/trace.bin"), batchCount, dumpActivations))
    return fail("could not decode the kernels' trace");
  if (!outputs.empty()) {
    if (!qnnc::ref::writeNpy(outputs[0], y, error))
      return fail(error);
    return 0;
  }
  llvm::outs() << "output 0: " << y.describe() << " =";
  for (int64_t k = 0; k < std::min<int64_t>(y.numel(), 16); ++k)
    llvm::outs() << " " << llvm::format("%g", y.data[k]);
  llvm::outs() << (y.numel() > 16 ? " ...\n" : "\n");
  return 0;
}

/// Batch element `item` of `t` (dimension 0 kept, of extent 1).
qnnc::ref::Tensor sliceBatch(const qnnc::ref::Tensor &t, int64_t item) {
  std::vector<int64_t> shape = t.shape;
  int64_t size = t.numel() / shape[0];
  shape[0] = 1;
  return qnnc::ref::Tensor(
      t.dtype, shape,
      std::vector<double>(t.data.begin() + item * size,
                          t.data.begin() + (item + 1) * size));
}

/// Concatenation along dimension 0.
qnnc::ref::Tensor concatBatch(const std::vector<qnnc::ref::Tensor> &parts) {
  if (parts.size() == 1)
    return parts[0];
  qnnc::ref::Tensor r = parts[0];
  for (size_t i = 1; i < parts.size(); ++i)
    r.data.insert(r.data.end(), parts[i].data.begin(), parts[i].data.end());
  if (!r.shape.empty())
    r.shape[0] *= int64_t(parts.size());
  return r;
}

int runModel(MLIRContext &context) {
  if (!reference)
    return runCompiled(context);
  std::vector<qnnc::ref::Tensor> values(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::string error;
    if (!qnnc::ref::readNpy(inputs[i], values[i], error))
      return fail(error);
  }
  // The model is specialized to the shapes of the given inputs (batch
  // included), or of one batch element with --per-item.
  int64_t items = 1;
  qnnc::ImportOptions options;
  for (const auto &v : values) {
    std::vector<int64_t> shape = v.shape;
    if (perItem) {
      if (shape.empty() || (items > 1 && shape[0] != items))
        return fail("--per-item needs inputs with one batch dimension");
      items = shape[0];
      shape[0] = 1;
    }
    options.inputShapes.push_back(shape);
  }
  auto module = import(context, options);
  if (!module)
    return 1;
  if (streamlineFlag && failed(streamline(*module)))
    return 1;
  auto func = *module->getOps<func::FuncOp>().begin();
  std::string error;
  // Traced values per node, one tensor per evaluation.
  std::map<std::string, std::vector<qnnc::ref::Tensor>> traced;
  qnnc::ref::TraceFn trace;
  if (!dumpActivations.empty())
    trace = [&](Operation *op, const std::vector<qnnc::ref::Tensor> &values) {
      std::string name = nodeName(op);
      if (!name.empty() &&
          isa<qnn::QuantOp, qnn::BipolarQuantOp, qnn::MultiThresholdOp,
              qnn::QuantizeLinearOp, qnn::RequantizeOp>(op))
        traced[name].push_back(values[0]);
    };
  std::vector<std::vector<qnnc::ref::Tensor>> perResult;
  for (int64_t item = 0; item < items; ++item) {
    std::vector<qnnc::ref::Tensor> args, results;
    for (const qnnc::ref::Tensor &v : values)
      args.push_back(perItem ? sliceBatch(v, item) : v);
    if (!qnnc::ref::evaluate(func, args, results, error, trace))
      return fail(modelPath + ": " + error);
    perResult.resize(results.size());
    for (size_t i = 0; i < results.size(); ++i)
      perResult[i].push_back(std::move(results[i]));
  }
  std::vector<qnnc::ref::Tensor> results;
  for (auto &parts : perResult)
    results.push_back(concatBatch(parts));
  if (!dumpActivations.empty()) {
    llvm::sys::fs::create_directories(dumpActivations);
    for (auto &[name, parts] : traced)
      if (!qnnc::ref::writeNpy(dumpActivations + "/" + name + ".npy",
                               concatBatch(parts), error))
        return fail(error);
  }
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

/// `qnnc tune`: plans the model for the target, then times its GEMMs.
int tuneModel(MLIRContext &context) {
  qnnc::codegen::TargetInfo target;
  if (!resolveTarget(target))
    return 1;
  // Tiles are chosen per core: time single-threaded kernels.
  target.parallel = false;
  qnnc::ImportOptions options;
  if (batch > 0)
    options.batchSize = batch;
  auto module = import(context, options);
  if (!module || failed(compileToKernels(*module, target)))
    return 1;
  std::string out = outputPath.empty()
                        ? qnnc::libraryNameFor(modelPath) + ".schedules.json"
                        : outputPath.getValue();
  std::string error;
  if (!qnnc::tuneSchedules(*module->getOps<func::FuncOp>().begin(), target,
                           tuneRuns, out, progress, error))
    return fail(modelPath + ": " + error);
  progress("wrote " + out);
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  if (!takeThreads(argc, argv))
    return fail("--threads needs a positive integer");
  cl::SetVersionPrinter(printVersion);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "qnnc: ahead-of-time compiler for quantized neural networks "
      "(ONNX/QONNX)\n\n"
      "  qnnc MODEL [-o DIR] [--name N] [--target T] [--threads N] "
      "[--emit=lib|obj|asm|halide-stmt] [--report] [--dump-dir DIR]\n"
      "  qnnc MODEL --emit=mlir|streamlined|summary|kernels [-o FILE] "
      "[--batch N] [--dump-dir DIR]\n"
      "  qnnc run MODEL --input x.npy [--output y.npy] [--target T] "
      "[--runner CMD] [--dump-activations DIR]\n"
      "  qnnc run --reference [--streamline] MODEL --input x.npy [--input ...] "
      "[--output y.npy ...] [--dump-activations DIR]\n"
      "  qnnc tune MODEL [-o schedules.json] [--target T] [--runs N]; then\n"
      "  qnnc MODEL --schedules schedules.json ...\n\n"
      "Compiles an ONNX/QONNX model ahead of time: import (qnn dialect, "
      "static shapes), streamlining\n(integer-only graph), bit-plane lowering "
      "(qkernel dialect), memory planning, Halide kernels,\nC glue and the "
      "tiny runtime, archived into DIR/lib<name>.a with DIR/<name>.h.\n"
      "Errors name the file, node, op type, domain and opset; the exit code is "
      "1.\n\n" +
          std::string(kThreadsHelp));

  DialectRegistry registry;
  registry
      .insert<qnn::QNNDialect, qkernel::QKernelDialect, func::FuncDialect>();
  MLIRContext context(registry);
  qnn::registerStreamlinePipeline();
  context.loadAllAvailableDialects();
  // Pass diagnostics name the model file and the ONNX node of the op.
  ScopedDiagnosticHandler diagnostics(&context, [](Diagnostic &d) {
    const char *severity =
        d.getSeverity() == DiagnosticSeverity::Error     ? "error"
        : d.getSeverity() == DiagnosticSeverity::Warning ? "warning"
                                                         : "note";
    std::string node = qnn::onnxNodeName(d.getLocation());
    llvm::errs() << modelPath << ": " << severity << ": "
                 << (node.empty() ? "" : "node '" + node + "': ") << d.str()
                 << "\n";
    return success();
  });

  if (runCommand)
    return runModel(context);
  if (tuneCommand)
    return tuneModel(context);

  qnnc::ImportOptions options;
  if (batch > 0)
    options.batchSize = batch;
  bool textStage = emit == Emit::Mlir || emit == Emit::Streamlined ||
                   emit == Emit::Summary || emit == Emit::Kernels;
  qnnc::codegen::TargetInfo target;
  if (!textStage || emit == Emit::Kernels || report)
    if (!resolveTarget(target))
      return 1;
  std::string name =
      libName.empty() ? qnnc::libraryNameFor(modelPath) : libName.getValue();
  // The name prefixes every C symbol of the library.
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0])) ||
      !llvm::all_of(name, [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
      }))
    return fail("--name '" + name + "' is not a C identifier");
  auto module = import(context, options);
  if (!module)
    return 1;
  if (!textStage) {
    std::string dir = outputPath.empty() ? "." : outputPath.getValue();
    if (auto ec = llvm::sys::fs::create_directories(dir))
      return fail("cannot create '" + dir + "': " + ec.message());
    if (failed(compileToKernels(*module, target)))
      return 1;
    using Stop = qnnc::codegen::LibraryOptions::Stop;
    Stop stop = emit == Emit::Stmt  ? Stop::HalideStmt
                : emit == Emit::Asm ? Stop::Asm
                : emit == Emit::Obj ? Stop::Obj
                                    : Stop::Lib;

    if (!buildLibrary(*module, target, dir, name, stop))
      return 1;
    if (stop == Stop::Lib)
      progress("wrote " + dir + "/lib" + name + ".a, " + dir + "/" + name +
               ".h, " + dir + "/qnnc_runtime.h");
    return 0;
  }
  std::error_code ec;
  std::string path = outputPath.empty() ? "-" : outputPath.getValue();
  llvm::ToolOutputFile out(path, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return fail("cannot write '" + path + "': " + ec.message());
  if (emit == Emit::Kernels) {
    if (failed(compileToKernels(*module, target)))
      return 1;
  } else if ((emit == Emit::Streamlined || streamlineFlag) &&
             failed(streamline(*module))) {
    return 1;
  }
  if (emit == Emit::Summary)
    qnnc::printSummary(*module, out.os());
  else
    module->print(out.os());
  out.keep();
  return 0;
}
