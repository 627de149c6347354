// KeyIndex: factorization of a key column into dense ids.
#include "gym/frame/internal/key_index.h"

#include <bit>
#include <cmath>
#include <limits>

namespace gym::frame_internal {

int64_t DoubleKey(double d) {
  if (d == 0.0) d = 0.0;
  if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();
  return std::bit_cast<int64_t>(d);
}

KeyIndex::KeyIndex(const Column& column) : type_(column.type()), numbers_(64) {
  ids_.resize(column.size());
  if (type_ == DataType::kString) {
    IndexStrings(column);
  } else {
    IndexNumbers(column);
  }
}

uint32_t KeyIndex::Assign(std::optional<uint32_t>& slot, size_t row) {
  if (!slot) {
    slot = static_cast<uint32_t>(first_rows_.size());
    first_rows_.push_back(row);
  }
  return *slot;
}

void KeyIndex::IndexNumbers(const Column& column) {
  const bool is_int = type_ == DataType::kInt64;
  const std::vector<uint8_t>& valid = column.validity();
  for (size_t row = 0; row < ids_.size(); ++row) {
    if (!valid[row]) {
      ids_[row] = Assign(null_id_, row);
      continue;
    }
    int64_t key = is_int ? column.Int64At(row) : DoubleKey(column.DoubleAt(row));
    bool inserted = false;
    uint32_t id = numbers_.FindOrInsert(key, static_cast<uint32_t>(first_rows_.size()), inserted);
    if (inserted) first_rows_.push_back(row);
    ids_[row] = id;
  }
}

void KeyIndex::IndexStrings(const Column& column) {
  const std::vector<uint8_t>& valid = column.validity();
  const std::vector<std::string>& values = column.strings();
  for (size_t row = 0; row < ids_.size(); ++row) {
    if (!valid[row]) {
      ids_[row] = Assign(null_id_, row);
      continue;
    }
    auto [it, inserted] =
        strings_.try_emplace(values[row], static_cast<uint32_t>(first_rows_.size()));
    if (inserted) first_rows_.push_back(row);
    ids_[row] = it->second;
  }
}

std::optional<uint32_t> KeyIndex::Find(const Column& probe, size_t row) const {
  if (!probe.IsValid(row)) return std::nullopt;
  if (type_ == DataType::kString) {
    auto it = strings_.find(probe.StringAt(row));
    if (it == strings_.end()) return std::nullopt;
    return it->second;
  }
  if (type_ == DataType::kDouble) return numbers_.Find(DoubleKey(probe.NumberAt(row)));
  if (probe.type() == DataType::kInt64) return numbers_.Find(probe.Int64At(row));
  // A double probe matches an int64 key only when it holds that integer exactly.
  double d = probe.DoubleAt(row);
  if (!(d >= -9.2e18 && d <= 9.2e18) || std::trunc(d) != d) return std::nullopt;
  return numbers_.Find(static_cast<int64_t>(d));
}

}  // namespace gym::frame_internal
