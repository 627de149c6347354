// KeyIndex: a set of (64-bit key hash, rowid) pairs kept beside a SQLite table instead of a
// UNIQUE index inside it, so that random keys (client UUIDs) cost about what neighbouring
// keys cost. docs/architecture.md ("Stored once") has the measurements behind it.
//
// Why not SQLite's own index: its WAL logs whole pages, and random keys dirty a different
// index page each once the index outgrows a commit, so every commit wrote megabytes.
// Here a new key costs a Bloom-filter probe and a hash-map insert; keys reach disk in
// sorted runs written in order, and runs are merged on a thread of their own.
//
// Layout, in the manner of an LSM tree:
// - the newest keys in a fixed open-addressing table (the memtable), at most
//   `memtable_entries` of them; a full one is sorted and written as a run, on the caller's
//   thread (a few milliseconds), so memory never waits on a merge;
// - older keys in immutable run files of sorted entries, with the first hash of every 4 KB
//   block in memory; a look-up reads one block of each run with `pread`;
// - one blocked Bloom filter over every key (about 10 bits a key, one cache line a probe),
//   so a key never stored costs no read at all, whatever the number of runs.
// Runs are unlinked temporary files in `dir`: the index is derived data, rebuilt from its
// table when a process starts (UniqueKeys does that), so a crash leaves nothing to clean up.
//
// A hash is not a key: Find returns every row that may hold the key, and the caller reads
// those rows to compare. A KeyIndex is used by one thread at a time; its merges run on a
// thread it owns.
#ifndef GYM_STORAGE_KEY_INDEX_H_
#define GYM_STORAGE_KEY_INDEX_H_

#include <condition_variable>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gym {

// The hash KeyIndex stores: stable across processes and builds (FNV-1a over the bytes, then
// a 64-bit finalizer so that neighbouring keys land far apart). Other seeds give independent
// hashes (store_limit's prototypes build 128-bit ones from two).
inline constexpr uint64_t kKeyHashSeed = 0xcbf29ce484222325ULL;
uint64_t KeyHash(std::string_view key, uint64_t seed = kKeyHashSeed);

class KeyIndex final {
 public:
  struct Options {
    std::string dir;  // where the run files go; empty: the system's temporary directory
    size_t memtable_entries = size_t{1} << 16;  // 1 MB sorted, 2 MB as a table
    uint64_t expected_keys = 0;  // sizes the Bloom filter up front
    size_t merge_fanout = 4;     // runs of one size merged at once
  };
  struct Entry {
    uint64_t hash;
    int64_t rowid;
    bool operator<(const Entry& o) const {
      return hash != o.hash ? hash < o.hash : rowid < o.rowid;
    }
  };
  class Run;  // one immutable sorted run file (key_index.cc)

  [[nodiscard]] static absl::StatusOr<std::unique_ptr<KeyIndex>> Create(Options options);
  KeyIndex(const KeyIndex&) = delete;
  KeyIndex& operator=(const KeyIndex&) = delete;
  ~KeyIndex();  // stops a merge in progress

  // Adds a key known to be stored at `rowid`. A failure (a run file that could not be written
  // or read) leaves the index incomplete: drop it and build a new one.
  [[nodiscard]] absl::Status Add(uint64_t hash, int64_t rowid);
  // Appends to `rowids` every row that may hold a key with this hash (none, almost always,
  // for a new key).
  [[nodiscard]] absl::Status Find(uint64_t hash, std::vector<int64_t>& rowids) const;
  // Asks the CPU to fetch what Add or Find of `hash` reads first (its Bloom filter line, its
  // memtable slot). A key's line is a cache miss once the filter outgrows the cache; a caller
  // with many keys issues these some keys ahead, so the misses overlap instead of queueing.
  void Prefetch(uint64_t hash) const;

  uint64_t size() const { return size_; }
  // The memtable's memory now: it starts small and grows with the keys it holds.
  size_t memtable_bytes() const { return slots_.capacity() * sizeof(Entry); }
  size_t run_count() const;
  // Blocks until no merge is due or running. For tests and benchmarks.
  void WaitForMerges();
  // An error of the merge thread, if any; the next Add or Find returns it too.
  absl::Status merge_status() const;

 private:
  explicit KeyIndex(Options options);
  size_t LineOf(uint64_t hash) const;  // the filter's cache line (index of its first word)
  static uint64_t BitsOf(uint64_t hash);  // the seven bit positions inside it
  bool MayContain(uint64_t hash) const;
  // The runs now; the merge thread's error, if it failed.
  [[nodiscard]] absl::StatusOr<std::vector<std::shared_ptr<const Run>>> Runs() const;
  void Remember(uint64_t hash);  // into the Bloom filter
  void Place(uint64_t hash, int64_t rowid);  // into the memtable, which has room
  void GrowMemtable();
  [[nodiscard]] absl::Status GrowFilter();
  [[nodiscard]] absl::Status FlushMemtable();
  void MergeLoop();
  // The runs the merge thread should merge next; empty when none is due. REQUIRES: mu_ held.
  std::vector<std::shared_ptr<const Run>> PickMerge() const;

  const Options options_;
  uint64_t size_ = 0;
  // The Bloom filter: `blocks_` cache lines of 512 bits, sized for `capacity_` keys.
  uint64_t capacity_ = 0;
  uint64_t blocks_ = 0;
  std::vector<uint64_t> filter_;
  // The memtable: linear probing over at least twice as many slots as it holds keys (up to
  // `max_slots_`: twice `memtable_entries`), kEmptySlot rowids free. A hash may take several
  // slots (one per rowid).
  static constexpr int64_t kEmptySlot = INT64_MIN;
  size_t max_slots_ = 2;
  std::vector<Entry> slots_;
  size_t memtable_size_ = 0;

  mutable std::mutex mu_;  // guards runs_, merging_, merge_error_, stopping_
  std::condition_variable merge_cv_;
  std::condition_variable idle_cv_;
  std::vector<std::shared_ptr<const Run>> runs_;
  bool merging_ = false;
  bool stopping_ = false;
  absl::Status merge_error_;
  std::thread merger_;
};

}  // namespace gym

#endif  // GYM_STORAGE_KEY_INDEX_H_
