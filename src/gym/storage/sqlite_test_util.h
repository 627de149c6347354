// Test and benchmark helpers for SQLite storage (header-only, not part of the library):
// a temporary database, six-column transaction frames, a recorder for done callbacks and a
// gate that holds the writer thread so queued items form one group deterministically.
#ifndef GYM_STORAGE_SQLITE_TEST_UTIL_H_
#define GYM_STORAGE_SQLITE_TEST_UTIL_H_

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "gym/frame/frame.h"
#include "gym/storage/group_commit_writer.h"
#include "gym/storage/sqlite_connection.h"

namespace gym::testing_util {

// A fresh directory holding test.db, removed on destruction.
class TempDb {
 public:
  TempDb() {
    static std::atomic<int> counter{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("gym_sqlite_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~TempDb() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TempDb(const TempDb&) = delete;
  TempDb& operator=(const TempDb&) = delete;

  std::string path() const { return (dir_ / "test.db").string(); }

  absl::StatusOr<SqliteConnection> Connect() const { return OpenForWriting(path()); }

  // Runs `sql`; returns false (and the caller's test fails on it) when it does not succeed.
  bool Exec(const std::string& sql) const {
    absl::StatusOr<SqliteConnection> db = Connect();
    return db.ok() && db->Exec(sql).ok();
  }

  // count(*) of `table` through a new read-only connection; -1 on any error.
  int64_t CountFromOtherConnection(const std::string& table) const {
    absl::StatusOr<SqliteConnection> db = SqliteConnection::Open(path(), SQLITE_OPEN_READONLY);
    if (!db.ok()) return -1;
    absl::StatusOr<SqliteStatement> stmt =
        db->Prepare("SELECT count(*) FROM " + QuoteIdentifier(table));
    if (!stmt.ok()) return -1;
    absl::StatusOr<bool> row = stmt->Step();
    return row.ok() && *row ? stmt->ColumnInt64(0) : -1;
  }

 private:
  std::filesystem::path dir_;
};

// `rows` transactions with ids first_id.. in the six-column shape the server stores:
// id, cliente_id, data, valor, moeda, categoria.
inline Frame Transactions(int64_t first_id, size_t rows) {
  static const char* const kCurrencies[] = {"BRL", "USD", "EUR"};
  static const char* const kCategories[] = {"Alimentação", "Transporte", "Lazer", "Moradia"};
  std::vector<int64_t> id(rows), cliente(rows);
  std::vector<double> valor(rows);
  std::vector<std::string> data(rows), moeda(rows), categoria(rows);
  for (size_t i = 0; i < rows; ++i) {
    const int64_t n = first_id + static_cast<int64_t>(i);
    id[i] = n;
    cliente[i] = n % 1000;
    data[i] = "2024-05-" + std::to_string(10 + n % 20);
    valor[i] = 50.0 + static_cast<double>(n % 495000) / 100.0;
    moeda[i] = kCurrencies[n % 3];
    categoria[i] = kCategories[n % 4];
  }
  return Frame({"id", "cliente_id", "data", "valor", "moeda", "categoria"},
               {Column::Ints(std::move(id)), Column::Ints(std::move(cliente)),
                Column::Strings(std::move(data)), Column::Doubles(std::move(valor)),
                Column::Strings(std::move(moeda)), Column::Strings(std::move(categoria))});
}

// Records what each done callback received, by slot.
class DoneLog {
 public:
  explicit DoneLog(size_t slots) : statuses_(slots), results_(slots) {}

  GroupCommitWriter::Done Slot(size_t i) {
    return [this, i](const absl::Status& status, const WriteResult& result) {
      std::lock_guard<std::mutex> lock(mu_);
      // A deep copy: Debian's Abseil is not built with TSan, so a Status rep shared across
      // threads (its refcount lives in the uninstrumented library) reads as a data race.
      statuses_[i] = absl::Status(status.code(), std::string(status.message()));
      results_[i] = result;
      ++finished_;
      cv_.notify_all();
    };
  }
  // True once every slot has been called (waiting at most `timeout`).
  bool WaitAll(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, [this] { return finished_ == statuses_.size(); });
  }
  absl::Status status(size_t i) {
    std::lock_guard<std::mutex> lock(mu_);
    return statuses_[i];
  }
  WriteResult result(size_t i) {
    std::lock_guard<std::mutex> lock(mu_);
    return results_[i];
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<absl::Status> statuses_;
  std::vector<WriteResult> results_;
  size_t finished_ = 0;
};

// Hold() commits one priming write and keeps the writer thread inside that group's commit
// observer until Release(); everything queued meanwhile is then taken as one group.
// Also records the size of every committed group.
class WriterGate {
 public:
  explicit WriterGate(GroupCommitWriter& writer)
      : writer_(writer), state_(std::make_shared<State>()) {
    writer_.SetCommitObserver([state = state_](size_t frames, size_t, std::chrono::nanoseconds) {
      std::unique_lock<std::mutex> lock(state->mu);
      state->group_sizes.push_back(frames);
      state->entered = true;
      state->cv.notify_all();
      // Bounded: a test that forgets to Release still finishes.
      state->cv.wait_for(lock, std::chrono::seconds(30), [&] { return state->released; });
    });
  }
  ~WriterGate() { Release(); }
  WriterGate(const WriterGate&) = delete;
  WriterGate& operator=(const WriterGate&) = delete;

  bool Hold(std::chrono::milliseconds timeout) {
    writer_.Write({"gym_gate", std::nullopt}, Frame({"n"}, {Column::Ints({1})}), nullptr);
    std::unique_lock<std::mutex> lock(state_->mu);
    return state_->cv.wait_for(lock, timeout, [this] { return state_->entered; });
  }
  // Idempotent and callable from any thread.
  void Release() {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->released = true;
    state_->cv.notify_all();
  }
  std::vector<size_t> group_sizes() const {
    std::lock_guard<std::mutex> lock(state_->mu);
    return state_->group_sizes;
  }

 private:
  struct State {
    std::mutex mu;
    std::condition_variable cv;
    bool entered = false;
    bool released = false;
    std::vector<size_t> group_sizes;
  };
  GroupCommitWriter& writer_;
  std::shared_ptr<State> state_;
};

}  // namespace gym::testing_util

#endif  // GYM_STORAGE_SQLITE_TEST_UTIL_H_
