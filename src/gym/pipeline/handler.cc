#include "gym/pipeline/handler.h"

#include <future>
#include <stdexcept>
#include <string>
#include <utility>

namespace gym {

Frame AsyncHandler::Handle(Frame input) {
  std::promise<absl::Status> promise;
  std::future<absl::Status> result = promise.get_future();
  Frame kept = input;
  const MessageContext context;
  HandleAsync(std::move(input), context,
              [&promise](absl::Status s) { promise.set_value(std::move(s)); });
  absl::Status status = result.get();
  if (!status.ok()) throw std::runtime_error(status.ToString());
  return kept;
}

namespace {

class FunctionHandler final : public Handler {
 public:
  explicit FunctionHandler(std::function<Frame(Frame)> fn) : fn_(std::move(fn)) {}
  Frame Handle(Frame input) override { return fn_(std::move(input)); }

 private:
  std::function<Frame(Frame)> fn_;
};

}  // namespace

std::unique_ptr<Handler> MakeHandler(std::function<Frame(Frame)> fn) {
  return std::make_unique<FunctionHandler>(std::move(fn));
}

}  // namespace gym
