// Normalizer: an in-place ASCII fast path (most names and addresses) and a utf8proc path.
#include "gym/handlers/normalizer.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "utf8proc.h"

namespace gym {
namespace {

bool IsAscii(std::string_view s) {
  unsigned char any = 0;
  for (char c : s) any |= static_cast<unsigned char>(c);
  return any < 0x80;
}

bool IsAsciiSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool IsUnicodeSpace(utf8proc_int32_t cp) {
  if (cp < 0x80) return IsAsciiSpace(static_cast<unsigned char>(cp));
  if (cp == 0x85) return true;  // NEXT LINE
  const utf8proc_category_t cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP;
}

// Bytes of a UTF-8 sequence count as letters: a word never ends inside a non-ASCII letter.
bool IsWordByte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c >= 0x80;
}

std::string_view AbbreviationOf(std::string_view word) {
  if (word == "RUA") return "R.";
  if (word == "AVENIDA") return "AV.";
  if (word == "PRACA") return "PCA.";
  return {};
}

// Every abbreviation is shorter than its word, so the rewrite never overtakes the reading.
void AbbreviateInPlace(std::string& s) {
  const size_t n = s.size();
  size_t w = 0;
  size_t i = 0;
  while (i < n) {
    if (!IsWordByte(static_cast<unsigned char>(s[i]))) {
      s[w++] = s[i++];
      continue;
    }
    size_t j = i;
    while (j < n && IsWordByte(static_cast<unsigned char>(s[j]))) ++j;
    const std::string_view abbreviation = AbbreviationOf(std::string_view(s).substr(i, j - i));
    if (abbreviation.empty()) {
      std::memmove(s.data() + w, s.data() + i, j - i);
      w += j - i;
    } else {
      std::memcpy(s.data() + w, abbreviation.data(), abbreviation.size());
      w += abbreviation.size();
      if (j < n && s[j] == '.') ++j;
    }
    i = j;
  }
  s.resize(w);
}

// Upper case, collapse and trim white space; the output is never longer than the input.
void CollapseAsciiInPlace(std::string& s) {
  size_t w = 0;
  bool pending_space = false;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsAsciiSpace(c)) {
      pending_space = w > 0;
      continue;
    }
    if (pending_space) s[w++] = ' ';
    pending_space = false;
    s[w++] = (c >= 'a' && c <= 'z') ? static_cast<char>(c - ('a' - 'A')) : ch;
  }
  s.resize(w);
}

absl::Status CollapseUnicode(std::string_view in, std::string& out) {
  constexpr auto kOptions = static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK);
  thread_local std::vector<utf8proc_int32_t> code_points;
  if (code_points.size() < in.size() + 16) code_points.resize(in.size() * 2 + 16);
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(in.data());
  const auto length = static_cast<utf8proc_ssize_t>(in.size());
  utf8proc_ssize_t count =
      utf8proc_decompose(bytes, length, code_points.data(),
                         static_cast<utf8proc_ssize_t>(code_points.size()), kOptions);
  if (count > static_cast<utf8proc_ssize_t>(code_points.size())) {
    code_points.resize(static_cast<size_t>(count));
    count = utf8proc_decompose(bytes, length, code_points.data(), count, kOptions);
  }
  if (count < 0) {
    return absl::InvalidArgumentError(utf8proc_errmsg(count));
  }
  out.clear();
  bool pending_space = false;
  utf8proc_uint8_t encoded[4];
  for (utf8proc_ssize_t k = 0; k < count; ++k) {
    const utf8proc_int32_t cp = code_points[static_cast<size_t>(k)];
    if (IsUnicodeSpace(cp)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    const utf8proc_ssize_t n = utf8proc_encode_char(utf8proc_toupper(cp), encoded);
    out.append(reinterpret_cast<const char*>(encoded), static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status NormalizeInPlace(std::string& text) {
  if (IsAscii(text)) {
    CollapseAsciiInPlace(text);
  } else {
    thread_local std::string scratch;
    if (absl::Status status = CollapseUnicode(text, scratch); !status.ok()) return status;
    text.swap(scratch);
  }
  AbbreviateInPlace(text);
  return absl::OkStatus();
}

absl::StatusOr<std::string> NormalizeText(std::string_view utf8) {
  std::string text(utf8);
  if (absl::Status status = NormalizeInPlace(text); !status.ok()) return status;
  return text;
}

NormalizerHandler::NormalizerHandler(std::vector<std::string> skip_columns,
                                     RowErrorReporter reporter)
    : skip_columns_(std::move(skip_columns)), rejected_("normalizer", std::move(reporter)) {}

bool NormalizerHandler::Skipped(std::string_view column) const {
  return std::find(skip_columns_.begin(), skip_columns_.end(), column) != skip_columns_.end();
}

absl::StatusOr<Frame> NormalizerHandler::Handle(Frame input) {
  std::vector<size_t> bad_rows;
  std::vector<std::string> reasons;
  for (const std::string& name : std::vector<std::string>(input.column_names())) {
    Column& column = input.mutable_column(name);
    if (column.type() != DataType::kString || Skipped(name)) continue;
    std::vector<std::string>& cells = column.mutable_strings();
    for (size_t row = 0; row < cells.size(); ++row) {
      if (!column.IsValid(row)) continue;
      if (absl::Status status = NormalizeInPlace(cells[row]); !status.ok()) {
        bad_rows.push_back(row);
        reasons.push_back("column '" + name + "': " + std::string(status.message()));
      }
    }
  }
  if (bad_rows.empty()) return input;
  // A row may be bad in several columns: report it once, with the first column found.
  std::vector<size_t> order(bad_rows.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return bad_rows[a] < bad_rows[b]; });
  std::vector<size_t> rejected;
  for (size_t k : order) {
    if (!rejected.empty() && rejected.back() == bad_rows[k]) continue;
    rejected.push_back(bad_rows[k]);
    rejected_.Report(input, bad_rows[k], std::move(reasons[k]));
  }
  return WithoutRows(std::move(input), rejected);
}

PartInfo NormalizerPart() {
  return {
      .type = "normalize",
      .kind = PartKind::kHandler,
      .help = "normalizes every text column but skip_columns (NFD, no accents, upper case, "
              "single spaces, RUA -> R.); rows holding invalid UTF-8 are rejected",
      .options = {{.name = "skip_columns",
                   .type = OptionType::kStringList,
                   .help = "text columns left as they are",
                   .default_value = std::vector<std::string>{"id", "cpf", "event_id",
                                                             "batch_id", "data_nascimento"}}},
      .make = [](const std::string&, const PartOptions& o, const PartContext& c) -> MadeHandler {
        return std::make_unique<NormalizerHandler>(o.Strings("skip_columns"), c.rejected);
      }};
}

}  // namespace gym
