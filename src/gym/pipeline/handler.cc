#include "gym/pipeline/handler.h"

#include <future>
#include <utility>

namespace gym {

absl::StatusOr<Frame> AsyncHandler::Handle(Frame input) {
  std::promise<absl::Status> promise;
  std::future<absl::Status> result = promise.get_future();
  Frame kept = input;
  const MessageContext context;
  HandleAsync(std::move(input), context,
              [&promise](absl::Status s) { promise.set_value(std::move(s)); });
  if (absl::Status status = result.get(); !status.ok()) return status;
  return kept;
}

namespace {

class FunctionHandler final : public Handler {
 public:
  explicit FunctionHandler(std::function<Frame(Frame)> fn) : fn_(std::move(fn)) {}
  absl::StatusOr<Frame> Handle(Frame input) override { return fn_(std::move(input)); }

 private:
  std::function<Frame(Frame)> fn_;
};

class StatusFunctionHandler final : public Handler {
 public:
  explicit StatusFunctionHandler(std::function<absl::StatusOr<Frame>(Frame)> fn)
      : fn_(std::move(fn)) {}
  absl::StatusOr<Frame> Handle(Frame input) override { return fn_(std::move(input)); }

 private:
  std::function<absl::StatusOr<Frame>(Frame)> fn_;
};

}  // namespace

std::unique_ptr<Handler> MakeHandler(std::function<Frame(Frame)> fn) {
  return std::make_unique<FunctionHandler>(std::move(fn));
}

std::unique_ptr<Handler> MakeHandler(std::function<absl::StatusOr<Frame>(Frame)> fn) {
  return std::make_unique<StatusFunctionHandler>(std::move(fn));
}

}  // namespace gym
