//===- LibraryEmitter.cpp - Kernels + glue + runtime -> lib<name>.a -------===//

#include "qnn/Codegen/Emit/LibraryEmitter.h"
#include "CGlue.h"
#include "KernelCalls.h"
#include "qnn/Codegen/IsaGuard.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <fstream>
#include <sstream>

using namespace mlir;

namespace qnnc::codegen {

namespace {

bool writeFile(const std::string &path, const std::string &text,
               std::string &error) {
  std::ofstream out(path);
  out << text;
  if (!out) {
    error = "cannot write '" + path + "'";
    return false;
  }
  return true;
}

std::string cTypeOf(Type element) {
  if (isa<FloatType>(element))
    return "float";
  switch (element.getIntOrFloatBitWidth()) {
  case 64:
    return "int64_t";
  case 32:
    return "int32_t";
  default:
    return "";
  }
}

std::string join(const std::vector<std::string> &argv) {
  std::string s;
  for (const std::string &a : argv)
    s += (s.empty() ? "" : " ") + a;
  return s;
}

/// The runtime provides only halide_do_par_for of Halide's runtime: a kernel
/// calling anything else (halide_malloc when a schedule needs heap memory)
/// would leave the user an undefined symbol at link time, or an allocation
/// inside run. Returns the first such symbol of `object`, or "".
std::string unsupportedRuntimeCall(const std::string &object) {
  auto file = llvm::object::ObjectFile::createObjectFile(object);
  if (!file) {
    llvm::consumeError(file.takeError());
    return "";
  }
  for (const llvm::object::SymbolRef &symbol : file->getBinary()->symbols()) {
    auto flags = symbol.getFlags();
    auto name = symbol.getName();
    if (!flags || !name) {
      if (!flags)
        llvm::consumeError(flags.takeError());
      if (!name)
        llvm::consumeError(name.takeError());
      continue;
    }
    if ((*flags & llvm::object::SymbolRef::SF_Undefined) &&
        name->starts_with("halide_") && *name != "halide_do_par_for")
      return name->str();
  }
  return "";
}

} // namespace

bool runTool(const std::vector<std::string> &argv, std::string &error) {
  auto program = llvm::sys::findProgramByName(argv[0]);
  if (!program) {
    error = "cannot find '" + argv[0] +
            "' (install it, or name another with --cc / QNNC_CC / QNNC_AR)";
    return false;
  }
  llvm::SmallString<128> log;
  llvm::sys::fs::createTemporaryFile("qnnc-tool", "log", log);
  std::vector<llvm::StringRef> args(argv.begin(), argv.end());
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, log.str(),
                                                log.str()};
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(*program, args, std::nullopt, redirects, 0,
                                     0, &message);
  std::ifstream in(log.c_str());
  std::stringstream output;
  output << in.rdbuf();
  llvm::sys::fs::remove(log);
  if (rc != 0) {
    error = "'" + join(argv) + "' failed" +
            (message.empty() ? "" : " (" + message + ")") + ":\n" +
            output.str();
    return false;
  }
  return true;
}

bool emitLibrary(func::FuncOp func, const LibraryOptions &o,
                 std::string &error) {
  auto say = [&](const std::string &line) {
    if (o.progress)
      o.progress(line);
  };
  auto arena = func->getAttrOfType<IntegerAttr>("qkernel.arena_bytes");
  if (!arena) {
    error = "function has no memory plan (run qkernel-plan-memory first)";
    return false;
  }
  if (func.getNumArguments() != 1 || func.getNumResults() != 1) {
    error = "the library API takes one input and one output; this model has " +
            std::to_string(func.getNumArguments()) + " and " +
            std::to_string(func.getNumResults());
    return false;
  }
  GlueModel model;
  model.name = o.name;
  model.target = o.target.spec;
  model.arenaBytes = arena.getInt();
  if (auto attr = func->getAttrOfType<StringAttr>("qnnc.source"))
    model.source = attr.getValue().str();
  auto inType = cast<ShapedType>(func.getArgumentTypes()[0]);
  auto outType = cast<ShapedType>(func.getResultTypes()[0]);
  model.inputShape.assign(inType.getShape().begin(), inType.getShape().end());
  model.outputShape.assign(outType.getShape().begin(),
                           outType.getShape().end());
  model.inputCType = cTypeOf(inType.getElementType());
  model.outputCType = cTypeOf(outType.getElementType());
  if (model.inputCType != "float" || model.outputCType.empty()) {
    error = "the library API needs a float input and a float, int32 or int64 "
            "output";
    return false;
  }

  IsaGuardScope guard(o.target.avxVnni);
  for (Operation &op : func.getBody().front().without_terminator()) {
    KernelCall call;
    std::string name = o.name + "_k" + std::to_string(model.calls.size());
    try {
      if (!buildKernelCall(&op, name, o.target, model.constants, call, error)) {
        std::string where;
        llvm::raw_string_ostream os(where);
        os << op.getLoc();
        error = where + ": " + op.getName().getStringRef().str() + ": " + error;
        return false;
      }
    } catch (const std::exception &e) {
      error = op.getName().getStringRef().str() + ": " + e.what();
      return false;
    }
    model.calls.push_back(std::move(call));
  }

  // A failed build must not leave a library and header of an earlier build
  // next to each other as if they matched.
  llvm::sys::fs::remove(o.outDir + "/lib" + o.name + ".a");
  llvm::sys::fs::remove(o.outDir + "/" + o.name + ".h");
  std::string kernelDir = o.outDir + "/kernels";
  if (auto ec = llvm::sys::fs::create_directories(kernelDir)) {
    error = "cannot create '" + kernelDir + "': " + ec.message();
    return false;
  }
  std::vector<std::string> objects;
  for (size_t i = 0; i < model.calls.size(); ++i) {
    const KernelCall &c = model.calls[i];
    say("[" + std::to_string(i + 1) + "/" + std::to_string(model.calls.size()) +
        "] Halide " + c.kind + " -> " + c.function);
    KernelOutputs files;
    std::string base = kernelDir + "/" + c.function;
    using Halide::OutputFileType;
    switch (o.stop) {
    case LibraryOptions::Stop::HalideStmt:
      files[OutputFileType::stmt] = base + ".stmt";
      break;
    case LibraryOptions::Stop::Asm:
      files[OutputFileType::assembly] = base + ".s";
      break;
    default:
      files[OutputFileType::object] = base + ".o";
      objects.push_back(base + ".o");
    }
    try {
      c.compile(files);
    } catch (const std::exception &e) {
      error = c.function + " (" + c.kind + "): " + e.what();
      return false;
    }
    if (std::string note = guard.takeNote(); !note.empty())
      say("  " + c.function + " " + note);
    if (files.count(OutputFileType::object)) {
      std::string symbol = unsupportedRuntimeCall(base + ".o");
      if (!symbol.empty()) {
        error = c.function + " (" + c.kind + ", node '" + c.layer +
                "') calls " + symbol +
                ", which the qnnc runtime does not provide: its schedule "
                "needs heap memory. Please report this model.";
        return false;
      }
    }
  }
  if (o.stop == LibraryOptions::Stop::HalideStmt ||
      o.stop == LibraryOptions::Stop::Asm)
    return true;

  std::string header = o.outDir + "/" + o.name + ".h",
              source = o.outDir + "/" + o.name + ".c",
              runtimeH = o.outDir + "/qnnc_runtime.h",
              runtimeC = kernelDir + "/qnnc_runtime.c";
  if (!writeFile(header, emitHeader(model), error) ||
      !writeFile(source, emitSource(model), error) ||
      !writeFile(runtimeH, runtimeSource("qnnc_runtime.h"), error) ||
      !writeFile(runtimeC, runtimeSource("qnnc_runtime.c"), error))
    return false;
  for (const auto &[src, obj] :
       {std::pair{source, kernelDir + "/" + o.name + "_glue.o"},
        std::pair{runtimeC, kernelDir + "/qnnc_runtime.o"}}) {
    say("cc " + llvm::sys::path::filename(src).str());
    std::vector<std::string> argv = {o.target.cc};
    argv.insert(argv.end(), o.target.cflags.begin(), o.target.cflags.end());
    argv.insert(argv.end(), {"-I" + o.outDir, "-c", src, "-o", obj});
    if (!runTool(argv, error))
      return false;
    objects.push_back(obj);
  }
  if (o.stop == LibraryOptions::Stop::Obj)
    return true;
  std::string archive = o.outDir + "/lib" + o.name + ".a";
  llvm::sys::fs::remove(archive);
  say("ar lib" + o.name + ".a");
  std::vector<std::string> argv = {o.target.ar, "rcs", archive};
  argv.insert(argv.end(), objects.begin(), objects.end());
  return runTool(argv, error);
}

} // namespace qnnc::codegen
