// The key index beside a table: memtable, sorted runs, Bloom filter, merges (key_index.h).
#include "gym/storage/key_index.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "spdlog/spdlog.h"

namespace gym {
namespace {

using Entry = KeyIndex::Entry;
static_assert(sizeof(Entry) == 16, "run files hold Entry as it is in memory");

constexpr size_t kBlockEntries = 256;  // 4 KB: one pread per run and look-up
constexpr size_t kBitsPerKey = 10;     // about 1% false positives for a blocked filter
constexpr uint64_t kMinCapacity = uint64_t{1} << 16;
// The memtable's first size, in slots (16 bytes each); it doubles as keys arrive.
constexpr size_t kFirstSlots = 1024;

absl::Status ErrnoError(std::string_view what) {
  return absl::UnavailableError(absl::StrCat("key index: ", std::string(what), ": ", std::strerror(errno)));
}

// An unlinked file in `dir`: it vanishes with its last descriptor, crash or not.
absl::StatusOr<int> OpenTempFile(const std::string& dir) {
  std::error_code ec;
  const std::string where = dir.empty() ? std::filesystem::temp_directory_path(ec).string() : dir;
  int fd = ::open(where.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  // Filesystems without O_TMPFILE: create (mkostemp fills in the X's), then unlink at once.
  std::string name = where + "/.gym-keys-XXXXXX";
  fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) return ErrnoError(absl::StrCat("creating a run file in ", where));
  ::unlink(name.c_str());
  return fd;
}

absl::Status WriteAll(int fd, const void* data, size_t bytes) {
  const char* p = static_cast<const char*>(data);
  while (bytes > 0) {
    const ssize_t n = ::write(fd, p, bytes);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return ErrnoError("writing a run file");
    p += n;
    bytes -= static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

// Reads up to `count` entries at entry `first`; returns how many were read.
absl::StatusOr<size_t> ReadEntries(int fd, uint64_t first, Entry* out, size_t count) {
  size_t done = 0;
  while (done < count) {
    const ssize_t n = ::pread(fd, reinterpret_cast<char*>(out) + done * sizeof(Entry),
                              (count - done) * sizeof(Entry),
                              static_cast<off_t>((first + done) * sizeof(Entry)));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError("reading a run file");
    if (n == 0) break;
    done += static_cast<size_t>(n) / sizeof(Entry);
  }
  return done;
}

}  // namespace

uint64_t KeyHash(std::string_view key, uint64_t seed) {
  uint64_t h = seed ^ (key.size() * 0xff51afd7ed558ccdULL);
  for (unsigned char c : key) h = (h ^ c) * 0x100000001b3ULL;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  return h ^ (h >> 33);
}

// An immutable file of entries sorted by (hash, rowid), with the first hash of every block.
class KeyIndex::Run {
 public:
  Run(int fd, uint64_t count, std::vector<uint64_t> fences)
      : fd_(fd), count_(count), fences_(std::move(fences)) {}
  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;
  ~Run() { ::close(fd_); }

  uint64_t count() const { return count_; }
  int fd() const { return fd_; }

  absl::Status Find(uint64_t hash, std::vector<int64_t>& rowids) const {
    if (fences_.empty() || hash < fences_.front()) return absl::OkStatus();
    // The last block starting below `hash` may end with it; a hash with several rowids may
    // go on into the blocks after it.
    size_t block = static_cast<size_t>(
        std::lower_bound(fences_.begin(), fences_.end(), hash) - fences_.begin());
    if (block > 0) --block;
    std::array<Entry, kBlockEntries> entries;
    for (; block < fences_.size(); ++block) {
      absl::StatusOr<size_t> got =
          ReadEntries(fd_, block * kBlockEntries, entries.data(), kBlockEntries);
      if (!got.ok()) return got.status();
      const Entry* end = entries.data() + *got;
      const Entry* it =
          std::lower_bound(static_cast<const Entry*>(entries.data()), end, Entry{hash, INT64_MIN});
      for (; it != end && it->hash == hash; ++it) rowids.push_back(it->rowid);
      if (it != end || block + 1 == fences_.size() || fences_[block + 1] != hash) break;
    }
    return absl::OkStatus();
  }

 private:
  int fd_;
  uint64_t count_;
  std::vector<uint64_t> fences_;
};

namespace {

// Appends sorted entries to a new run file through a buffer.
class RunWriter {
 public:
  static absl::StatusOr<RunWriter> Open(const std::string& dir) {
    absl::StatusOr<int> fd = OpenTempFile(dir);
    if (!fd.ok()) return fd.status();
    return RunWriter(*fd);
  }
  RunWriter(RunWriter&& o) noexcept
      : fd_(std::exchange(o.fd_, -1)),
        count_(o.count_),
        buffer_(std::move(o.buffer_)),
        fences_(std::move(o.fences_)) {}
  ~RunWriter() {
    if (fd_ >= 0) ::close(fd_);
  }

  absl::Status Append(const Entry& e) {
    if (count_ % kBlockEntries == 0) fences_.push_back(e.hash);
    ++count_;
    buffer_.push_back(e);
    if (buffer_.size() < kFlushEntries) return absl::OkStatus();
    absl::Status s = WriteAll(fd_, buffer_.data(), buffer_.size() * sizeof(Entry));
    buffer_.clear();
    return s;
  }

  absl::StatusOr<std::shared_ptr<const KeyIndex::Run>> Finish() {
    if (!buffer_.empty()) {
      if (absl::Status s = WriteAll(fd_, buffer_.data(), buffer_.size() * sizeof(Entry));
          !s.ok()) {
        return s;
      }
    }
    fences_.shrink_to_fit();
    return std::make_shared<const KeyIndex::Run>(std::exchange(fd_, -1), count_,
                                                 std::move(fences_));
  }

 private:
  static constexpr size_t kFlushEntries = 4096;  // 64 KB writes
  explicit RunWriter(int fd) : fd_(fd) { buffer_.reserve(kFlushEntries); }
  int fd_;
  uint64_t count_ = 0;
  std::vector<Entry> buffer_;
  std::vector<uint64_t> fences_;
};

// Reads a run in order, 64 KB at a time.
class RunCursor {
 public:
  explicit RunCursor(const KeyIndex::Run& run) : run_(run) {}
  // The current entry; null at the end.
  absl::StatusOr<const Entry*> Peek() {
    if (at_ == buffer_.size()) {
      if (next_ >= run_.count()) return nullptr;
      buffer_.resize(kReadEntries);
      absl::StatusOr<size_t> got = ReadEntries(run_.fd(), next_, buffer_.data(), kReadEntries);
      if (!got.ok()) return got.status();
      if (*got == 0) return absl::DataLossError("key index: a run file ended early");
      buffer_.resize(*got);
      next_ += *got;
      at_ = 0;
    }
    return &buffer_[at_];
  }
  void Next() { ++at_; }

 private:
  static constexpr size_t kReadEntries = 4096;
  const KeyIndex::Run& run_;
  std::vector<Entry> buffer_;
  size_t at_ = 0;
  uint64_t next_ = 0;
};

// Calls `visit(entry)` for every entry of `run`, in order.
template <typename Visit>
absl::Status ForEachEntry(const KeyIndex::Run& run, Visit visit) {
  RunCursor cursor(run);
  while (true) {
    absl::StatusOr<const Entry*> e = cursor.Peek();
    if (!e.ok()) return e.status();
    if (*e == nullptr) return absl::OkStatus();
    visit(**e);
    cursor.Next();
  }
}

}  // namespace

namespace {

// Merges `inputs` into one run, in order. Gives up (CANCELLED) when `stopping` turns true.
absl::StatusOr<std::shared_ptr<const KeyIndex::Run>> MergeRuns(
    const std::string& dir, const std::vector<std::shared_ptr<const KeyIndex::Run>>& inputs,
    const bool& stopping, std::mutex& mu) {
  absl::StatusOr<RunWriter> out = RunWriter::Open(dir);
  if (!out.ok()) return out.status();
  std::vector<RunCursor> cursors;
  cursors.reserve(inputs.size());
  for (const auto& run : inputs) cursors.emplace_back(*run);
  for (uint64_t written = 0;; ++written) {
    if (written % (uint64_t{1} << 20) == 0) {
      std::lock_guard<std::mutex> lock(mu);
      if (stopping) return absl::CancelledError("key index: stopping");
    }
    RunCursor* least = nullptr;
    const Entry* least_entry = nullptr;
    for (RunCursor& c : cursors) {
      absl::StatusOr<const Entry*> e = c.Peek();
      if (!e.ok()) return e.status();
      if (*e != nullptr && (least_entry == nullptr || **e < *least_entry)) {
        least = &c;
        least_entry = *e;
      }
    }
    if (least == nullptr) break;
    if (absl::Status s = out->Append(*least_entry); !s.ok()) return s;
    least->Next();
  }
  return out->Finish();
}

absl::StatusOr<std::shared_ptr<const KeyIndex::Run>> WriteRun(const std::string& dir,
                                                              const std::vector<Entry>& sorted) {
  absl::StatusOr<RunWriter> out = RunWriter::Open(dir);
  if (!out.ok()) return out.status();
  for (const Entry& e : sorted) {
    if (absl::Status s = out->Append(e); !s.ok()) return s;
  }
  return out->Finish();
}

}  // namespace

absl::StatusOr<std::unique_ptr<KeyIndex>> KeyIndex::Create(Options options) {
  if (options.memtable_entries == 0 || options.merge_fanout < 2) {
    return absl::InvalidArgumentError("key index: memtable_entries > 0 and merge_fanout >= 2");
  }
  std::unique_ptr<KeyIndex> index(new KeyIndex(std::move(options)));
  if (absl::Status s = index->GrowFilter(); !s.ok()) return s;
  index->merger_ = std::thread([raw = index.get()] { raw->MergeLoop(); });
  return index;
}

KeyIndex::KeyIndex(Options options) : options_(std::move(options)) {
  while (max_slots_ < 2 * options_.memtable_entries) max_slots_ *= 2;
  slots_.assign(std::min(max_slots_, kFirstSlots), Entry{0, kEmptySlot});
}

KeyIndex::~KeyIndex() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  merge_cv_.notify_all();
  if (merger_.joinable()) merger_.join();
}

size_t KeyIndex::run_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return runs_.size();
}

absl::StatusOr<std::vector<std::shared_ptr<const KeyIndex::Run>>> KeyIndex::Runs() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!merge_error_.ok()) return merge_error_;
  return runs_;
}

absl::Status KeyIndex::merge_status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return merge_error_;
}

// The filter's line for a hash comes from its high bits (a multiply-shift range reduction),
// the seven bits inside the line from a remix of all of them (nine bits each).
size_t KeyIndex::LineOf(uint64_t hash) const {
  return static_cast<size_t>((static_cast<unsigned __int128>(hash) * blocks_) >> 64) * 8;
}

uint64_t KeyIndex::BitsOf(uint64_t hash) { return (hash ^ (hash >> 31)) * 0x9e3779b97f4a7c15ULL; }

bool KeyIndex::MayContain(uint64_t hash) const {
  const uint64_t* line = &filter_[LineOf(hash)];
  const uint64_t bits = BitsOf(hash);
  for (int i = 0; i < 7; ++i) {
    const unsigned bit = static_cast<unsigned>(bits >> (9 * i)) & 511;
    if (((line[bit / 64] >> (bit % 64)) & 1) == 0) return false;
  }
  return true;
}

void KeyIndex::Prefetch(uint64_t hash) const {
  const uint64_t* line = &filter_[LineOf(hash)];
  __builtin_prefetch(line);
  __builtin_prefetch(line + 7);  // the vector's lines need not start on a cache line
  __builtin_prefetch(&slots_[static_cast<size_t>(hash) & (slots_.size() - 1)]);
}

void KeyIndex::Remember(uint64_t hash) {
  uint64_t* line = &filter_[LineOf(hash)];
  const uint64_t bits = BitsOf(hash);
  for (int i = 0; i < 7; ++i) {
    const unsigned bit = static_cast<unsigned>(bits >> (9 * i)) & 511;
    line[bit / 64] |= uint64_t{1} << (bit % 64);
  }
}

// A filter for half as many keys again as the index holds, filled from every key it holds.
// It reads every run once; growth by half keeps that to a few times over the index's life.
absl::Status KeyIndex::GrowFilter() {
  const auto start = std::chrono::steady_clock::now();
  capacity_ = std::max({kMinCapacity, options_.expected_keys, size_ + size_ / 2});
  blocks_ = (capacity_ * kBitsPerKey + 511) / 512;
  // The old filter goes first: it is filled again from the keys themselves, and holding both
  // at once would be the index's peak memory.
  std::vector<uint64_t>().swap(filter_);
  filter_.assign(blocks_ * 8, 0);
  for (const Entry& e : slots_) {
    if (e.rowid != kEmptySlot) Remember(e.hash);
  }
  absl::StatusOr<std::vector<std::shared_ptr<const Run>>> runs = Runs();
  if (!runs.ok()) return runs.status();
  for (const auto& run : *runs) {
    if (absl::Status s = ForEachEntry(*run, [&](const Entry& e) { Remember(e.hash); });
        !s.ok()) {
      return s;
    }
  }
  // It runs on the writer's thread, so a long one is a pause every writer sees: say so.
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (ms >= 50) {
    spdlog::info("key index: Bloom filter grown to {} keys ({} MiB) from {} keys in {:.0f} ms",
                 capacity_, filter_.size() * 8 >> 20, size_, ms);
  }
  return absl::OkStatus();
}

absl::Status KeyIndex::Add(uint64_t hash, int64_t rowid) {
  if (size_ + 1 > capacity_) {
    if (absl::Status s = GrowFilter(); !s.ok()) return s;
  }
  if (2 * (memtable_size_ + 1) > slots_.size()) GrowMemtable();
  Place(hash, rowid);
  Remember(hash);
  ++size_;
  if (++memtable_size_ >= options_.memtable_entries) return FlushMemtable();
  return absl::OkStatus();
}

void KeyIndex::Place(uint64_t hash, int64_t rowid) {
  const size_t mask = slots_.size() - 1;
  size_t at = static_cast<size_t>(hash) & mask;
  while (slots_[at].rowid != kEmptySlot) at = (at + 1) & mask;
  slots_[at] = {hash, rowid};
}

// Doubles the memtable's slots, up to twice `memtable_entries`: a table that gets few keys
// (a process's clients or scores beside millions of transactions) keeps a few kilobytes
// instead of the full 2 MB.
void KeyIndex::GrowMemtable() {
  if (slots_.size() >= max_slots_) return;
  std::vector<Entry> old(slots_.size() * 2, Entry{0, kEmptySlot});
  old.swap(slots_);
  for (const Entry& e : old) {
    if (e.rowid != kEmptySlot) Place(e.hash, e.rowid);
  }
}

absl::Status KeyIndex::Find(uint64_t hash, std::vector<int64_t>& rowids) const {
  if (!MayContain(hash)) return absl::OkStatus();
  const size_t mask = slots_.size() - 1;
  for (size_t at = static_cast<size_t>(hash) & mask; slots_[at].rowid != kEmptySlot;
       at = (at + 1) & mask) {
    if (slots_[at].hash == hash) rowids.push_back(slots_[at].rowid);
  }
  absl::StatusOr<std::vector<std::shared_ptr<const Run>>> runs = Runs();
  if (!runs.ok()) return runs.status();
  for (const auto& run : *runs) {
    if (absl::Status s = run->Find(hash, rowids); !s.ok()) return s;
  }
  return absl::OkStatus();
}

// Writes the memtable as a run on this thread: sorting and writing 1 MB take a few
// milliseconds, where handing it to the merge thread could wait behind a long merge.
absl::Status KeyIndex::FlushMemtable() {
  std::vector<Entry> sorted;
  sorted.reserve(memtable_size_);
  for (Entry& e : slots_) {
    if (e.rowid == kEmptySlot) continue;
    sorted.push_back(e);
    e.rowid = kEmptySlot;
  }
  memtable_size_ = 0;
  std::sort(sorted.begin(), sorted.end());
  absl::StatusOr<std::shared_ptr<const Run>> run = WriteRun(options_.dir, sorted);
  if (!run.ok()) return run.status();
  {
    std::lock_guard<std::mutex> lock(mu_);
    runs_.push_back(*std::move(run));
  }
  merge_cv_.notify_all();
  return absl::OkStatus();
}

std::vector<std::shared_ptr<const KeyIndex::Run>> KeyIndex::PickMerge() const {
  // Size-tiered: a run's tier is how many times `fanout` its size is over a memtable's.
  // `fanout` runs of one tier merge into one of the next, so each key is rewritten once per
  // tier (a few times in all) and a look-up reads at most fanout - 1 runs per tier.
  auto tier = [&](const Run& run) {
    int t = 0;
    for (uint64_t size = options_.memtable_entries * options_.merge_fanout; run.count() >= size;
         size *= options_.merge_fanout) {
      ++t;
    }
    return t;
  };
  std::array<int, 64> per_tier{};
  for (const auto& run : runs_) ++per_tier[static_cast<size_t>(std::min(tier(*run), 63))];
  for (size_t t = 0; t < per_tier.size(); ++t) {
    if (static_cast<size_t>(per_tier[t]) < options_.merge_fanout) continue;
    std::vector<std::shared_ptr<const Run>> picked;
    for (const auto& run : runs_) {
      if (static_cast<size_t>(std::min(tier(*run), 63)) == t) picked.push_back(run);
      if (picked.size() == options_.merge_fanout) break;
    }
    return picked;
  }
  return {};
}


void KeyIndex::MergeLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    std::vector<std::shared_ptr<const Run>> inputs;
    merge_cv_.wait(lock, [&] {
      if (stopping_ || !merge_error_.ok()) return true;
      inputs = PickMerge();
      return !inputs.empty();
    });
    if (stopping_ || !merge_error_.ok()) break;
    merging_ = true;
    lock.unlock();
    absl::StatusOr<std::shared_ptr<const Run>> merged =
        MergeRuns(options_.dir, inputs, stopping_, mu_);
    lock.lock();
    if (merged.ok()) {
      std::erase_if(runs_, [&](const std::shared_ptr<const Run>& run) {
        return std::find(inputs.begin(), inputs.end(), run) != inputs.end();
      });
      runs_.push_back(*std::move(merged));
    } else if (!stopping_) {
      merge_error_ = merged.status();
    }
    merging_ = false;
    idle_cv_.notify_all();
  }
  merging_ = false;
  idle_cv_.notify_all();
}

void KeyIndex::WaitForMerges() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_cv_.wait(lock, [&] { return stopping_ || !merge_error_.ok() || (!merging_ && PickMerge().empty()); });
}

}  // namespace gym
