#include "Summary.h"
#include "qnn/Dialect/QNN/QNNOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/MapVector.h"

using namespace mlir;

namespace qnnc {

void printSummary(ModuleOp module, llvm::raw_ostream &os) {
  for (auto func : module.getOps<func::FuncOp>()) {
    os << "function @" << func.getName() << "\n";
    FunctionType type = func.getFunctionType();
    for (unsigned i = 0; i < type.getNumInputs(); ++i) {
      os << "  input  " << i;
      if (auto name = func.getArgAttrOfType<StringAttr>(i, "onnx.name"))
        os << " '" << name.getValue() << "'";
      os << ": " << type.getInput(i) << "\n";
    }
    for (unsigned i = 0; i < type.getNumResults(); ++i) {
      os << "  output " << i;
      if (auto name = func.getResultAttrOfType<StringAttr>(i, "onnx.name"))
        os << " '" << name.getValue() << "'";
      os << ": " << type.getResult(i) << "\n";
    }
    llvm::MapVector<StringRef, unsigned> counts;
    int64_t constants = 0, constantElements = 0;
    func.walk([&](Operation *op) {
      if (op == func.getOperation() || isa<func::ReturnOp>(op))
        return;
      if (auto c = dyn_cast<qnn::ConstantOp>(op)) {
        ++constants;
        constantElements += c.getType().getNumElements();
        return;
      }
      ++counts[op->getName().getStringRef()];
    });
    os << "  ops:";
    for (auto &[name, count] : counts)
      os << " " << name << " x" << count << ";";
    os << "\n  constants: " << constants << " tensors, " << constantElements
       << " elements\n";
  }
}

} // namespace qnnc
