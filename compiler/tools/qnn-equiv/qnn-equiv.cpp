//===- qnn-equiv.cpp - Check two qnn modules compute the same functions ---===//
//
// The executable counterpart of every pass test: evaluates each function of
// BEFORE and the function of the same name in AFTER with the reference
// evaluator on random inputs and compares the results: integer outputs must be
// identical, float outputs identical with
// --exact or else within --tolerance (relative to the largest magnitude).
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/QNN/QNNDialect.h"
#include "qnn/Reference/Evaluator.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"

#include <cmath>
#include <random>

using namespace mlir;
namespace cl = llvm::cl;
namespace ref = qnnc::ref;

static cl::opt<std::string> beforePath(cl::Positional, cl::Required,
                                       cl::desc("<before.mlir>"));
static cl::opt<std::string> afterPath(cl::Positional, cl::Required,
                                      cl::desc("<after.mlir>"));
static cl::opt<int> trials("trials", cl::desc("Random inputs per function"),
                           cl::init(50));
static cl::opt<double> lo("min", cl::desc("Smallest random input value"),
                          cl::init(-8));
static cl::opt<double> hi("max", cl::desc("Largest random input value"),
                          cl::init(8));
static cl::opt<bool>
    integral("integer-valued",
             cl::desc("Draw float inputs from the integers in [min, max] "
                      "(hits threshold ties)"));
static cl::opt<bool> exact("exact",
                           cl::desc("Float outputs must be identical too"));
static cl::opt<int> integerSlack(
    "integer-difference",
    cl::desc("Largest difference allowed between integer outputs (1 for 8-bit "
             "requantization, which rounds differently from float arithmetic)"),
    cl::init(0));
static cl::opt<double>
    tolerance("tolerance", cl::desc("Relative tolerance of float outputs"),
              cl::init(1e-5));

static OwningOpRef<ModuleOp> load(MLIRContext &ctx, const std::string &path) {
  llvm::SourceMgr sm;
  auto module = parseSourceFile<ModuleOp>(path, &ctx);
  if (!module)
    llvm::errs() << "qnn-equiv: cannot parse '" << path << "'\n";
  return module;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(
      argc, argv, "qnn-equiv: compare two qnn modules by evaluation\n");
  DialectRegistry registry;
  registry.insert<qnn::QNNDialect, func::FuncDialect>();
  MLIRContext ctx(registry);
  auto before = load(ctx, beforePath), after = load(ctx, afterPath);
  if (!before || !after)
    return 1;
  std::mt19937_64 rng(1234);
  int failures = 0, functions = 0;
  for (auto f : before->getOps<func::FuncOp>()) {
    auto g = after->lookupSymbol<func::FuncOp>(f.getName());
    if (!g) {
      llvm::errs() << "qnn-equiv: @" << f.getName() << " is missing after\n";
      ++failures;
      continue;
    }
    ++functions;
    double worst = 0;
    for (int t = 0; t < trials; ++t) {
      std::vector<ref::Tensor> inputs;
      for (Type type : f.getArgumentTypes()) {
        auto tt = cast<RankedTensorType>(type);
        ref::DType dt = ref::dtypeFromMlir(tt.getElementType());
        ref::Tensor x(dt, std::vector<int64_t>(tt.getShape().begin(),
                                               tt.getShape().end()));
        // Stay inside the values the element type can hold (si4 is held as I8).
        double tmin = ref::minValue(dt), tmax = ref::maxValue(dt);
        if (auto it = dyn_cast<IntegerType>(tt.getElementType())) {
          unsigned w = std::min(it.getWidth(), 53u);
          tmin = it.isUnsigned() ? 0 : -std::ldexp(1.0, w - 1);
          tmax = it.isUnsigned() ? std::ldexp(1.0, w) - 1
                                 : std::ldexp(1.0, w - 1) - 1;
        }
        std::uniform_real_distribution<double> u(std::max(lo.getValue(), tmin),
                                                 std::min(hi.getValue(), tmax));
        for (double &v : x.data) {
          v = u(rng);
          if (integral || !ref::isFloat(dt))
            v = std::round(v);
          v = ref::castTo(dt, v);
        }
        inputs.push_back(std::move(x));
      }
      std::vector<ref::Tensor> a, b;
      std::string error;
      if (!ref::evaluate(f, inputs, a, error) ||
          !ref::evaluate(g, inputs, b, error)) {
        llvm::errs() << "qnn-equiv: @" << f.getName() << ": " << error << "\n";
        return 1;
      }
      for (size_t o = 0; o < a.size(); ++o) {
        if (a[o].shape != b[o].shape) {
          llvm::errs() << "qnn-equiv: @" << f.getName() << " output " << o
                       << " shape differs\n";
          return 1;
        }
        double scale = 0, diff = 0;
        for (size_t i = 0; i < a[o].data.size(); ++i) {
          scale = std::max(scale, std::abs(a[o].data[i]));
          diff = std::max(diff, std::abs(a[o].data[i] - b[o].data[i]));
        }
        bool integer = !ref::isFloat(a[o].dtype);
        bool strict = exact || integer;
        double err = strict ? diff : diff / std::max(scale, 1e-30);
        worst = std::max(worst, err);
        double allowed = integer ? double(integerSlack) : 0.0;
        if ((strict && diff > allowed) || (!strict && err > tolerance)) {
          llvm::errs() << "qnn-equiv: @" << f.getName() << " output " << o
                       << " differs (trial " << t << ", "
                       << (strict ? "max difference " : "relative error ")
                       << err << ")\n";
          ++failures;
          t = trials;
          break;
        }
      }
    }
    llvm::outs() << "@" << f.getName() << ": " << trials << " trials, "
                 << (exact ? "max difference " : "max error ") << worst << "\n";
  }
  llvm::outs() << functions - failures << " passed, " << failures
               << " failed\n";
  return failures ? 1 : 0;
}
