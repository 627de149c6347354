// IntHashMap: an open-addressing hash map from int64 keys to uint32 ids.
//
// Group-by and join spend most of their time looking keys up; std::unordered_map allocates a
// node per key and chases pointers. Here key, id and occupancy share one 16-byte slot in a flat
// array with linear probing, so a lookup usually costs a single cache miss. Only
// insert-or-find and find are needed.
#ifndef GYM_FRAME_INTERNAL_INT_HASH_MAP_H_
#define GYM_FRAME_INTERNAL_INT_HASH_MAP_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace gym::frame_internal {

class IntHashMap final {
 public:
  explicit IntHashMap(size_t expected = 16) { Rehash(CapacityFor(expected)); }

  // The id stored for `key`, inserting `id_if_new` when the key is absent. `inserted` tells which.
  uint32_t FindOrInsert(int64_t key, uint32_t id_if_new, bool& inserted) {
    if ((size_ + 1) * 2 > slots_.size()) Rehash(slots_.size() * 2);
    Slot& slot = slots_[Probe(key)];
    inserted = !slot.used;
    if (inserted) {
      slot = Slot{key, id_if_new, 1};
      ++size_;
    }
    return slot.id;
  }

  std::optional<uint32_t> Find(int64_t key) const {
    const Slot& slot = slots_[Probe(key)];
    if (!slot.used) return std::nullopt;
    return slot.id;
  }

  size_t size() const { return size_; }

 private:
  struct Slot {
    int64_t key;
    uint32_t id;
    uint32_t used;
  };

  static size_t CapacityFor(size_t expected) {
    size_t capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    return capacity;
  }

  // Fibonacci hashing spreads sequential ids (the common key shape) over the table.
  size_t Home(int64_t key) const {
    return static_cast<size_t>((static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ULL) >> shift_);
  }

  // The slot holding `key`, or the empty slot where it would go.
  size_t Probe(int64_t key) const {
    const size_t mask = slots_.size() - 1;
    size_t i = Home(key);
    while (slots_[i].used && slots_[i].key != key) i = (i + 1) & mask;
    return i;
  }

  void Rehash(size_t capacity) {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(capacity, Slot{0, 0, 0});
    shift_ = 64;
    for (size_t c = capacity; c > 1; c >>= 1) --shift_;
    for (const Slot& slot : old) {
      if (slot.used) slots_[Probe(slot.key)] = slot;
    }
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;
  int shift_ = 64;
};

}  // namespace gym::frame_internal

#endif  // GYM_FRAME_INTERNAL_INT_HASH_MAP_H_
