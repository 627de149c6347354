// Handler: one Frame -> Frame step of a pipeline (the seed's BaseHandler).
//
// Handle() returns the output frame or a status that says why there is none, with a code that
// says what happened: INVALID_ARGUMENT for an input it cannot use (a missing or mistyped
// column), FAILED_PRECONDITION or UNAVAILABLE for a resource that is missing or failed (a
// file that cannot be read or written). The executor fails only that message with the status
// (its CompletionToken keeps the code and adds the node's name) and goes on with the others.
// It also catches what a handler throws, as a safety net: FrameError (Frame misuse) becomes
// INVALID_ARGUMENT, anything else INTERNAL. PreMessage/PostMessage are the seed's
// pre_message/pos_message hooks.
//
//   absl::StatusOr<Frame> Handle(Frame input) override {
//     if (!input.HasColumn("valor")) return absl::InvalidArgumentError("no column 'valor'");
//     input.AddColumn(...);
//     return input;  // moved, not copied
//   }
//
// A Handler may be called concurrently for different messages (and, in a chunked node, for
// different slices of one message) unless its node's concurrency is 1; keep state
// synchronized or give the node concurrency 1.
#ifndef GYM_PIPELINE_HANDLER_H_
#define GYM_PIPELINE_HANDLER_H_

#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gym/frame/frame.h"
#include "gym/pipeline/message_context.h"

namespace gym {

class Handler {
 public:
  virtual ~Handler() = default;
  [[nodiscard]] virtual absl::StatusOr<Frame> Handle(Frame input) = 0;
  // Called before Handle with the whole message (not per chunk).
  virtual void PreMessage(const Frame& /*input*/) {}
  // Called after Handle succeeded, with the whole output (after chunks are joined).
  virtual void PostMessage(const Frame& /*output*/) {}
  // Called once, before the first message, when a pipeline that will run is assembled from a
  // file (AssemblePipeline): a sink creates its table from its declared schema here, so the
  // first message does not pay for it and a bad schema stops the start.
  virtual absl::Status Open() { return absl::OkStatus(); }
};

// A handler whose work completes later, on another thread: a sink that acknowledges only
// after its commit. Its node is a leaf (it may have no dependents): the message's branch
// finishes when `done` is called. It sees the message's context (the batch's rejected items
// to commit beside its rows, the report to fill in).
class AsyncHandler : public Handler {
 public:
  using Done = std::function<void(absl::Status)>;
  // Must call `done` exactly once, from any thread. Throwing instead counts as a failure
  // (and `done` must then not be called). `context` lives until `done` is called.
  virtual void HandleAsync(Frame input, const MessageContext& context, Done done) = 0;
  // Synchronous use outside a pipeline, with an empty context: waits for `done` and returns
  // its status, or on success a copy of the input (the sink consumes the frame it is given).
  absl::StatusOr<Frame> Handle(Frame input) final;
};

// Wraps a function as a handler: one that returns a Frame (it can fail only by throwing) or
// one that returns an absl::StatusOr<Frame>.
std::unique_ptr<Handler> MakeHandler(std::function<Frame(Frame)> fn);
std::unique_ptr<Handler> MakeHandler(std::function<absl::StatusOr<Frame>(Frame)> fn);
// Any other callable (a lambda, a function): the overload is chosen by what it returns, as a
// lambda returning a Frame would convert to either std::function.
template <typename Fn>
requires std::is_invocable_v<Fn&, Frame> std::unique_ptr<Handler> MakeHandler(Fn fn) {
  if constexpr (std::is_same_v<std::invoke_result_t<Fn&, Frame>, absl::StatusOr<Frame>>) {
    return MakeHandler(std::function<absl::StatusOr<Frame>(Frame)>(std::move(fn)));
  } else {
    return MakeHandler(std::function<Frame(Frame)>(std::move(fn)));
  }
}

}  // namespace gym

#endif  // GYM_PIPELINE_HANDLER_H_
