// The errors found in one pipeline file, each "file:line: message", handed over in the order
// of the file's lines (toml++ gives tables sorted by key, and the graph is checked part by
// part), each once. Shared by the reader (pipeline_file.cc) and the checker
// (pipeline_check.cc).
#ifndef GYM_PIPELINE_INTERNAL_FILE_ERRORS_H_
#define GYM_PIPELINE_INTERNAL_FILE_ERRORS_H_

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "fmt/format.h"

namespace gym::internal {

class FileErrors final {
 public:
  explicit FileErrors(std::string file) : file_(std::move(file)) {}

  template <typename... Args>
  void Add(int line, fmt::format_string<Args...> format, Args&&... args) {
    AddText(line, fmt::format("{}:{}: {}", file_, line,
                              fmt::format(format, std::forward<Args>(args)...)));
  }
  // An error already worded; `line` orders it (0: before the file's own lines).
  void AddText(int line, std::string error) {
    if (seen_.insert(error).second) list_.emplace_back(line, std::move(error));
  }
  std::vector<std::string> Take() {
    std::stable_sort(list_.begin(), list_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> out;
    for (auto& [line, text] : list_) out.push_back(std::move(text));
    list_.clear();
    seen_.clear();
    return out;
  }

 private:
  std::string file_;
  std::vector<std::pair<int, std::string>> list_;
  std::set<std::string> seen_;
};

}  // namespace gym::internal

#endif  // GYM_PIPELINE_INTERNAL_FILE_ERRORS_H_
