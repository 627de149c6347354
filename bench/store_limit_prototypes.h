// Prototypes of a key index outside SQLite's WAL, for `store_limit --dedup` (see
// store_limit.cc and docs/architecture.md, "Stored once"): each is measured before any of it
// is built into gym's storage floor. Bench code: fixed capacity, no crash recovery.
#ifndef GYM_BENCH_STORE_LIMIT_PROTOTYPES_H_
#define GYM_BENCH_STORE_LIMIT_PROTOTYPES_H_

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "gym/storage/key_index.h"

namespace store_limit {

[[noreturn]] void Fail(const std::string& what);  // store_limit.cc: says why, exits 1

class KeyIndexPrototype {
 public:
  virtual ~KeyIndexPrototype() = default;
  // True when `key` was absent (and is now present).
  virtual bool Insert(std::string_view key) = 0;
};

// One 64-bit half of a key's 128-bit hash: gym's key hash with the half's seed.
inline uint64_t KeyHash(std::string_view s, uint64_t seed) { return gym::KeyHash(s, seed); }

// The keyfile prototype: 16-byte slots (a 128-bit hash; all zero is an empty slot), linear
// probing, fixed capacity.
class KeyFile final : public KeyIndexPrototype {
 public:
  KeyFile(const std::string& path, uint64_t capacity) : path_(path) {
    slots_ = 1;
    while (slots_ < capacity) slots_ <<= 1;
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd_ < 0 || ::ftruncate(fd_, static_cast<off_t>(slots_ * 16)) != 0) Fail("keyfile " + path);
  }
  ~KeyFile() override {
    ::close(fd_);
    std::filesystem::remove(path_);
  }
  bool Insert(std::string_view key) override {
    uint64_t h[2] = {KeyHash(key, 0x9e3779b97f4a7c15ULL), KeyHash(key, 0xc2b2ae3d27d4eb4fULL) | 1};
    for (uint64_t slot = h[0] & (slots_ - 1);; slot = (slot + 1) & (slots_ - 1)) {
      uint64_t got[2];
      if (::pread(fd_, got, 16, static_cast<off_t>(slot * 16)) != 16) Fail("keyfile read");
      if (got[0] == h[0] && got[1] == h[1]) return false;
      if (got[0] == 0 && got[1] == 0) {
        if (::pwrite(fd_, h, 16, static_cast<off_t>(slot * 16)) != 16) Fail("keyfile write");
        return true;
      }
    }
  }

 private:
  std::string path_;
  uint64_t slots_ = 0;
  int fd_ = -1;
};

// The bucketfile prototype: 4 KB buckets of 255 16-byte hashes after a count, the counts and
// a Bloom filter (10 bits a key) in memory. A new key (the filter says absent) costs one
// pwrite and no read; a key the filter may know costs one pread of its bucket.
class BucketFile final : public KeyIndexPrototype {
 public:
  // `mapped`: the buckets are read and written through a shared mapping instead of
  // pread/pwrite, and the mapping's pages are dropped from the process every 64k keys (the
  // page cache keeps them), so they do not pile up in its resident set.
  BucketFile(const std::string& path, uint64_t capacity, bool mapped) : path_(path) {
    buckets_ = 1;
    while (buckets_ * kSlots < capacity) buckets_ <<= 1;
    counts_.assign(buckets_, 0);
    bloom_bits_ = 64;
    while (bloom_bits_ < capacity * 10) bloom_bits_ <<= 1;
    bloom_.assign(bloom_bits_ / 64, 0);
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd_ < 0 || ::ftruncate(fd_, static_cast<off_t>(buckets_ * 4096)) != 0) {
      Fail("bucketfile " + path);
    }
    if (mapped) {
      void* map = ::mmap(nullptr, buckets_ * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
      if (map == MAP_FAILED) Fail("bucketfile mmap");
      map_ = static_cast<char*>(map);
    }
  }
  ~BucketFile() override {
    if (map_ != nullptr) ::munmap(map_, buckets_ * 4096);
    ::close(fd_);
    std::filesystem::remove(path_);
  }
  bool Insert(std::string_view key) override {
    const uint64_t h[2] = {KeyHash(key, 0x9e3779b97f4a7c15ULL), KeyHash(key, 0xc2b2ae3d27d4eb4fULL)};
    const uint64_t bucket = h[0] & (buckets_ - 1);
    bool maybe = true;
    uint64_t probe = h[1];
    for (int i = 0; i < 7; ++i, probe = probe * 0x9e3779b97f4a7c15ULL + h[0]) {
      const uint64_t bit = (probe >> 7) & (bloom_bits_ - 1);
      maybe = maybe && (bloom_[bit / 64] >> (bit % 64) & 1);
    }
    const uint16_t n = counts_[bucket];
    if (maybe && n > 0) {
      uint64_t slots[2 * kSlots];
      const size_t bytes = size_t{n} * 16;
      if (map_ != nullptr) {
        std::memcpy(slots, map_ + bucket * 4096 + 16, bytes);
      } else if (::pread(fd_, slots, bytes, static_cast<off_t>(bucket * 4096 + 16)) !=
                 static_cast<ssize_t>(bytes)) {
        Fail("bucketfile read");
      }
      for (uint16_t i = 0; i < n; ++i) {
        if (slots[2 * i] == h[0] && slots[2 * i + 1] == h[1]) return false;
      }
    }
    if (n == kSlots) Fail("bucketfile: a bucket is full (the prototype does not grow)");
    if (map_ != nullptr) {
      std::memcpy(map_ + bucket * 4096 + 16 + n * 16, h, 16);
      if (++since_drop_ == 65536) {
        since_drop_ = 0;
        ::madvise(map_, buckets_ * 4096, MADV_DONTNEED);
      }
    } else if (::pwrite(fd_, h, 16, static_cast<off_t>(bucket * 4096 + 16 + n * 16)) != 16) {
      Fail("bucketfile write");
    }
    counts_[bucket] = static_cast<uint16_t>(n + 1);
    probe = h[1];
    for (int i = 0; i < 7; ++i, probe = probe * 0x9e3779b97f4a7c15ULL + h[0]) {
      const uint64_t bit = (probe >> 7) & (bloom_bits_ - 1);
      bloom_[bit / 64] |= uint64_t{1} << (bit % 64);
    }
    return true;
  }

 private:
  static constexpr uint64_t kSlots = 255;
  std::string path_;
  uint64_t buckets_ = 0;
  uint64_t bloom_bits_ = 0;
  std::vector<uint16_t> counts_;
  std::vector<uint64_t> bloom_;
  int fd_ = -1;
  char* map_ = nullptr;
  uint64_t since_drop_ = 0;
};


// The keylog prototype: the keys' 128-bit hashes appended to a log file, one write for every
// 4,096 keys (a commit group's worth); a blocked Bloom filter in memory (10 bits a key, all
// of a key's bits in one 64-byte line: one cache miss); the keys since the last merge in a
// hash set; older keys in one sorted run file with every 256th key in memory. When the recent
// keys reach `merge_every` they are sorted and merged into a new run, written in order. A key
// the filter may know is looked up in the recent set, then by one pread of 4 KB of the run.
class KeyLog final : public KeyIndexPrototype {
 public:
  KeyLog(const std::string& path, uint64_t capacity, size_t merge_every)
      : path_(path), merge_every_(merge_every) {
    blocks_ = std::max<uint64_t>(1, capacity * 10 / 512);
    bloom_.assign(blocks_ * 8, 0);
    log_fd_ = ::open((path + ".log").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
    if (log_fd_ < 0) Fail("keylog " + path);
  }
  ~KeyLog() override {
    ::close(log_fd_);
    if (run_fd_ >= 0) ::close(run_fd_);
    for (const char* suffix : {".log", ".run", ".run.new"}) {
      std::filesystem::remove(path_ + suffix);
    }
  }

  bool Insert(std::string_view key) override {
    const Key k{KeyHash(key, 0x9e3779b97f4a7c15ULL), KeyHash(key, 0xc2b2ae3d27d4eb4fULL)};
    uint64_t* line = &bloom_[(k.a % blocks_) * 8];
    bool maybe = true;
    for (int i = 0; i < 7; ++i) {
      const unsigned bit = static_cast<unsigned>(k.b >> (9 * i)) & 511;
      maybe = maybe && ((line[bit / 64] >> (bit % 64)) & 1);
    }
    if (maybe && (recent_.contains(k) || InRun(k))) return false;
    for (int i = 0; i < 7; ++i) {
      const unsigned bit = static_cast<unsigned>(k.b >> (9 * i)) & 511;
      line[bit / 64] |= uint64_t{1} << (bit % 64);
    }
    recent_.insert(k);
    pending_.push_back(k);
    if (pending_.size() == 4096) FlushLog();
    if (recent_.size() >= merge_every_) Merge();
    return true;
  }

 private:
  struct Key {
    uint64_t a, b;
    bool operator==(const Key& o) const { return a == o.a && b == o.b; }
    bool operator<(const Key& o) const { return a != o.a ? a < o.a : b < o.b; }
  };
  struct KeyHasher {
    size_t operator()(const Key& k) const { return k.a ^ (k.b * 0x9e3779b97f4a7c15ULL); }
  };
  static constexpr size_t kSparse = 256;  // keys (4 KB) of the run per in-memory entry

  void FlushLog() {
    const size_t bytes = pending_.size() * sizeof(Key);
    if (::write(log_fd_, pending_.data(), bytes) != static_cast<ssize_t>(bytes)) {
      Fail("keylog write");
    }
    pending_.clear();
  }

  bool InRun(const Key& k) const {
    if (sparse_.empty() || k < sparse_.front()) return false;
    const size_t block =
        static_cast<size_t>(std::upper_bound(sparse_.begin(), sparse_.end(), k) - sparse_.begin()) - 1;
    std::array<Key, kSparse> keys;
    const ssize_t got = ::pread(run_fd_, keys.data(), sizeof keys,
                                static_cast<off_t>(block * sizeof keys));
    if (got < 0) Fail("keylog read");
    const size_t n = static_cast<size_t>(got) / sizeof(Key);
    return std::binary_search(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(n), k);
  }

  // The recent keys, sorted, merged with the run into a new run, written in order.
  void Merge() {
    std::vector<Key> fresh(recent_.begin(), recent_.end());
    std::sort(fresh.begin(), fresh.end());
    const std::string next = path_ + ".run.new";
    const int out = ::open(next.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0) Fail("keylog merge " + next);
    std::vector<Key> buffer, chunk(65536);
    std::vector<Key> sparse;
    size_t written = 0, fi = 0;
    auto emit = [&](const Key& k) {
      if (written % kSparse == 0) sparse.push_back(k);
      ++written;
      buffer.push_back(k);
      if (buffer.size() == 65536) {
        if (::write(out, buffer.data(), buffer.size() * sizeof(Key)) < 0) Fail("keylog merge");
        buffer.clear();
      }
    };
    off_t at = 0;
    while (run_fd_ >= 0) {
      const ssize_t got = ::pread(run_fd_, chunk.data(), chunk.size() * sizeof(Key), at);
      if (got <= 0) break;
      at += got;
      for (size_t i = 0; i < static_cast<size_t>(got) / sizeof(Key); ++i) {
        while (fi < fresh.size() && fresh[fi] < chunk[i]) emit(fresh[fi++]);
        emit(chunk[i]);
      }
    }
    while (fi < fresh.size()) emit(fresh[fi++]);
    if (!buffer.empty() && ::write(out, buffer.data(), buffer.size() * sizeof(Key)) < 0) {
      Fail("keylog merge");
    }
    ::close(out);
    if (run_fd_ >= 0) ::close(run_fd_);
    std::filesystem::rename(next, path_ + ".run");
    run_fd_ = ::open((path_ + ".run").c_str(), O_RDONLY);
    if (run_fd_ < 0) Fail("keylog run");
    sparse_ = std::move(sparse);
    recent_.clear();
  }

  std::string path_;
  size_t merge_every_;
  uint64_t blocks_ = 0;
  std::vector<uint64_t> bloom_;
  std::unordered_set<Key, KeyHasher> recent_;
  std::vector<Key> pending_;
  std::vector<Key> sparse_;
  int log_fd_ = -1;
  int run_fd_ = -1;
};

}  // namespace store_limit

#endif  // GYM_BENCH_STORE_LIMIT_PROTOTYPES_H_
