// PinCallbackQueue: keeps gRPC's process-wide callback completion queue alive for the rest of
// the process.
//
// With Debian's gRPC 1.51 the client callback API runs on one global completion queue with
// its own polling threads. It is reference counted by the channels that used it: when the
// last such channel is destroyed the queue is shut down and deleted, and the next callback
// call creates a new one. That teardown races with the queue's own threads (a double unref:
// "assertion failed: prior > 0" in ref_counted.h, or a double free under ASan). A sweep, or
// a test, that runs several load tests in one process destroys every channel between runs
// and so would run that teardown again and again. One channel that has made a callback call
// and is never destroyed keeps the count above zero, so the queue lives until exit.
#ifndef GYM_LOADTEST_INTERNAL_CALLBACK_QUEUE_PIN_H_
#define GYM_LOADTEST_INTERNAL_CALLBACK_QUEUE_PIN_H_

#include <memory>

#include "grpcpp/channel.h"

namespace gym::loadtest::internal {

// Idempotent: the first call makes one callback call on `channel` (a health check; its
// answer does not matter) and keeps the channel for the life of the process.
void PinCallbackQueue(const std::shared_ptr<grpc::Channel>& channel);

}  // namespace gym::loadtest::internal

#endif  // GYM_LOADTEST_INTERNAL_CALLBACK_QUEUE_PIN_H_
