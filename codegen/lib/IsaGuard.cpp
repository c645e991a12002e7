#include "qnn/Codegen/IsaGuard.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <unistd.h>
#include <utility>
#include <vector>

using namespace Halide;

namespace qnnc::codegen {

namespace {
bool isAvx512Fp16(const std::string &op) {
  if (op.size() < 4 || op[0] != 'v')
    return false;
  if (op == "vmovw" || op == "vmovsh")
    return true;
  if (op == "vcvtps2ph" || op == "vcvtph2ps")
    return false; // F16C
  std::string tail = op.substr(op.size() - 2);
  return tail == "ph" || tail == "sh" || op.find("ph2") != std::string::npos;
}

/// LLVM prints the VEX form of an instruction that has an EVEX one with a
/// `{vex}` prefix.
bool isAvxVnni(const std::string &prefix, const std::string &op) {
  return prefix == "{vex}" && op.rfind("vpdp", 0) == 0;
}

/// The first instruction of `assembly` the target CPU lacks, as printed;
/// empty if there is none.
std::string missingInstruction(const std::string &assembly, bool fp16,
                               bool avxVnni) {
  std::istringstream lines(assembly);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string first, second;
    fields >> first >> second;
    if (fp16 && isAvx512Fp16(first))
      return first + " (AVX512-FP16)";
    if (avxVnni && isAvxVnni(first, second))
      return first + " " + second + " (AVX-VNNI)";
  }
  return "";
}

thread_local IsaGuardScope *innermostScope = nullptr;

bool mayUseMissingInstructions(const Target &target) {
  return target.arch == Target::X86 &&
         target.has_feature(Target::AVX512_SapphireRapids);
}

/// A fresh temporary file name (the file exists, empty).
std::string temporaryPath() {
  char path[] = "/tmp/qnnc-isa-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0)
    throw std::runtime_error("cannot create a temporary file in /tmp");
  close(fd);
  return path;
}

std::string readFile(const std::string &path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Target withoutSapphireRapids(const Target &target) {
  return target.without_feature(Target::AVX512_SapphireRapids);
}

/// `target`, or `target` without avx512_sapphirerapids if `f` compiled for it
/// would use instructions this machine lacks.
Target withoutMissingInstructions(Func &f, const std::vector<Argument> &args,
                                  const Target &target, bool avxVnniMissing) {
  std::string path = temporaryPath();
  f.compile_to_assembly(path, args, "isa_probe", target);
  bool missing =
      !missingInstruction(readFile(path), true, avxVnniMissing).empty();
  std::remove(path.c_str());
  return missing ? withoutSapphireRapids(target) : target;
}

} // namespace

bool usesAvx512Fp16(const std::string &assembly) {
  return !missingInstruction(assembly, true, false).empty();
}

bool usesAvxVnni(const std::string &assembly) {
  return !missingInstruction(assembly, false, true).empty();
}

IsaGuardScope::IsaGuardScope(bool cpuHasAvxVnni)
    : outer(innermostScope), avxVnniMissing(!cpuHasAvxVnni) {
  innermostScope = this;
}

IsaGuardScope::~IsaGuardScope() { innermostScope = outer; }

std::string IsaGuardScope::takeNote() { return std::exchange(note, {}); }

void compileGuarded(Func &f, const std::vector<Argument> &args,
                    const std::map<OutputFileType, std::string> &files,
                    const std::string &name, const Target &target) {
  if (!mayUseMissingInstructions(target)) {
    f.compile_to(files, args, name, target);
    return;
  }
  // One compilation gives the requested files and the assembly to check; a
  // second one only for a kernel that used a missing instruction.
  auto withAssembly = files;
  std::string temporary;
  if (!withAssembly.count(OutputFileType::assembly))
    withAssembly[OutputFileType::assembly] = temporary = temporaryPath();
  f.compile_to(withAssembly, args, name, target);
  IsaGuardScope *scope = innermostScope;
  std::string missing =
      missingInstruction(readFile(withAssembly[OutputFileType::assembly]), true,
                         scope && scope->avxVnniMissing);
  if (!temporary.empty())
    std::remove(temporary.c_str());
  if (missing.empty())
    return;
  f.compile_to(files, args, name, withoutSapphireRapids(target));
  if (scope)
    scope->note = "built without avx512_sapphirerapids: it used " + missing +
                  ", which the target CPU lacks";
}

Target jitTargetFor(Func &f, const Target &target) {
#if defined(__x86_64__)
  static const bool avxVnniMissing = !__builtin_cpu_supports("avxvnni");
  if (!mayUseMissingInstructions(target) ||
      (__builtin_cpu_supports("avx512fp16") && !avxVnniMissing))
    return target;
  // One check per Func and target, looked up on every realization: a
  // linear scan comparing pointers and Targets (Target::to_string took
  // 0.9 us, a tenth of a small GEMV). The list holds each Function, so its
  // address cannot be reused by a later Func; names are not unique (every
  // BitSerialGemm's output is "gemm").
  struct Entry {
    Internal::Function function;
    Target target, chosen;
  };
  static std::mutex mutex;
  static std::vector<Entry> chosen;
  std::lock_guard<std::mutex> lock(mutex);
  const void *contents = f.function().get_contents().get();
  auto it = std::find_if(chosen.begin(), chosen.end(), [&](const Entry &e) {
    return e.function.get_contents().get() == contents && e.target == target;
  });
  if (it == chosen.end())
    it = chosen.insert(chosen.end(),
                       {f.function(), target,
                        withoutMissingInstructions(f, f.infer_arguments(),
                                                   target, avxVnniMissing)});
  return it->chosen;
#else
  return target;
#endif
}

} // namespace qnnc::codegen
