// Handlers shared by the pipeline tests: numbered frames, a collecting leaf, an identity node
// and a sink that acknowledges only when the test says so.
#ifndef GYM_PIPELINE_PIPELINE_TEST_UTIL_H_
#define GYM_PIPELINE_PIPELINE_TEST_UTIL_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "gym/pipeline/handler.h"

namespace gym::testing_util {

inline Frame Numbers(int64_t from, int64_t to) {
  std::vector<int64_t> v;
  for (int64_t i = from; i < to; ++i) v.push_back(i);
  return Frame({"n"}, {Column::Ints(v)});
}

// Counts messages and keeps every frame it sees (a leaf for assertions).
class CollectingHandler final : public Handler {
 public:
  absl::StatusOr<Frame> Handle(Frame input) override {
    std::lock_guard<std::mutex> lock(mu_);
    frames_.push_back(input);
    return input;
  }
  std::vector<Frame> frames() const {
    std::lock_guard<std::mutex> lock(mu_);
    return frames_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<Frame> frames_;
};

inline std::unique_ptr<Handler> Identity() {
  return MakeHandler([](Frame f) { return f; });
}

// A sink that acknowledges only when the test says so, as a database commit would.
class ManualSink final : public AsyncHandler {
 public:
  void HandleAsync(Frame, const MessageContext&, Done done) override {
    std::lock_guard<std::mutex> lock(mu_);
    pending_.push_back(std::move(done));
  }
  size_t pending() {
    std::lock_guard<std::mutex> lock(mu_);
    return pending_.size();
  }
  void AckAll(const absl::Status& s) {
    std::vector<Done> done;
    {
      std::lock_guard<std::mutex> lock(mu_);
      done.swap(pending_);
    }
    for (auto& d : done) d(s);
  }

 private:
  std::mutex mu_;
  std::vector<Done> pending_;
};

}  // namespace gym::testing_util

#endif  // GYM_PIPELINE_PIPELINE_TEST_UTIL_H_
