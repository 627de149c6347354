// GroupCommitWriter: one thread per database that commits every waiting frame at once.
#include "gym/storage/group_commit_writer.h"

#include <algorithm>
#include <exception>
#include <future>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gym/storage/commit_backend.h"
#include "gym/storage/identifiers.h"
#include "gym/storage/pg_commit_backend.h"
#include "gym/storage/sqlite_commit_backend.h"
#include "gym/storage/sqlite_connection.h"
#include "spdlog/spdlog.h"

namespace gym {

absl::Status CheckWritableDatabase(const std::string& db) {
  if (IsPostgresTarget(db)) return OpenPostgresBackend(db).status();
  return OpenForWriting(db).status();
}

absl::StatusOr<std::unique_ptr<GroupCommitWriter>> GroupCommitWriter::Open(const std::string& db,
                                                                           WriterOptions options) {
  std::vector<std::unique_ptr<CommitBackend>> backends;
  if (IsPostgresTarget(db)) {
    const size_t connections = options.connections == 0 ? 2 : options.connections;
    for (size_t i = 0; i < connections; ++i) {
      auto pg = OpenPostgresBackend(db, PostgresOptions{.busy_timeout = options.busy_timeout});
      if (!pg.ok()) return pg.status();
      backends.push_back(*std::move(pg));
    }
  } else {
    auto sqlite = SqliteCommitBackend::Open(db, options.synchronous_full, options.busy_timeout);
    if (!sqlite.ok()) return sqlite.status();
    backends.push_back(*std::move(sqlite));
    options.connections = 1;  // one writer per SQLite database
  }
  return std::make_unique<GroupCommitWriter>(std::move(backends), options);
}

GroupCommitWriter::GroupCommitWriter(std::vector<std::unique_ptr<CommitBackend>> backends,
                                     WriterOptions options)
    : backends_(std::move(backends)),
      description_(backends_.front()->Describe()),
      options_(options) {
  options_.max_group_frames = std::max<size_t>(options_.max_group_frames, 1);
  options_.connections = backends_.size();
  delivery_thread_ = std::thread([this] { RunDeliveries(); });
  for (size_t i = 0; i < backends_.size(); ++i) threads_.emplace_back([this, i] { Run(i); });
}

GroupCommitWriter::~GroupCommitWriter() {
  {
    // Everything queued is committed and delivered first, including writes that done
    // callbacks make meanwhile: the writer thread is still there to take them.
    std::unique_lock<std::mutex> lock(mu_);
    drained_cv_.wait(lock, [this] { return done_below_ >= enqueued_; });
    stopping_ = true;
  }
  work_cv_.notify_all();
  for (std::thread& t : threads_) t.join();
  backends_.clear();  // no commit runs any more
  {
    std::lock_guard<std::mutex> lock(mu_);
    delivery_stopping_ = true;
  }
  delivery_cv_.notify_all();
  delivery_thread_.join();  // after every delivery queued so far
}

void GroupCommitWriter::Write(TableOptions table, Frame frame, Done done) {
  Item item;
  item.parts.emplace_back(std::move(table), std::move(frame));
  item.done = std::move(done);
  Enqueue(std::move(item));
}

void GroupCommitWriter::WriteAll(std::vector<std::pair<TableOptions, Frame>> parts, Done done) {
  Item item;
  item.parts = std::move(parts);
  item.done = std::move(done);
  Enqueue(std::move(item));
}

void GroupCommitWriter::Enqueue(Item item) {
  std::unique_lock<std::mutex> lock(mu_);
  item.seq = enqueued_++;
  // Queue order is commit order (and callback order), so the caller may go first only when
  // nothing is waiting, committing or being delivered.
  if (!options_.commit_on_caller_when_idle || item.task || active_ > 0 || !queue_.empty() ||
      undelivered_ > 0 || stopping_) {
    queue_.push_back(std::move(item));
    lock.unlock();
    work_cv_.notify_one();
    return;
  }
  ++active_;
  caller_committing_ = true;
  const CommitObserver observer = observer_;
  lock.unlock();
  Delivery delivery;
  delivery.first_seq = item.seq;
  delivery.handled = 1;
  delivery.items.push_back(std::move(item));
  CommitGroup(*backends_.front(), delivery, observer);
  Deliver(delivery);
  lock.lock();
  caller_committing_ = false;
  --active_;
  SettledLocked(delivery.first_seq, 1);
  // What arrived meanwhile waited for this commit; the writer thread takes it as one group.
  // A stopping writer waits for this commit to end before it drains and exits.
  const bool wake_writer = !queue_.empty() || stopping_;
  lock.unlock();
  drained_cv_.notify_all();
  if (wake_writer) work_cv_.notify_one();
}

void GroupCommitWriter::Flush() {
  std::unique_lock<std::mutex> lock(mu_);
  const uint64_t target = enqueued_;
  drained_cv_.wait(lock, [&] { return done_below_ >= target; });
}

absl::StatusOr<int64_t> GroupCommitWriter::CountRows(const std::string& table) {
  if (absl::Status s = ValidateIdentifier(table); !s.ok()) return s;
  std::promise<absl::StatusOr<int64_t>> promise;
  std::future<absl::StatusOr<int64_t>> result = promise.get_future();
  Item item;
  item.task = [&table, &promise](CommitBackend& backend) {
    promise.set_value(backend.CountRows(table));
  };
  Enqueue(std::move(item));
  return result.get();
}

WriterStats GroupCommitWriter::stats() const {
  return WriterStats{groups_.load(), frames_.load(), rows_.load(), failed_items_.load()};
}

void GroupCommitWriter::SetCommitObserver(CommitObserver observer) {
  std::lock_guard<std::mutex> lock(mu_);
  observer_ = std::move(observer);
}

void GroupCommitWriter::Run(size_t connection) {
  CommitBackend& backend = *backends_[connection];
  while (true) {
    std::vector<Item> group;
    CommitObserver observer;
    {
      std::unique_lock<std::mutex> lock(mu_);
      // A task must see the commit of every write queued before it: it waits until no group
      // is committing, and then runs alone.
      auto can_take = [this] {
        return !queue_.empty() && !caller_committing_ && (!queue_.front().task || active_ == 0);
      };
      work_cv_.wait(lock, [&] { return (stopping_ && queue_.empty()) || can_take(); });
      if (queue_.empty()) return;  // stopping, and everything queued has been handled
      ++active_;
      while (!queue_.empty() && group.size() < options_.max_group_frames) {
        const bool is_task = static_cast<bool>(queue_.front().task);
        if (is_task && !group.empty()) break;  // after this group has committed
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
        if (is_task) break;
      }
      observer = observer_;
    }
    // Another thread may take what is left in the queue while this group commits.
    work_cv_.notify_one();
    std::function<void(CommitBackend&)> task;
    Delivery delivery;
    delivery.first_seq = group.front().seq;
    delivery.handled = group.size();
    if (group.back().task) {
      task = std::move(group.back().task);
      group.pop_back();
    }
    delivery.items = std::move(group);
    if (!delivery.items.empty()) CommitGroup(backend, delivery, observer);
    if (task) task(backend);
    {
      std::lock_guard<std::mutex> lock(mu_);
      --active_;
      deliveries_.push_back(std::move(delivery));
      ++undelivered_;
    }
    work_cv_.notify_all();  // a task may be waiting for no group to be committing
    delivery_cv_.notify_one();
  }
}

void GroupCommitWriter::SettledLocked(uint64_t first, uint64_t count) {
  done_ranges_[first] = first + count;
  for (auto it = done_ranges_.begin(); it != done_ranges_.end() && it->first == done_below_;
       it = done_ranges_.erase(it)) {
    done_below_ = it->second;
  }
}

void GroupCommitWriter::RunDeliveries() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    delivery_cv_.wait(lock, [this] { return delivery_stopping_ || !deliveries_.empty(); });
    if (deliveries_.empty()) return;  // stopping, and everything committed was delivered
    Delivery delivery = std::move(deliveries_.front());
    deliveries_.pop_front();
    lock.unlock();
    Deliver(delivery);
    const size_t handled = delivery.handled;
    const uint64_t first_seq = delivery.first_seq;
    delivery = Delivery{};  // the items' frames and callbacks go before Flush can return
    lock.lock();
    --undelivered_;
    SettledLocked(first_seq, handled);
    drained_cv_.notify_all();
  }
}

void GroupCommitWriter::CommitGroup(CommitBackend& backend, Delivery& delivery,
                                    const CommitObserver& observer) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<Item>& items = delivery.items;
  std::vector<absl::Status>& statuses = delivery.statuses;
  std::vector<WriteResult>& results = delivery.results;
  statuses.assign(items.size(), absl::OkStatus());
  results.assign(items.size(), WriteResult{});
  std::vector<const WriteParts*> parts;
  parts.reserve(items.size());
  for (const Item& item : items) parts.push_back(&item.parts);
  absl::Status group_status = backend.CommitGroup(parts, statuses, results);

  size_t committed = 0;
  size_t rows = 0;
  if (!group_status.ok()) {
    const absl::Status shared(
        group_status.code(),
        absl::StrCat("group of ", items.size(), " writes rolled back: ", group_status.message()));
    std::fill(statuses.begin(), statuses.end(), shared);
    std::fill(results.begin(), results.end(), WriteResult{});
  } else {
    for (size_t i = 0; i < items.size(); ++i) {
      if (!statuses[i].ok()) continue;
      ++committed;
      rows += static_cast<size_t>(results[i].inserted + results[i].ignored);
    }
    if (committed > 0) {
      groups_.fetch_add(1);
      frames_.fetch_add(static_cast<int64_t>(committed));
      rows_.fetch_add(static_cast<int64_t>(rows));
      if (observer) observer(committed, rows, std::chrono::steady_clock::now() - start);
    }
  }
  failed_items_.fetch_add(static_cast<int64_t>(items.size() - committed));
}

void GroupCommitWriter::Deliver(Delivery& delivery) {
  for (size_t i = 0; i < delivery.items.size(); ++i) {
    Item& item = delivery.items[i];
    if (!item.done) continue;
    try {
      item.done(delivery.statuses[i], delivery.results[i]);
    } catch (const std::exception& e) {
      // A throwing callback must not kill the writer thread and strand every later write.
      spdlog::error("writer of {}: a done callback threw: {}", description_, e.what());
    }
  }
}

}  // namespace gym
