#include "gym/pipeline/test_cases.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <memory>
#include <mutex>
#include <utility>

#include "fmt/format.h"
#include "gym/pipeline/pipeline_assembly.h"

namespace gym {
namespace {

std::string Show(const Value& v) {
  if (IsNull(v)) return "null";
  if (const auto* s = std::get_if<std::string>(&v)) return "\"" + *s + "\"";
  if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  return fmt::format("{}", std::get<double>(v));
}

// Numbers compare by value (an expected 1 matches 1.0) with a relative tolerance of 1e-9;
// text and nulls compare exactly.
bool Same(const Value& expected, const Value& actual) {
  if (IsNull(expected) || IsNull(actual)) return IsNull(expected) && IsNull(actual);
  const auto* es = std::get_if<std::string>(&expected);
  const auto* as = std::get_if<std::string>(&actual);
  if (es != nullptr || as != nullptr) return es != nullptr && as != nullptr && *es == *as;
  auto number = [](const Value& v) {
    if (const auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
    return std::get<double>(v);
  };
  const double e = number(expected);
  const double a = number(actual);
  return e == a || std::fabs(e - a) <= 1e-9 * std::max(std::fabs(e), std::fabs(a));
}

void CompareRows(const std::vector<Record>& expected, const Frame& out,
                 std::vector<std::string>& failures) {
  if (expected.size() != out.num_rows()) {
    failures.push_back(fmt::format("expected {} row(s), got {}", expected.size(), out.num_rows()));
  }
  const size_t rows = std::min(expected.size(), out.num_rows());
  for (size_t row = 0; row < rows; ++row) {
    for (const auto& [column, value] : expected[row]) {
      if (!out.HasColumn(column)) {
        failures.push_back(fmt::format("row {}: no column '{}' in the output", row + 1, column));
        continue;
      }
      const Value actual = out.At(row, column);
      if (!Same(value, actual)) {
        failures.push_back(fmt::format("row {}, column '{}': expected {}, got {}", row + 1,
                                       column, Show(value), Show(actual)));
      }
    }
  }
}

}  // namespace

TestCaseResult RunTestCase(const PipelineSpec& spec, const TestCaseSpec& test,
                           const PartRegistry& registry, PartContext context) {
  TestCaseResult result{.name = test.name,
                        .where = fmt::format("{}:{}", spec.tests_file.empty() ? spec.file
                                                                             : spec.tests_file,
                                             test.line)};
  const PartSpec* part = spec.Find(test.node);
  if (part == nullptr || part->kind == PartKind::kTrigger) {
    result.failures.push_back(fmt::format("no source, handler or sink '{}'", test.node));
    return result;
  }
  auto rejected = std::make_shared<std::atomic<int64_t>>(0);
  std::vector<std::string> reasons;
  auto reasons_mu = std::make_shared<std::mutex>();
  context.rejected = [rejected, &reasons, reasons_mu](const RowError& e) {
    rejected->fetch_add(1);
    std::lock_guard<std::mutex> lock(*reasons_mu);
    reasons.push_back(fmt::format("row {} rejected: {}", e.row + 1, e.reason));
  };
  context.will_run = true;
  // The case's own option values, typed and checked as --set would.
  PipelineSpec with_options = spec;
  for (const auto& [option, value] : test.options) {
    for (std::string& e : ApplyOverride(with_options, registry,
                                        test.node + "." + option + "=" + value,
                                        "test '" + test.name + "' options:")) {
      result.failures.push_back(std::move(e));
    }
  }
  if (!result.failures.empty()) return result;
  absl::StatusOr<std::unique_ptr<Handler>> handler =
      MakePart(with_options, *with_options.Find(test.node), registry, context);
  if (!handler.ok()) {
    result.failures.push_back(std::string(handler.status().message()));
    return result;
  }
  Frame out;
  std::string error;  // the message of the part's failing status (or of what it threw)
  try {
    // No input at all is one empty message: a source or a part that makes rows by itself.
    const std::vector<std::vector<Record>> messages =
        test.messages.empty() ? std::vector<std::vector<Record>>{{}} : test.messages;
    for (const std::vector<Record>& rows : messages) {
      Frame input = Frame::FromRecords(rows);
      (*handler)->PreMessage(input);
      absl::StatusOr<Frame> handled = (*handler)->Handle(std::move(input));
      if (!handled.ok()) {
        error = std::string(handled.status().message());
        break;
      }
      out = *std::move(handled);
      (*handler)->PostMessage(out);
    }
  } catch (const std::exception& e) {
    // The rows of the case themselves (FromRecords), or a part that throws after all.
    error = e.what();
  }
  std::vector<std::string>& failures = result.failures;
  if (test.expect_error) {
    if (error.empty()) {
      failures.push_back(fmt::format("expected an error containing \"{}\"; the part succeeded",
                                     *test.expect_error));
    } else if (error.find(*test.expect_error) == std::string::npos) {
      failures.push_back(fmt::format("expected an error containing \"{}\", got: {}",
                                     *test.expect_error, error));
    }
  } else if (!error.empty()) {
    failures.push_back("the part failed: " + error);
  }
  if (error.empty()) {
    if (test.expect) CompareRows(*test.expect, out, failures);
    if (test.expect_rows && static_cast<int64_t>(out.num_rows()) != *test.expect_rows) {
      failures.push_back(
          fmt::format("expected {} row(s), got {}", *test.expect_rows, out.num_rows()));
    }
    for (const std::string& c : test.expect_columns) {
      if (!out.HasColumn(c)) failures.push_back(fmt::format("expected a column '{}'", c));
    }
    for (const std::string& c : test.expect_no_columns) {
      if (out.HasColumn(c)) failures.push_back(fmt::format("expected no column '{}'", c));
    }
    result.output = out.ToString(20);
  }
  if (test.expect_rejected && rejected->load() != *test.expect_rejected) {
    failures.push_back(fmt::format("expected {} rejected row(s), got {}", *test.expect_rejected,
                                   rejected->load()));
    for (const std::string& r : reasons) failures.push_back("  " + r);
  }
  result.passed = failures.empty();
  return result;
}

std::string FormatTestCaseResult(const TestCaseResult& result) {
  if (result.passed) return fmt::format("PASS {}\n", result.name);
  std::string out = fmt::format("FAIL {} ({})\n", result.name, result.where);
  for (const std::string& f : result.failures) out += "  " + f + "\n";
  if (!result.output.empty()) {
    out += "  output:\n";
    size_t start = 0;
    while (start < result.output.size()) {
      size_t end = result.output.find('\n', start);
      if (end == std::string::npos) end = result.output.size();
      out += "    " + result.output.substr(start, end - start) + "\n";
      start = end + 1;
    }
  }
  return out;
}

}  // namespace gym
