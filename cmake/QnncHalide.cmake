# Imports Halide 14 next to LLVM/MLIR 19 without letting Halide's package config look for LLVM.
# find_package(Halide) calls find_dependency(LLVM 14), which either re-points LLVM_DIR and
# LLVM_INCLUDE_DIRS to LLVM 14 (when MLIR was found first) or fails on duplicate targets. Both
# libLLVM builds coexist at run time (Debian versions their symbols), so only CMake needs care.
find_package(Threads REQUIRED)
find_package(HalideHelpers 14 REQUIRED)
include(/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/cmake/Halide14/Halide-shared-targets.cmake)
set(Halide_FOUND TRUE)
