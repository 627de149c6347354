// CSV sink (see csv_sink.h). Rows are formatted into a buffer that is written in large blocks,
// so a big Frame never needs its whole text in memory.
#include "gym/sinks/csv_sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gym {
namespace {

constexpr size_t kWriteBlock = size_t{1} << 20;

bool IsValidDelimiter(char d) {
  const auto b = static_cast<unsigned char>(d);
  return d != '"' && d != '\n' && d != '\r' && b != 0 && b < 0x80;
}

void RequireDelimiter(char d) {
  if (!IsValidDelimiter(d)) {
    throw std::invalid_argument(absl::StrFormat(
        "invalid CSV delimiter 0x%02X: it cannot be a quote, a line ending, NUL or non-ASCII",
        static_cast<unsigned char>(d)));
  }
}

void AppendText(std::string_view text, char delimiter, std::string* out) {
  const bool quote = text.empty() ||
                     text.find_first_of(std::string_view("\"\r\n", 3)) != text.npos ||
                     text.find(delimiter) != text.npos;
  if (!quote) {
    out->append(text);
    return;
  }
  out->push_back('"');
  for (char c : text) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

// Numbers are quoted only under a delimiter that can occur in them ('.', '-', a digit...).
template <typename T>
void AppendNumber(T value, char delimiter, std::string* out) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);
  const std::string_view text(buf, ec == std::errc() ? static_cast<size_t>(end - buf) : 0);
  if (text.find(delimiter) == text.npos) {
    out->append(text);
  } else {
    AppendText(text, delimiter, out);
  }
}

void AppendCell(const Column& column, size_t row, char delimiter, std::string* out) {
  if (!column.IsValid(row)) return;
  switch (column.type()) {
    case DataType::kInt64:
      AppendNumber(column.Int64At(row), delimiter, out);
      break;
    case DataType::kDouble:
      AppendNumber(column.DoubleAt(row), delimiter, out);
      break;
    case DataType::kString:
      AppendText(column.StringAt(row), delimiter, out);
      break;
  }
}

void AppendHeader(const Frame& frame, char delimiter, std::string* out) {
  const std::vector<std::string>& names = frame.column_names();
  // Readers skip one leading byte order mark; a first name that starts with one keeps it
  // only if another is written in front.
  if (!names.empty() && names[0].compare(0, 3, "\xEF\xBB\xBF") == 0) out->append("\xEF\xBB\xBF");
  for (size_t c = 0; c < names.size(); ++c) {
    if (c > 0) out->push_back(delimiter);
    AppendText(names[c], delimiter, out);
  }
  if (!names.empty()) out->push_back('\n');
}

void AppendRow(const Frame& frame, size_t row, char delimiter, std::string* out) {
  for (size_t c = 0; c < frame.num_columns(); ++c) {
    if (c > 0) out->push_back(delimiter);
    AppendCell(frame.column(c), row, delimiter, out);
  }
  out->push_back('\n');
}

absl::Status WriteAll(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t put = ::write(fd, bytes.data(), bytes.size());
    if (put < 0) {
      if (errno == EINTR) continue;
      return absl::InternalError(absl::StrCat(path, ": write failed: ", std::strerror(errno)));
    }
    bytes.remove_prefix(static_cast<size_t>(put));
  }
  return absl::OkStatus();
}

absl::Status WriteRows(const Frame& frame, int fd, char delimiter, const std::string& path) {
  std::string buffer;
  buffer.reserve(kWriteBlock + 4096);
  AppendHeader(frame, delimiter, &buffer);
  for (size_t row = 0; row < frame.num_rows(); ++row) {
    AppendRow(frame, row, delimiter, &buffer);
    if (buffer.size() >= kWriteBlock) {
      if (absl::Status st = WriteAll(fd, buffer, path); !st.ok()) return st;
      buffer.clear();
    }
  }
  return WriteAll(fd, buffer, path);
}

}  // namespace

std::string FormatCsv(const Frame& frame, char delimiter) {
  RequireDelimiter(delimiter);
  std::string out;
  AppendHeader(frame, delimiter, &out);
  for (size_t row = 0; row < frame.num_rows(); ++row) AppendRow(frame, row, delimiter, &out);
  return out;
}

absl::Status WriteCsvFile(const Frame& frame, const std::string& path, char delimiter) {
  if (!IsValidDelimiter(delimiter)) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: invalid CSV delimiter 0x%02X", path,
                                                      static_cast<unsigned char>(delimiter)));
  }
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    const int err = errno;
    const std::string message = absl::StrCat(tmp, ": cannot create: ", std::strerror(err));
    if (err == ENOENT || err == ENOTDIR) return absl::NotFoundError(message);
    if (err == EACCES || err == EPERM) return absl::PermissionDeniedError(message);
    return absl::InternalError(message);
  }
  absl::Status st = WriteRows(frame, fd, delimiter, tmp);
  // fsync before rename: after a crash the new name must not point at an empty file.
  if (st.ok() && ::fsync(fd) != 0) {
    st = absl::InternalError(absl::StrCat(tmp, ": fsync failed: ", std::strerror(errno)));
  }
  if (::close(fd) != 0 && st.ok()) {
    st = absl::InternalError(absl::StrCat(tmp, ": close failed: ", std::strerror(errno)));
  }
  if (st.ok() && std::rename(tmp.c_str(), path.c_str()) != 0) {
    st = absl::InternalError(
        absl::StrCat("cannot rename ", tmp, " to ", path, ": ", std::strerror(errno)));
  }
  if (!st.ok()) ::unlink(tmp.c_str());
  return st;
}

}  // namespace gym
