// UnaryCallReactor: one unary ingestion call, served through gRPC's generic callback API so
// that gym decides when the request body is read.
//
// A typed (or raw) unary handler only runs once gRPC has received the whole body, however
// large, and whoever sent it. Here, in order: the bearer token is checked from the headers
// (refused: UNAUTHENTICATED, the body is never read); a read slot is taken from the ReadGate
// (none free: wait in line; line full: RESOURCE_EXHAUSTED, body never read); the body is
// read; `run` does the call's work and hands back the status and the reply, which are written
// together. The reactor deletes itself in OnDone, which gRPC calls only after Finish, and
// Finish is called only once `run`'s reply has come back, so no callback outlives it.
#ifndef GYM_SERVER_UNARY_CALL_REACTOR_H_
#define GYM_SERVER_UNARY_CALL_REACTOR_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>

#include "absl/status/status.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/grpcpp.h"
#include "gym/server/memory_return.h"
#include "gym/server/read_gate.h"

namespace gym {

class UnaryCallReactor final : public grpc::ServerGenericBidiReactor, public ReadGate::Waiter {
 public:
  using Reply = std::function<void(const absl::Status&, grpc::ByteBuffer)>;
  using Run = std::function<void(grpc::ByteBuffer body, Reply reply)>;

  // `admission`: the header checks' verdict (not OK: finished at once, nothing read).
  // `pressure` is noted when the call must wait for a read slot or is refused one, and asked
  // to give memory back after a large body. REQUIRES: `gate`, `pressure` and `active` outlive
  // every call.
  UnaryCallReactor(const absl::Status& admission, ReadGate& gate, MemoryPressure& pressure,
                   std::atomic<int64_t>& active, Run run);

  void StartReading() override { StartRead(&body_); }
  void OnReadDone(bool ok) override;
  void OnWriteDone(bool) override {}
  void OnCancel() override;
  void OnDone() override;

 private:
  void Answer(const absl::Status& status);

  ReadGate& gate_;
  MemoryPressure& pressure_;
  std::atomic<int64_t>& active_;
  Run run_;
  grpc::ByteBuffer body_;
  grpc::ByteBuffer reply_;
  std::mutex mu_;
  bool finished_ = false;
};

}  // namespace gym

#endif  // GYM_SERVER_UNARY_CALL_REACTOR_H_
