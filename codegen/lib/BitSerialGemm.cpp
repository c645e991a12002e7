#include "qnn/Codegen/BitSerialGemm.h"
#include "ChannelHalves.h"
#include "Realize.h"
#include "qnn/Codegen/GemmTiling.h"

#include <numeric>
#include <stdexcept>

using namespace Halide;
using std::size_t;

namespace qnnc::codegen {

namespace {
/// How far ahead a GEMV prefetches its weight stream.
constexpr int kPrefetchBytes = 2048;

/// Parallel loops aim at this many tasks: enough to balance 2-8 threads.
constexpr int kTasks = 16;

/// Blocks of rows to split `columnTasks` tasks of whole columns into (at most
/// one per row unit), so that there are at least kTasks: 11 panels of N = 169
/// as whole-panel tasks leave two threads 6 and 5.
int rowBlocksFor(int columnTasks, int rowUnits) {
  return std::min(rowUnits, (kTasks + columnTasks - 1) / columnTasks);
}
} // namespace

BitSerialGemm::BitSerialGemm(const GemmShape &shape,
                             const GemmSchedule &schedule, const Target &target,
                             std::optional<ThresholdEpilogue> epi)
    : shape_(shape), target(target), epilogue(epi) {
  const Operand &wo = shape.weights, &ao = shape.activations;
  const int kw = int(wordsFor(shape.k));
  const int vector = std::max(1, target.natural_vector_size<uint64_t>());
  // GEMV (N = 1) reduces along K in vectors instead of spreading columns across
  // lanes.
  const bool gemv = shape.n == 1;
  panel = gemv ? 1 : vector * schedule.vectorsPerPanel;
  if (gemv) {
    tiles = {(std::max(schedule.rows, 1) + vector - 1) / vector * vector};
    int stride = 1;
    std::vector<int64_t> extents = weightExtents();
    for (size_t d = 0; d < extents.size(); ++d) {
      weightTiles.dim(int(d)).set_bounds(0, int(extents[d])).set_stride(stride);
      stride *= int(extents[d]);
    }
  }
  // Weight word k of row m, plane i, in whichever layout the kernel takes.
  auto weight = [&](Expr k, Expr m, Expr i) -> Expr {
    if (!gemv)
      return weights(k, m, i);
    // Rows past the last tile (a fused epilogue computes whole words of 64
    // rows) read the last tile; their results are never stored.
    return weightTiles(m % tiles.rows, k,
                       min(m / tiles.rows, tiles.count(shape) - 1), i);
  };

  // ---- Algorithm ----
  Var lane("lane"), pnl("panel"), m("m"), n("n");
  // The accumulator tile always has `rows` rows (constant extents keep it in
  // registers); rows past M in the last tile read the last weight row and are
  // never stored.
  Expr row = clamp(m, 0, int(shape.m) - 1);
  // The common factor of the plane-pair weights (4 for bipolar x bipolar) is
  // applied once at the end instead of in the inner loop.
  int64_t common = 0, coefficientSum = 0;
  bool allPositive = true;
  for (int i = 0; i < wo.planes(); ++i)
    for (int j = 0; j < ao.planes(); ++j)
      common =
          std::gcd(common, std::abs(wo.coefficient(i) * ao.coefficient(j)));
  for (int i = 0; i < wo.planes(); ++i)
    for (int j = 0; j < ao.planes(); ++j) {
      int64_t c = wo.coefficient(i) * ao.coefficient(j) / common;
      allPositive &= c > 0;
      coefficientSum += c;
    }
  // NEON has no 64-bit popcount: `cnt` counts bytes and every widening step to
  // 64 bits costs an instruction per vector. With positive plane weights the
  // weighted byte counts fit a byte (8 * sum <= 255) and pairs of bytes
  // accumulate into 16-bit lanes with one `uadalp` (16 * sum per word, so K is
  // bounded by the 16-bit range).
  bytes = target.arch == Target::ARM && !gemv && allPositive &&
          8 * coefficientSum <= 255 && kw * 16 * coefficientSum <= 65535;
  // Bipolar x bipolar (XNOR-net): the dot product of two +-1 vectors is
  // validK - 2 * popcount(w XOR a). Padding bits are zero in both operands (the
  // row and column popcount corrections rely on that too), so they XOR to
  // nothing. One popcount per word and no pass over the weights for their
  // row popcounts, which for a GEMV read every weight a second time.
  const bool xnor =
      wo.encoding == Encoding::Bipolar && ao.encoding == Encoding::Bipolar;
  auto combine = [&](Expr w, Expr a) { return xnor ? w ^ a : w & a; };
  const int pairs = wo.planes() * ao.planes();
  const bool perPair =
      !bytes && !gemv &&
      planePairAccumulators(pairs, schedule.rows, schedule.vectorsPerPanel);
  // AVX-512 with VPOPCNTD: the K words as 32-bit halves into 32-bit
  // accumulators, 16 columns per vector with no narrowing at the end (a
  // 64-bit accumulator costs a VPMOVQD per 8 outputs). A panel's halves are
  // deinterleaved once into a stack buffer, then every row tile reads them
  // as dense vectors against embedded-broadcast weight halves. Twice the rows
  // per tile keep the accumulator count. Zen 5, one thread, same process,
  // W1A1: 0-5 % faster on the AlexNet shapes (more in slow minutes), never
  // slower (docs/bench-gemm.md). A fused epilogue packing column panels
  // under a parallel schedule keeps row tiles outermost, where each tile
  // would deinterleave its panel again.
  const int vector32 = std::max(1, target.natural_vector_size<uint32_t>());
  // A fused epilogue packing pixels (every compiled conv) computes the GEMM
  // per block of one panel x 64 channels; in parallel its tasks are whole
  // pixel blocks (see the epilogue's schedule), and the GEMM inside is serial.
  const bool blocked = epi && epi->panelWidth == 1 && !gemv;
  const bool rowTilesOuter = schedule.parallel && epi && !blocked;
  halfWords = !bytes && !gemv && !rowTilesOuter && target.arch == Target::X86 &&
              target.has_feature(Target::AVX512_SapphireRapids) &&
              panel % vector32 == 0;
  // The halves that hold K (the last word's upper half may be padding only).
  const int units = halfWords ? int((shape.k + 31) / 32) : kw;
  const int rows = halfWords ? 2 * schedule.rows : schedule.rows;
  const int accLanes = halfWords ? vector32 : vector;
  const Type accType = halfWords ? Int(32) : Int(64);
  RDom r(0, units, "r");
  // Half u of column l's words (little-endian: word u / 2, low half first).
  auto activationHalf = [&](Expr l, Expr u, Expr p, Expr j) -> Expr {
    return activations32(2 * l + u % 2, u / 2, p, j);
  };
  // An int32 result whose rows are a multiple of 2 KB apart (N a multiple of
  // 512) puts a panel's rows in one or two L1 sets, and with a short K its
  // row tiles store them faster than the cache takes them: Zen 5, W1A1,
  // 96x363xN, one thread, N = 1008 18 us, N = 1024 75 us. Row tiles then take
  // 16 panels in turn: N = 512, 1024, 1536, 2048, 4096 2.1-3.6x faster at
  // K = 363 and 64x576x1024; 256x2048x1024 unchanged, 128x576x512 3 %
  // slower (docs/bench-gemm.md). Measured on x86 only.
  const int panels = int((shape.n + panel - 1) / panel);
  group = !gemv && !epi && target.arch == Target::X86 && shape.n % 512 == 0
              ? std::min(panels, 16)
              : 1;
  Func halves("halves");
  Var q("q"), u("u");
  // A last group past the last panel deinterleaves the last panel again.
  if (halfWords)
    halves(lane, u, pnl, q) =
        activationHalf(lane, u, min(pnl, panels - 1), q);
  // Unit k (a word, or a half) of row m and of column lane.
  auto weightUnit = [&](Expr k, Expr m, Expr i) -> Expr {
    return halfWords ? Expr(weights32(k, m, i)) : weight(k, m, i);
  };
  auto activationUnit = [&](Expr l, Expr k, Expr p, Expr j) -> Expr {
    return halfWords ? Expr(halves(l, k, p, j)) : Expr(activations(l, k, p, j));
  };
  Var pair("pair");
  Func acc("acc");
  Expr accumulated;
  Var h("h");
  RDom rb(0, 2, 0, kw, "rb");
  if (bytes) {
    // Slot h of a panel holds bytes 2h and 2h + 1 of the panel's words: lane
    // h / 4. The weight word is the same for every lane (byte (2h + b) % 8).
    Expr byte = 2 * h + rb.x;
    Expr dot;
    for (int i = 0; i < wo.planes(); ++i)
      for (int j = 0; j < ao.planes(); ++j) {
        Expr pc = popcount(combine(weights8(8 * rb.y + byte % 8, row, i),
                                   activations8(byte, rb.y, pnl, j)));
        int64_t c = wo.coefficient(i) * ao.coefficient(j) / common;
        Expr term = c == 1 ? pc : pc * cast<uint8_t>(int(c));
        dot = dot.defined() ? dot + term : term;
      }
    acc(h, pnl, m) = cast<uint16_t>(0);
    acc(h, pnl, m) += cast<uint16_t>(dot);
    Expr slot = 4 * (n % panel);
    accumulated = cast<int32_t>(acc(slot, n / panel, m)) +
                  cast<int32_t>(acc(slot + 1, n / panel, m)) +
                  cast<int32_t>(acc(slot + 2, n / panel, m)) +
                  cast<int32_t>(acc(slot + 3, n / panel, m));
  } else if (perPair) {
    // One accumulator per plane pair, weighted once per output: the inner loop
    // is AND, VPOPCNTQ, VPADDQ per pair, without the shift or multiply by the
    // pair's weight (1 op in 7 for W1A2).
    acc(lane, pnl, m, pair) = cast(accType, 0);
    acc(lane, pnl, m, pair) += cast(
        accType,
        popcount(combine(weightUnit(r, row, pair / ao.planes()),
                         activationUnit(lane, r, pnl, pair % ao.planes()))));
    for (int i = 0; i < wo.planes(); ++i)
      for (int j = 0; j < ao.planes(); ++j) {
        Expr term =
            cast<int32_t>(acc(n % panel, n / panel, m, i * ao.planes() + j)) *
            int32_t(wo.coefficient(i) * ao.coefficient(j) / common);
        accumulated = accumulated.defined() ? accumulated + term : term;
      }
  } else {
    // Accumulators as wide as the units: VPOPCNTQ produces 64-bit lanes, and
    // narrowing each popcount to 32 bits would cost a pack per vector per word.
    acc(lane, pnl, m) = cast(accType, 0);
    Expr dot;
    for (int i = 0; i < wo.planes(); ++i)
      for (int j = 0; j < ao.planes(); ++j) {
        Expr pc = cast(accType,
                       popcount(combine(weightUnit(r, gemv ? Expr(m) : row, i),
                                        activationUnit(lane, r, pnl, j))));
        int64_t c = wo.coefficient(i) * ao.coefficient(j) / common;
        Expr term = c == 1 ? pc : pc * cast(accType, Expr(c));
        dot = dot.defined() ? dot + term : term;
      }
    acc(lane, pnl, m) += dot;
    accumulated = cast<int32_t>(acc(n % panel, n / panel, m));
  }

  // Offsets of bipolar operands need the plane popcounts of the other operand.
  const int64_t validK = shape.validK ? shape.validK : shape.k;
  Expr correction = int32_t(validK * wo.offset() * ao.offset());
  const bool needRowPop = !xnor && ao.offset() != 0,
             needColPop = !xnor && wo.offset() != 0;
  Func rowPop("row_pop"), colPop("col_pop");
  if (needRowPop) {
    RDom rw(0, bytes ? 8 * kw : units, "rw");
    Expr s = 0;
    for (int i = 0; i < wo.planes(); ++i)
      s += cast<int32_t>(popcount(bytes ? Expr(weights8(rw, m, i))
                                        : weightUnit(rw, row, i))) *
           int32_t(wo.coefficient(i));
    rowPop(m) = 0;
    rowPop(m) += s;
  }
  if (needColPop) {
    Expr s = 0;
    if (bytes) {
      RDom ra(0, 8, 0, kw, "ra");
      for (int j = 0; j < ao.planes(); ++j)
        s += cast<int32_t>(
                 popcount(activations8(8 * lane + ra.x, ra.y, pnl, j))) *
             int32_t(ao.coefficient(j));
    } else {
      // From the operand itself: the per-panel halves exist only inside the
      // GEMM's panel loop, after these sums.
      RDom ra(0, units, "ra");
      for (int j = 0; j < ao.planes(); ++j)
        s += cast<int32_t>(
                 popcount(halfWords ? activationHalf(lane, ra, pnl, j)
                                    : Expr(activations(lane, ra, pnl, j)))) *
             int32_t(ao.coefficient(j));
    }
    colPop(lane, pnl) = 0;
    colPop(lane, pnl) += s;
  }
  Expr value = xnor ? int32_t(validK) - 2 * accumulated
                    : accumulated * int32_t(common) + correction;
  if (needRowPop)
    value += int32_t(ao.offset()) * rowPop(m);
  if (needColPop)
    value += int32_t(wo.offset()) * colPop(n % panel, n / panel);
  output(n, m) = value;

  // ---- Schedule ----
  // Output tile: `rows` rows x one panel of columns. The accumulator lives in
  // registers for the tile (constant extents), vectors along the panel, rows
  // unrolled, and the reduction over K words outermost inside the tile so each
  // step is rows broadcasts + panel loads + rows*vectors AND/popcount/add.
  Var no("no"), ni("ni"), mo("mo"), mi("mi");
  // Standalone, the GEMM covers exactly M x N. Under the epilogue it is
  // computed per 64-channel word: its rows are what that word needs (bounding
  // them to M would recompute all M rows for every word), and an epilogue
  // packing pixels (panel width 1) also takes one GEMM panel of columns at a
  // time.
  if (!blocked)
    output.bound(n, 0, int(shape.n));
  if (!epi)
    output.bound(m, 0, int(shape.m));
  if (gemv) {
    // The rows of a tile across the vector lanes: each K word is one
    // broadcast of the activation word and, per vector of rows, a load, AND,
    // popcount and add; no horizontal sums.
    const int tileRows = tiles.rows;
    // One column: the rows of the result are adjacent (vector stores).
    if (!epi)
      output.output_buffer().dim(1).set_stride(1);
    Var mv("mv");
    output.split(m, mo, mi, tileRows, TailStrategy::GuardWithIf)
        .split(mi, mi, mv, vector)
        .vectorize(mv)
        .unroll(mi);
    if (schedule.parallel) {
      // A row tile is a fraction of a microsecond of work, less than handing
      // out a task: 16 tasks of whole tiles balance 2-8 threads.
      int count = tiles.count(shape);
      Var mp("mp");
      output.split(mo, mp, mo, (count + kTasks - 1) / kTasks,
                   TailStrategy::GuardWithIf)
          .parallel(mp);
    }
    acc.compute_at(output, mo)
        .bound_extent(lane, 1)
        .bound_extent(pnl, 1)
        .bound_extent(m, tileRows)
        .vectorize(m, vector);
    acc.update()
        .reorder(lane, pnl, m, r)
        .split(m, m, mv, vector)
        .vectorize(mv)
        .unroll(m);
    // The weights are one sequential stream read once per call, from L3 or
    // DRAM (4096 x 9216 is 4.7 MB), and the hardware prefetcher alone left
    // the loop waiting on it: each K word prefetches its column's word
    // kPrefetchBytes ahead (NonFaulting: past a tile's last word lies the
    // next tile, past the matrix a prefetch is harmless). Only where a
    // column is one cache line: Halide 14 offsets a prefetch's further lines
    // by 64 elements instead of 64 bytes (SplitPrefetch), so a wider tile
    // would fetch only the first line of each column. ARM (32-byte prefetch
    // lines there) is not measured.
    if (target.arch == Target::X86 && tileRows * 8 <= 64)
      acc.update().prefetch(
          weightTiles, r, r,
          std::max(1, kPrefetchBytes / (tileRows * 8 * wo.planes())),
          PrefetchBoundStrategy::NonFaulting);
  } else {
    // A panel of activations stays in L1 while the row tiles pass over it
    // (weights are the smaller operand in a conv layer; with 1- and 2-row
    // tiles the other order reads all activations M / rows times from L2:
    // W2A2 on 96x363x3025 ran 7 % slower). In parallel, 16 tasks of
    // contiguous panels; the runtime gives each thread the same tasks in
    // every call, so its columns of the output stay in its core's cache.
    // Two threads, same process, against row tiles outermost on 64-bit
    // units: 5-27 % faster on the AlexNet shapes (docs/bench-gemm.md).
    // Under a fused epilogue packing column panels the row tiles are the
    // parallel loop; one packing pixels parallelizes its pixel blocks.
    output.split(n, no, ni, panel, TailStrategy::GuardWithIf)
        .split(m, mo, mi, rows, TailStrategy::GuardWithIf)
        .vectorize(ni, accLanes)
        .unroll(mi);
    // The loop a panel's (or a group's) 32-bit halves are deinterleaved in.
    LoopLevel panelLoop(output, no);
    Var tile = rowTilesOuter ? no : mo;
    if (rowTilesOuter) {
      output.reorder(ni, mi, no, mo).parallel(mo);
    } else {
      std::vector<VarOrRVar> order = {ni, mi, mo, no};
      int columnTasks = panels; // iterations of `no`
      if (group > 1) {
        // The row tiles of a group's panels in turn: consecutive tiles store
        // to different cache sets.
        Var g("g");
        output.split(no, no, g, group, TailStrategy::GuardWithIf);
        order = {ni, mi, g, mo, no};
        tile = g;
        columnTasks = (panels + group - 1) / group;
      }
      output.reorder(order);
      const int rowTiles = int((shape.m + rows - 1) / rows);
      const int rowBlocks = rowBlocksFor(columnTasks, rowTiles);
      Var task("task");
      if (schedule.parallel && !blocked && rowBlocks > 1) {
        // Few panels (or groups): tasks of one panel x a block of row tiles,
        // row blocks outermost, so each thread's slice reads its rows'
        // weights only; each task deinterleaves its panel again. Zen 5, W1A1,
        // two threads, same process, 3 alternations: 2-6 % faster on the
        // three N = 169 shapes (docs/bench-gemm.md).
        Var mb("mb");
        order.push_back(mb);
        output
            .split(mo, mb, mo, (rowTiles + rowBlocks - 1) / rowBlocks,
                   TailStrategy::GuardWithIf)
            .reorder(order)
            .fuse(no, mb, task)
            .parallel(task);
        panelLoop = LoopLevel(output, task);
      } else if (schedule.parallel && !blocked) {
        output
            .split(no, task, no, (columnTasks + kTasks - 1) / kTasks,
                   TailStrategy::GuardWithIf)
            .parallel(task);
      }
    }
    if (bytes) {
      // 8 16-bit slots per 128-bit vector; the byte pair reduces inside each
      // slot (uadalp).
      Var hi("hi");
      acc.compute_at(output, tile)
          .bound_extent(h, 4 * panel)
          .bound_extent(pnl, 1)
          .bound_extent(m, schedule.rows)
          .vectorize(h, 8)
          .unroll(m);
      acc.update()
          .reorder(rb.x, h, m, rb.y)
          .atomic()
          .vectorize(rb.x)
          .split(h, h, hi, 8)
          .vectorize(hi)
          .unroll(h)
          .unroll(m);
    } else {
      acc.compute_at(output, tile)
          .bound_extent(lane, panel)
          .bound_extent(pnl, 1)
          .bound_extent(m, rows)
          .vectorize(lane, accLanes)
          .unroll(m);
      Var li("li");
      if (perPair) {
        acc.bound_extent(pair, pairs).unroll(pair);
        acc.update().reorder(lane, pair, m, r).unroll(pair);
      } else {
        acc.update().reorder(lane, m, r);
      }
      acc.update()
          .split(lane, lane, li, accLanes)
          .vectorize(li)
          .unroll(lane)
          .unroll(m);
      if (halfWords) {
        Var ui("ui");
        // Both halves of every word, though the loop reads `units`: they are
        // deinterleaved in pairs, and with one unit (K <= 32) the pair
        // shifted inwards to halves -1 and 0, which read before word 0 (wrong
        // results, or a bounds error under panel groups).
        halves.compute_at(panelLoop)
            .store_in(MemoryType::Stack)
            .bound_extent(lane, panel)
            .bound(u, 0, 2 * kw)
            .bound_extent(pnl, group)
            .bound(q, 0, ao.planes())
            .vectorize(lane, vector32)
            .split(u, u, ui, 2)
            .unroll(ui);
        // A short K fully unrolled: LLVM keeps the panel's halves in
        // registers across the row tiles. 96x363x3025 (12 halves) with the
        // loop ran 6-10 % slower than the 64-bit kernel, unrolled 3-5 % faster.
        // Two activation planes unroll up to 12 halves (conv1's K): W1A2 and
        // W2A2 there 0-4 % faster in 3 alternations, 64x300x1000 W1A2 8 %
        // (docs/bench-gemm.md); one plane past 18 halves (K = 700) was as
        // often slower as faster, so it keeps the loop.
        if (units * ao.planes() <= (ao.planes() == 2 ? 24 : 18))
          acc.update().unroll(r);
      }
    }
  }
  if (needRowPop)
    rowPop.compute_root().store_in(MemoryType::Stack);
  if (needColPop)
    colPop.compute_root().store_in(MemoryType::Stack);

  if (halfWords) {
    weights32.dim(0).set_bounds(0, 2 * kw).dim(1).set_bounds(0, int(shape.m));
    weights32.dim(2).set_bounds(0, wo.planes());
    weights32.dim(1).set_stride(2 * kw).dim(2).set_stride(2 * kw *
                                                          int(shape.m));
    activations32.dim(0).set_bounds(0, 2 * panel).dim(1).set_bounds(0, kw);
    activations32.dim(2).set_bounds(0, panels);
    activations32.dim(3).set_bounds(0, ao.planes());
    activations32.dim(1).set_stride(2 * panel).dim(2).set_stride(2 * panel *
                                                                 kw);
    activations32.dim(3).set_stride(2 * panel * kw * panels);
  } else if (bytes) {
    weights8.dim(0).set_bounds(0, 8 * kw).dim(1).set_bounds(0, int(shape.m));
    weights8.dim(2).set_bounds(0, wo.planes());
    activations8.dim(0).set_bounds(0, 8 * panel).dim(1).set_bounds(0, kw);
    activations8.dim(2).set_bounds(0, panels).dim(3).set_bounds(0, ao.planes());
  } else {
    if (!gemv) { // a GEMV reads weightTiles, bounded above
      weights.dim(0).set_bounds(0, kw).dim(1).set_bounds(0, int(shape.m));
      weights.dim(2).set_bounds(0, wo.planes());
      weights.dim(1).set_stride(kw).dim(2).set_stride(kw * int(shape.m));
    }
    activations.dim(0).set_bounds(0, panel).dim(1).set_bounds(0, kw);
    activations.dim(2).set_bounds(0, panels).dim(3).set_bounds(0, ao.planes());
    // Dense packed operands: constant strides let a GEMV load a vector of K
    // words of one column instead of gathering them.
    activations.dim(1).set_stride(panel).dim(2).set_stride(panel * kw);
    activations.dim(3).set_stride(panel * kw * panels);
  }

  if (!epilogue)
    return;
  // ---- Fused threshold + pack epilogue ----
  const ThresholdEpilogue &e = *epilogue;
  Var lane2("lane2"), kw2("kw2"), pnl2("panel2"), plane("plane");
  // With fewer than 64 channels the bits past them stay zero: no need to visit.
  RDom t(0, e.thresholds, "t"),
      bit(0, int(std::min<int64_t>(64, shape.m)), "bit");
  Func level("level");
  Expr count = 0;
  for (int i = 0; i < e.thresholds; ++i)
    count += select(output(n, m) >= thresholdParam(i, m), 1, 0);
  level(n, m) = int32_t(e.levelBias) + int32_t(e.levelScale) * count;
  Func code("code");
  Expr v = level(n, m);
  code(n, m) = e.next.encoding == Encoding::Bipolar
                   ? cast<uint64_t>(v > 0)
                   : cast<uint64_t>(cast<uint8_t>(v));
  // Channels past M and columns past N pack as zero bits.
  Expr channel = kw2 * 64 + bit, column = pnl2 * int(e.panelWidth) + lane2;
  Expr inside = channel < int(shape.m) && column < int(shape.n);
  // Packed pixels read only columns inside the guarded panel: no column clamp,
  // which as a vector index would be a gather.
  Expr readColumn = blocked ? column : clamp(column, 0, int(shape.n) - 1);
  Expr codeBit =
      select(inside,
             (code(readColumn, clamp(channel, 0, int(shape.m) - 1)) >>
              cast<uint64_t>(plane)) &
                 1,
             cast<uint64_t>(0));
  // Each word is reduced in a temporary and stored once: updating the output
  // in place would read-modify-write memory for every bit.
  Func word("word");
  word(lane2, kw2, pnl2, plane) = cast<uint64_t>(0);
  word(lane2, kw2, pnl2, plane) += codeBit << cast<uint64_t>(bit);
  // Packed pixels in blocks a whole number of 32-bit vectors wide: each
  // word from two 32-bit halves of channel bits (ChannelHalves.h), 16 pixels
  // per AVX-512 vector instead of 8. W1A2 64x576x1024 (a 3x3 conv on 64
  // channels, one thread, Zen 5): 49.5 -> 43.7 us, W1A1 22.0 -> 20.4 us.
  const bool channelHalves =
      blocked && std::min<int64_t>(panel, shape.n) % vector32 == 0;
  ChannelHalves split(int(shape.m));
  if (channelHalves) {
    Func code32("code32");
    code32(n, m) = e.next.encoding == Encoding::Bipolar
                       ? cast<uint32_t>(v > 0)
                       : cast<uint32_t>(cast<uint8_t>(v));
    packed(lane2, kw2, pnl2, plane) = split.define(
        pnl2, kw2, plane, [&](Expr ch, Expr px) { return code32(px, ch); });
  } else {
    packed(lane2, kw2, pnl2, plane) = word(lane2, kw2, pnl2, plane);
  }
  // The GEMM result lives only in a block of 64 channels x all columns,
  // computed per packed word row (kw2); thresholds and encoding are inlined
  // into the packing.
  packed.bound(lane2, 0, int(e.panelWidth)).bound(plane, 0, e.next.planes());
  // Constant extents everywhere give each block's GEMM region a constant size.
  const int outPanels = int((shape.n + e.panelWidth - 1) / e.panelWidth);
  packed.bound(kw2, 0, int(wordsFor(shape.m))).bound(pnl2, 0, outPanels);
  if (blocked) {
    // Packed pixels: one GEMM panel of columns (pixels) at a time, so the int32
    // block (64 channels x one panel) stays small and on the stack instead of
    // 64 channels x all N columns on the heap. Each channel's bit is set in a
    // vector of pixels at once. Blocks start at whole GEMM panels.
    Var po("po"), pi("pi"), pii("pii");
    const int width = int(std::min<int64_t>(panel, shape.n));
    // A narrow image (fewer pixels than a panel) that is no multiple of the
    // vector packs one pixel at a time.
    const int lanes = width % vector == 0 ? vector : 1;
    packed.split(pnl2, po, pi, width, TailStrategy::GuardWithIf)
        .reorder(pi, lane2, plane, kw2, po)
        .vectorize(pi, lanes);
    if (schedule.parallel) {
      // 16 tasks of contiguous pixel blocks, each computing its blocks' GEMM
      // for all channels, as the standalone GEMM's panel tasks. Row tiles
      // inside one block as the parallel loop made two threads slower than
      // one: a loop handed to the team per block and 64 channels
      // (AlexNet's conv2 W1A2: 521 us on one thread, 930 on two). Unlike the
      // standalone GEMM, 11 blocks (13x13 outputs) split into tasks of a
      // block x half the 64-channel words were not faster: 0-13 % slower on
      // conv3 and conv5 in 4 alternations (docs/bench-gemm.md).
      const int blocks = int((outPanels + width - 1) / width);
      Var task("task");
      packed
          .split(po, task, po, (blocks + kTasks - 1) / kTasks,
                 TailStrategy::GuardWithIf)
          .parallel(task);
    }
    if (channelHalves) {
      split.schedule(LoopLevel(packed, kw2), vector32, 2, width);
    } else {
      word.compute_at(packed, kw2)
          .bound_extent(pnl2, width)
          .vectorize(pnl2, lanes)
          .unroll(plane);
      word.update()
          .reorder(plane, pnl2, bit, lane2, kw2)
          .split(pnl2, pnl2, pii, lanes)
          .vectorize(pii)
          .unroll(pnl2)
          .unroll(plane)
          .unroll(bit, 8);
    }
  } else {
    // One word per output element: a constant-size temporary on the stack.
    // The planes inside the 64-channel block: its GEMM result serves them all.
    packed.reorder(lane2, plane, pnl2, kw2);
    word.compute_at(packed, lane2);
    word.update().unroll(bit, 8);
  }
  output.compute_at(packed, kw2).store_in(MemoryType::Stack);
  thresholdParam.dim(0)
      .set_bounds(0, e.thresholds)
      .dim(1)
      .set_bounds(0, int(shape.m));
}

namespace {
/// Packed words as elements of T: the same little-endian memory, dimension 0
/// 8 / sizeof(T) times as long.
template <typename T>
Buffer<T> wordsAs(const std::vector<uint64_t> &words,
                  std::vector<int> extents) {
  extents[0] *= int(sizeof(uint64_t) / sizeof(T));
  return Buffer<T>(reinterpret_cast<T *>(const_cast<uint64_t *>(words.data())),
                   extents);
}
} // namespace

void BitSerialGemm::bindWeights(const std::vector<uint64_t> &packedWeights) {
  std::vector<int> extents = {int(wordsFor(shape_.k)), int(shape_.m),
                              shape_.weights.planes()};
  if (halfWords) {
    weights32.set(wordsAs<uint32_t>(packedWeights, extents));
  } else if (bytes) {
    weights8.set(wordsAs<uint8_t>(packedWeights, extents));
  } else if (tiles.rows) {
    tiledWeights = kernelWeights(packedWeights);
    std::vector<int> tileExtents;
    for (int64_t e : weightExtents())
      tileExtents.push_back(int(e));
    weightTiles.set(Buffer<uint64_t>(tiledWeights.data(), tileExtents));
  } else {
    weights.set(wordsAs<uint64_t>(packedWeights, extents));
  }
}

void BitSerialGemm::bindActivations(
    const std::vector<uint64_t> &packedActivations) {
  std::vector<int> extents = {panel, int(wordsFor(shape_.k)),
                              int((shape_.n + panel - 1) / panel),
                              shape_.activations.planes()};
  if (halfWords)
    activations32.set(wordsAs<uint32_t>(packedActivations, extents));
  else if (bytes)
    activations8.set(wordsAs<uint8_t>(packedActivations, extents));
  else
    activations.set(wordsAs<uint64_t>(packedActivations, extents));
}

std::vector<Argument> BitSerialGemm::operandArguments() const {
  if (halfWords)
    return {weights32, activations32};
  if (bytes)
    return {weights8, activations8};
  if (tiles.rows)
    return {weightTiles, activations};
  return {weights, activations};
}

std::vector<int64_t> BitSerialGemm::weightExtents() const {
  if (tiles.rows)
    return {tiles.rows, wordsFor(shape_.k), tiles.count(shape_),
            shape_.weights.planes()};
  return {wordsFor(shape_.k), shape_.m, shape_.weights.planes()};
}

std::vector<uint64_t>
BitSerialGemm::kernelWeights(const std::vector<uint64_t> &packedWeights) const {
  if (!tiles.rows)
    return packedWeights;
  return tileGemvRows(packedWeights, shape_.m, shape_.k,
                      shape_.weights.planes(), tiles.rows);
}

std::vector<int32_t>
BitSerialGemm::run(const std::vector<uint64_t> &packedWeights,
                   const std::vector<uint64_t> &packedActivations) {
  std::vector<int32_t> result;
  run(packedWeights, packedActivations, result);
  return result;
}

void BitSerialGemm::run(const std::vector<uint64_t> &packedWeights,
                        const std::vector<uint64_t> &packedActivations,
                        std::vector<int32_t> &result) {
  bindWeights(packedWeights);
  runBound(packedActivations, result);
}

void BitSerialGemm::runBound(const std::vector<uint64_t> &packedActivations,
                             std::vector<int32_t> &result) {
  bindActivations(packedActivations);
  result.resize(size_t(shape_.m * shape_.n));
  Buffer<int32_t> out(result.data(), int(shape_.n), int(shape_.m));
  realizeInto(output, out, target);
}

std::vector<uint64_t>
BitSerialGemm::runFused(const std::vector<uint64_t> &packedWeights,
                        const std::vector<uint64_t> &packedActivations,
                        const std::vector<int32_t> &thresholds) {
  bindWeights(packedWeights);
  return runFusedBound(packedActivations, thresholds);
}

std::vector<uint64_t>
BitSerialGemm::runFusedBound(const std::vector<uint64_t> &packedActivations,
                             const std::vector<int32_t> &thresholds) {
  if (!epilogue)
    throw std::runtime_error(
        "runFused needs a pipeline built with an epilogue");
  bindActivations(packedActivations);
  Buffer<int32_t> t(const_cast<int32_t *>(thresholds.data()),
                    epilogue->thresholds, int(shape_.m));
  thresholdParam.set(t);
  const ThresholdEpilogue &e = *epilogue;
  int64_t outWords = wordsFor(shape_.m);
  int64_t outPanels = (shape_.n + e.panelWidth - 1) / e.panelWidth;
  std::vector<uint64_t> result(size_t(e.next.planes()) * outPanels * outWords *
                               e.panelWidth);
  Buffer<uint64_t> out(result.data(), int(e.panelWidth), int(outWords),
                       int(outPanels), e.next.planes());
  realizeInto(packed, out, target);
  return result;
}

void BitSerialGemm::compileToAssembly(const std::string &path,
                                      const std::string &name) {
  output.compile_to_assembly(path, operandArguments(), name, target);
}

void BitSerialGemm::compileTo(const KernelOutputs &files,
                              const std::string &name) {
  if (epilogue) {
    std::vector<Argument> args = operandArguments();
    args.push_back(thresholdParam);
    compileOutputs(packed, args, files, name, target);
  } else
    compileOutputs(output, operandArguments(), files, name, target);
}

} // namespace qnnc::codegen
