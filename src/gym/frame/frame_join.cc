// Frame::InnerJoin: a hash join that indexes the right key once and probes it with each left
// row, so the cost is linear in both sides instead of the seed's nested loop.
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "gym/frame/frame.h"
#include "gym/frame/internal/key_index.h"

namespace gym {
namespace {

using frame_internal::KeyIndex;

// Right rows grouped by key id, each group in right order (a CSR layout: rows of id k are
// rows[offsets[k]] .. rows[offsets[k + 1]]).
struct RowsByKey {
  std::vector<size_t> offsets;
  std::vector<size_t> rows;
};

RowsByKey BucketRows(const KeyIndex& index) {
  RowsByKey out;
  out.offsets.assign(index.num_keys() + 1, 0);
  for (uint32_t id : index.ids()) ++out.offsets[id + 1];
  for (size_t k = 1; k < out.offsets.size(); ++k) out.offsets[k] += out.offsets[k - 1];
  out.rows.resize(index.ids().size());
  std::vector<size_t> next(out.offsets.begin(), out.offsets.end() - 1);
  for (size_t row = 0; row < index.ids().size(); ++row) out.rows[next[index.ids()[row]]++] = row;
  return out;
}

// Row pairs (left[i], right[i]) whose keys are equal, in left order then right order.
struct Matches {
  std::vector<size_t> left;
  std::vector<size_t> right;
};

Matches MatchRows(const Column& left_col, const KeyIndex& index) {
  Matches out;
  out.left.reserve(left_col.size());
  out.right.reserve(left_col.size());
  // With unique right keys (the usual lookup-table join) each id has exactly its first row,
  // which saves building buckets and one random read per probe.
  if (index.num_keys() == index.ids().size()) {
    for (size_t row = 0; row < left_col.size(); ++row) {
      const std::optional<uint32_t> id = index.Find(left_col, row);
      if (!id) continue;
      out.left.push_back(row);
      out.right.push_back(index.first_rows()[*id]);
    }
    return out;
  }
  const RowsByKey buckets = BucketRows(index);
  for (size_t row = 0; row < left_col.size(); ++row) {
    const std::optional<uint32_t> id = index.Find(left_col, row);
    if (!id) continue;
    for (size_t i = buckets.offsets[*id]; i < buckets.offsets[*id + 1]; ++i) {
      out.left.push_back(row);
      out.right.push_back(buckets.rows[i]);
    }
  }
  return out;
}

void CheckKeyTypes(const Column& left, const Column& right, std::string_view left_key,
                   std::string_view right_key) {
  const bool left_string = left.type() == DataType::kString;
  const bool right_string = right.type() == DataType::kString;
  if (left_string != right_string) {
    throw FrameError("InnerJoin: left key '" + std::string(left_key) + "' is " +
                     std::string(DataTypeName(left.type())) + " but right key '" +
                     std::string(right_key) + "' is " + std::string(DataTypeName(right.type())));
  }
}

}  // namespace

Frame Frame::InnerJoin(const Frame& right, std::string_view left_key, std::string_view right_key,
                       std::string_view right_suffix) const {
  const Column& left_col = column(left_key);
  const Column& right_col = right.column(right_key);
  CheckKeyTypes(left_col, right_col, left_key, right_key);

  const Matches matches = MatchRows(left_col, KeyIndex(right_col));
  const std::vector<size_t>& left_rows = matches.left;
  const std::vector<size_t>& right_rows = matches.right;

  std::vector<std::string> names = names_;
  std::vector<Column> columns;
  columns.reserve(names_.size() + right.num_columns());
  for (const Column& c : columns_) columns.push_back(c.Take(left_rows));
  std::unordered_set<std::string> taken(names_.begin(), names_.end());
  const size_t right_key_index = right.ColumnIndex(right_key);
  for (size_t c = 0; c < right.num_columns(); ++c) {
    if (c == right_key_index) continue;
    std::string name = right.column_names()[c];
    if (taken.count(name)) name += right_suffix;
    if (!taken.insert(name).second) {
      throw FrameError("InnerJoin: right column '" + right.column_names()[c] + "' renamed to '" +
                       name + "' collides with an existing column");
    }
    names.push_back(std::move(name));
    columns.push_back(right.column(c).Take(right_rows));
  }
  return Frame(std::move(names), std::move(columns));
}

}  // namespace gym
