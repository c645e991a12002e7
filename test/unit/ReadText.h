//===- ReadText.h - A file's text, for tests that inspect emitted files ---===//

#ifndef QNNC_TEST_UNIT_READTEXT_H
#define QNNC_TEST_UNIT_READTEXT_H

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace qnnc::test {

/// The text of `path`, which is then deleted (a kernel's assembly written to
/// a temporary file).
inline std::string takeText(const std::string &path) {
  std::stringstream text;
  {
    std::ifstream in(path);
    text << in.rdbuf();
  }
  std::remove(path.c_str());
  return text.str();
}

} // namespace qnnc::test

#endif
