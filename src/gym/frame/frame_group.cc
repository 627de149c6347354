// Frame::GroupBy and Frame::GroupIndices: hash grouping into dense group ids, then one pass
// per aggregate over flat typed vectors.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "gym/frame/frame.h"
#include "gym/frame/internal/int_hash_map.h"
#include "gym/frame/internal/key_index.h"

namespace gym {
namespace {

using frame_internal::IntHashMap;
using frame_internal::KeyIndex;

// Dense group id of each row plus the first row of each group, in first-appearance order.
struct Groups {
  std::vector<uint32_t> ids;
  std::vector<size_t> first_rows;
};

// Groups rows by the key columns. Null is a key value of its own. With no keys every row is
// in one group.
Groups GroupRows(const Frame& frame, const std::vector<std::string>& keys) {
  Groups groups;
  if (keys.empty()) {
    groups.ids.assign(frame.num_rows(), 0);
    if (frame.num_rows() > 0) groups.first_rows.push_back(0);
    return groups;
  }
  KeyIndex first(frame.column(keys[0]));
  groups.ids = first.ids();
  groups.first_rows = first.first_rows();
  for (size_t k = 1; k < keys.size(); ++k) {
    KeyIndex next(frame.column(keys[k]));
    // Pairs (group so far, id in this column) become the new groups, again by first appearance.
    IntHashMap pairs(std::min(groups.first_rows.size() * next.num_keys(), groups.ids.size()));
    std::vector<size_t> first_rows;
    for (size_t row = 0; row < groups.ids.size(); ++row) {
      const int64_t pair =
          static_cast<int64_t>((uint64_t{groups.ids[row]} << 32) | next.ids()[row]);
      bool inserted = false;
      groups.ids[row] =
          pairs.FindOrInsert(pair, static_cast<uint32_t>(first_rows.size()), inserted);
      if (inserted) first_rows.push_back(row);
    }
    groups.first_rows = std::move(first_rows);
  }
  return groups;
}

std::string AggName(Agg fn) {
  switch (fn) {
    case Agg::kCount:
      return "count";
    case Agg::kSum:
      return "sum";
    case Agg::kMean:
      return "mean";
    case Agg::kMin:
      return "min";
    case Agg::kMax:
      return "max";
  }
  return "agg";
}

Column CountRows(const Groups& groups) {
  std::vector<int64_t> counts(groups.first_rows.size(), 0);
  for (uint32_t id : groups.ids) ++counts[id];
  return Column::Ints(std::move(counts));
}

Column CountValid(const Column& col, const Groups& groups) {
  std::vector<int64_t> counts(groups.first_rows.size(), 0);
  const std::vector<uint8_t>& valid = col.validity();
  for (size_t row = 0; row < groups.ids.size(); ++row) counts[groups.ids[row]] += valid[row];
  return Column::Ints(std::move(counts));
}

// Sum of the valid cells per group; a group with no valid cell sums to 0.
template <typename T>
std::vector<T> SumValid(const std::vector<T>& values, const Column& col, const Groups& groups) {
  std::vector<T> sums(groups.first_rows.size(), T{});
  const std::vector<uint8_t>& valid = col.validity();
  for (size_t row = 0; row < values.size(); ++row) {
    if (valid[row]) sums[groups.ids[row]] += values[row];
  }
  return sums;
}

Column Sum(const Column& col, const Groups& groups) {
  if (col.type() == DataType::kInt64) return Column::Ints(SumValid(col.ints(), col, groups));
  return Column::Doubles(SumValid(col.doubles(), col, groups));
}

// Mean of the valid cells per group; null for a group with none.
Column Mean(const Column& col, const Groups& groups) {
  const size_t n = groups.first_rows.size();
  std::vector<double> sums(n, 0.0);
  std::vector<int64_t> counts(n, 0);
  for (size_t row = 0; row < groups.ids.size(); ++row) {
    if (!col.IsValid(row)) continue;
    sums[groups.ids[row]] += col.NumberAt(row);
    ++counts[groups.ids[row]];
  }
  for (size_t g = 0; g < n; ++g) {
    if (counts[g] > 0) sums[g] /= static_cast<double>(counts[g]);
  }
  Column out = Column::Doubles(std::move(sums));
  for (size_t g = 0; g < n; ++g) {
    if (counts[g] == 0) out.SetNull(g);
  }
  return out;
}

// Minimum (or maximum) valid cell per group; null for a group with none.
template <typename T>
Column Extreme(const std::vector<T>& values, const Column& col, const Groups& groups, bool want_max,
               Column out) {
  const size_t n = groups.first_rows.size();
  std::vector<T> best(n);
  std::vector<uint8_t> seen(n, 0);
  for (size_t row = 0; row < values.size(); ++row) {
    if (!col.IsValid(row)) continue;
    const uint32_t g = groups.ids[row];
    if (!seen[g] || (want_max ? best[g] < values[row] : values[row] < best[g])) {
      best[g] = values[row];
      seen[g] = 1;
    }
  }
  for (size_t g = 0; g < n; ++g) {
    if (seen[g]) {
      out.Append(Value{std::move(best[g])});
    } else {
      out.AppendNull();
    }
  }
  return out;
}

Column MinMax(const Column& col, const Groups& groups, bool want_max) {
  Column out(col.type());
  out.Reserve(groups.first_rows.size());
  switch (col.type()) {
    case DataType::kInt64:
      return Extreme(col.ints(), col, groups, want_max, std::move(out));
    case DataType::kDouble:
      return Extreme(col.doubles(), col, groups, want_max, std::move(out));
    case DataType::kString:
      return Extreme(col.strings(), col, groups, want_max, std::move(out));
  }
  return out;
}

Column Compute(const Frame& frame, const Aggregate& agg, const Groups& groups) {
  if (agg.column.empty()) {
    if (agg.fn != Agg::kCount) {
      throw FrameError("GroupBy: " + AggName(agg.fn) + " needs a column");
    }
    return CountRows(groups);
  }
  const Column& col = frame.column(agg.column);
  if (col.type() == DataType::kString && (agg.fn == Agg::kSum || agg.fn == Agg::kMean)) {
    throw FrameError("GroupBy: cannot " + AggName(agg.fn) + " string column '" + agg.column + "'");
  }
  switch (agg.fn) {
    case Agg::kCount:
      return CountValid(col, groups);
    case Agg::kSum:
      return Sum(col, groups);
    case Agg::kMean:
      return Mean(col, groups);
    case Agg::kMin:
      return MinMax(col, groups, false);
    case Agg::kMax:
      return MinMax(col, groups, true);
  }
  return CountRows(groups);
}

}  // namespace

Frame Frame::GroupBy(const std::vector<std::string>& keys,
                     const std::vector<Aggregate>& aggs) const {
  const Groups groups = GroupRows(*this, keys);
  std::vector<std::string> names;
  std::vector<Column> columns;
  for (const std::string& key : keys) {
    names.push_back(key);
    columns.push_back(column(key).Take(groups.first_rows));
  }
  for (const Aggregate& agg : aggs) {
    std::string name = agg.as;
    if (name.empty()) name = agg.column.empty() ? "count" : AggName(agg.fn) + "_" + agg.column;
    names.push_back(std::move(name));
    columns.push_back(Compute(*this, agg, groups));
  }
  return Frame(std::move(names), std::move(columns));
}

std::vector<std::pair<std::vector<Value>, std::vector<size_t>>> Frame::GroupIndices(
    const std::vector<std::string>& keys) const {
  const Groups groups = GroupRows(*this, keys);
  std::vector<std::pair<std::vector<Value>, std::vector<size_t>>> out(groups.first_rows.size());
  for (size_t g = 0; g < out.size(); ++g) {
    for (const std::string& key : keys) out[g].first.push_back(At(groups.first_rows[g], key));
  }
  for (size_t row = 0; row < groups.ids.size(); ++row) out[groups.ids[row]].second.push_back(row);
  return out;
}

}  // namespace gym
