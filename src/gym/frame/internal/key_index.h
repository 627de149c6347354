// KeyIndex: gives every distinct value of a key column a dense id, in first-appearance order.
//
// GroupBy factorizes each key column with it and combines the ids; InnerJoin builds one over
// the right key and probes it with the left key. Null is a key of its own for grouping, but a
// null probe never matches (SQL join semantics).
#ifndef GYM_FRAME_INTERNAL_KEY_INDEX_H_
#define GYM_FRAME_INTERNAL_KEY_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gym/frame/column.h"
#include "gym/frame/internal/int_hash_map.h"

namespace gym::frame_internal {

class KeyIndex final {
 public:
  // Indexes every row of `column`, which must outlive this index when it holds strings.
  explicit KeyIndex(const Column& column);

  // Id of each row of the indexed column.
  const std::vector<uint32_t>& ids() const { return ids_; }
  // First row holding each id.
  const std::vector<size_t>& first_rows() const { return first_rows_; }
  size_t num_keys() const { return first_rows_.size(); }

  // The id whose key equals row `row` of `probe`; nothing for a null cell or an absent key.
  // An int64 probe finds an equal double key and vice versa. REQUIRES: both numeric or both
  // strings.
  std::optional<uint32_t> Find(const Column& probe, size_t row) const;

 private:
  uint32_t Assign(std::optional<uint32_t>& slot, size_t row);
  void IndexNumbers(const Column& column);
  void IndexStrings(const Column& column);

  DataType type_;
  IntHashMap numbers_;
  std::unordered_map<std::string_view, uint32_t> strings_;
  std::optional<uint32_t> null_id_;
  std::vector<uint32_t> ids_;
  std::vector<size_t> first_rows_;
};

// Bits of a double as a hash key: -0.0 equals 0.0 and every NaN is one key.
int64_t DoubleKey(double d);

}  // namespace gym::frame_internal

#endif  // GYM_FRAME_INTERNAL_KEY_INDEX_H_
