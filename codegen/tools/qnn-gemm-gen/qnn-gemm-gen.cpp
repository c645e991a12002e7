//===- qnn-gemm-gen.cpp - Emit one GEMM kernel ----------------------------===//
//
// Compiles the bit-serial GEMM pipeline (or the 8/16-bit integer GEMM) for a
// static shape and a Halide target string to assembly or an object file, so the
// generated instructions can be inspected and tested (FileCheck on `vpopcntq`,
// `cnt`, ...) and kernels can be cross-compiled.
//
//===----------------------------------------------------------------------===//

#include "qnn/Codegen/BitSerialGemm.h"
#include "qnn/Codegen/IntegerGemm.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

using namespace qnnc::codegen;

static void usage() {
  std::cerr
      << "usage: qnn-gemm-gen M K N WBITS[b|s|u] ABITS[b|s|u] TARGET "
         "(asm|obj) OUT [ROWSxVECTORS]\n"
         "  b = bipolar (+-1), s = two's complement, u = unsigned; "
         "TARGET is a Halide\n"
         "  target string such as x86-64-linux-avx2 or arm-64-linux; "
         "ROWSxVECTORS the\n"
         "  register tile (rows x vectors of 64-bit words per panel, "
         "default 4x2)\n"
         "       qnn-gemm-gen M K N (i8 u8|i16 i16) TARGET (asm|obj) OUT\n"
         "  the integer GEMM: s8 weights x u8 activations, or s16 x s16\n";
}

static bool parseOperand(const std::string &s, Operand &op) {
  if (s.empty())
    return false;
  char kind = s.back();
  op.bits = std::atoi(s.c_str());
  op.encoding = kind == 'b'   ? Encoding::Bipolar
                : kind == 's' ? Encoding::TwosComplement
                              : Encoding::Unsigned;
  return op.bits >= 1 && op.bits <= 8 &&
         (kind == 'b' || kind == 's' || kind == 'u');
}

int main(int argc, char **argv) {
  if (argc != 9 && argc != 10) {
    usage();
    return 1;
  }
  GemmSchedule schedule;
  if (argc == 10 && (std::sscanf(argv[9], "%dx%d", &schedule.rows,
                                 &schedule.vectorsPerPanel) != 2 ||
                     schedule.rows < 1 || schedule.vectorsPerPanel < 1)) {
    usage();
    return 1;
  }
  GemmShape shape;
  shape.m = std::atoll(argv[1]);
  shape.k = std::atoll(argv[2]);
  shape.n = std::atoll(argv[3]);
  std::string emit = argv[7];
  std::string wk = argv[4], ak = argv[5];
  int integerBits = wk == "i8" && ak == "u8"     ? 8
                    : wk == "i16" && ak == "i16" ? 16
                                                 : 0;
  if (shape.m < 1 || shape.k < 1 || shape.n < 1 ||
      (!integerBits && (!parseOperand(argv[4], shape.weights) ||
                        !parseOperand(argv[5], shape.activations))) ||
      (emit != "asm" && emit != "obj")) {
    usage();
    return 1;
  }
  try {
    Halide::Target target(argv[6]);
    if (integerBits) {
      IntegerGemm gemm(IntegerGemmShape{shape.m, shape.k, shape.n, integerBits},
                       target.with_feature(Halide::Target::NoRuntime));
      KernelOutputs files = {{emit == "asm" ? Halide::OutputFileType::assembly
                                            : Halide::OutputFileType::object,
                              argv[8]}};
      gemm.compileTo(files, "integer_gemm");
      // How the caller packs the weights for this target (IntegerGemmLayout).
      const IntegerGemmLayout &l = gemm.layout();
      std::cout << "group=" << l.group << "\n"
                << "weight_bits=" << l.weightBits << "\n"
                << "input_offset=" << l.inputOffset << "\n"
                << "tile_rows=" << l.tileRows << "\n";
      return 0;
    }
    BitSerialGemm gemm(shape, schedule,
                       target.with_feature(Halide::Target::NoRuntime));
    if (emit == "asm")
      gemm.compileToAssembly(argv[8], "bitserial_gemm");
    else
      gemm.compileTo({{Halide::OutputFileType::object, argv[8]}},
                     "bitserial_gemm");
    // The operand layouts the caller must pack for: activation panels, and
    // a GEMV's rows per weight tile (tileGemvRows; 0 for a GEMM).
    std::cout << "panel_width=" << gemm.panelWidth() << "\n"
              << "byte_operands=" << (gemm.operandBits() == 8) << "\n"
              << "operand_bits=" << gemm.operandBits() << "\n"
              << "gemv_tile_rows=" << gemm.gemvTiles().rows << "\n";
  } catch (const std::exception &e) {
    std::cerr << "qnn-gemm-gen: error: " << e.what() << "\n";
    return 1;
  } catch (const Halide::Error &e) {
    std::cerr << "qnn-gemm-gen: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
