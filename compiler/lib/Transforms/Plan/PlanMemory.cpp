//===- PlanMemory.cpp - Static workspace offsets from liveness ------------===//

#include "qnn/Dialect/QKernel/QKernelOps.h"
#include "qnn/Transforms/Passes.h"

#include <map>

namespace mlir::qnn {
#define GEN_PASS_DEF_PLANMEMORY
#include "qnn/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;

namespace {

constexpr int64_t kAlignment = 64;

int64_t bufferBytes(Type type) {
  auto shaped = cast<ShapedType>(type);
  int64_t bits = shaped.getElementTypeBitWidth();
  int64_t bytes = shaped.getNumElements() * ((bits + 7) / 8);
  return (bytes + kAlignment - 1) / kAlignment * kAlignment;
}

struct PlanMemoryPass : mlir::qnn::impl::PlanMemoryBase<PlanMemoryPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    Block &body = func.getBody().front();
    Operation *terminator = body.getTerminator();
    DenseMap<Operation *, int64_t> position;
    int64_t index = 0;
    for (Operation &op : body)
      position[&op] = index++;

    // Live intervals in the arena: offset -> (end offset, last reader).
    std::map<int64_t, std::pair<int64_t, int64_t>> live;
    int64_t arena = 0;
    for (Operation &op : body) {
      if (&op == terminator || op.getNumResults() != 1)
        continue;
      Value result = op.getResult(0);
      int64_t here = position[&op], last = here;
      bool returned = false;
      for (Operation *user : result.getUsers()) {
        returned |= user == terminator;
        last = std::max(last, position[user]);
      }
      if (returned)
        continue; // written into the caller's output buffer
      // Buffers whose last reader comes before this op are free; the op's own
      // inputs (read at `here`) are not.
      for (auto it = live.begin(); it != live.end();)
        it = it->second.second < here ? live.erase(it) : std::next(it);
      int64_t size = bufferBytes(result.getType()), offset = 0;
      for (auto &[start, interval] : live) {
        if (start - offset >= size)
          break;
        offset = std::max(offset, interval.first);
      }
      live[offset] = {offset + size, last};
      arena = std::max(arena, offset + size);
      op.setAttr("qkernel.offset",
                 IntegerAttr::get(IntegerType::get(&getContext(), 64), offset));
    }
    func->setAttr("qkernel.arena_bytes",
                  IntegerAttr::get(IntegerType::get(&getContext(), 64), arena));
  }
};

} // namespace
