// Handler: one Frame -> Frame step of a pipeline (the seed's BaseHandler).
//
// Handle() may throw: the executor catches the exception, fails only the message being
// handled (its CompletionToken carries the error and the node's name) and goes on with the
// others. PreMessage/PostMessage are the seed's pre_message/pos_message hooks.
//
// A Handler may be called concurrently for different messages (and, in a chunked node, for
// different slices of one message) unless its node's concurrency is 1; keep state
// synchronized or give the node concurrency 1.
#ifndef GYM_PIPELINE_HANDLER_H_
#define GYM_PIPELINE_HANDLER_H_

#include <functional>
#include <memory>

#include "absl/status/status.h"
#include "gym/frame/frame.h"
#include "gym/pipeline/message_context.h"

namespace gym {

class Handler {
 public:
  virtual ~Handler() = default;
  virtual Frame Handle(Frame input) = 0;
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
  // Synchronous use outside a pipeline, with an empty context: waits for `done` and throws on
  // failure.
  Frame Handle(Frame input) final;
};

// Wraps a function as a handler.
std::unique_ptr<Handler> MakeHandler(std::function<Frame(Frame)> fn);

}  // namespace gym

#endif  // GYM_PIPELINE_HANDLER_H_
