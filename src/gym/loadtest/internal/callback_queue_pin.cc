// Keeping gRPC's global callback queue alive (see callback_queue_pin.h).
#include "gym/loadtest/internal/callback_queue_pin.h"

#include <chrono>
#include <mutex>

#include "grpcpp/client_context.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"

namespace gym::loadtest::internal {
namespace {

// Everything the pinning call touches, never freed: the call may still be answering while
// the process exits, and the channel must outlive every other one.
struct Pin {
  std::shared_ptr<grpc::Channel> channel;
  grpc::GenericStub stub;
  grpc::ClientContext context;
  grpc::ByteBuffer request;
  grpc::ByteBuffer response;
  explicit Pin(std::shared_ptr<grpc::Channel> c) : channel(std::move(c)), stub(channel) {}
};

// Reachable to the end, so leak checkers do not count it.
Pin* pinned = nullptr;

}  // namespace

void PinCallbackQueue(const std::shared_ptr<grpc::Channel>& channel) {
  static std::once_flag once;
  std::call_once(once, [&channel] {
    pinned = new Pin(channel);  // never deleted, see above
    Pin* pin = pinned;
    pin->context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    grpc::Slice empty("", 0);
    pin->request = grpc::ByteBuffer(&empty, 1);  // an empty HealthCheckRequest
    pin->stub.UnaryCall(&pin->context, "/grpc.health.v1.Health/Check", grpc::StubOptions(),
                        &pin->request, &pin->response, [](const grpc::Status&) {});
  });
}

}  // namespace gym::loadtest::internal
