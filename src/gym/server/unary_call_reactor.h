// UnaryCallReactor: one unary ingestion call, served through gRPC's generic callback API so
// that gym decides when the request body is read.
//
// A typed (or raw) unary handler only runs once gRPC has received the whole body, however
// large, and whoever sent it. Here, in order: the bearer token is checked from the headers
// (refused: UNAUTHENTICATED, the body is never read); while --max-inflight events are in
// flight the call waits in the RoomLine for room (wait over or line full: RESOURCE_EXHAUSTED,
// body never read); a read slot is taken from the ReadGate (none free: wait in line; line
// full: RESOURCE_EXHAUSTED); the body is read; `run` does the call's work and hands back the
// status and the reply, which are written together. The reactor deletes itself in OnDone, which gRPC calls only after Finish, and
// Finish is called only once `run`'s reply has come back, so no callback outlives it.
#ifndef GYM_SERVER_UNARY_CALL_REACTOR_H_
#define GYM_SERVER_UNARY_CALL_REACTOR_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string_view>

#include "absl/status/status.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/grpcpp.h"
#include "gym/server/memory_return.h"
#include "gym/server/read_gate.h"
#include "gym/server/room_line.h"

namespace gym {

class UnaryCallReactor final : public grpc::ServerGenericBidiReactor,
                               public ReadGate::Waiter,
                               public RoomLine::Waiter {
 public:
  using Reply = std::function<void(const absl::Status&, grpc::ByteBuffer)>;
  using Run = std::function<void(grpc::ByteBuffer body, Reply reply)>;

  // What every call shares with the service. REQUIRES: all of it outlives every call.
  struct Shared {
    ReadGate& gate;
    RoomLine& line;
    // Noted when a call must wait for a read slot or is refused one, and asked to give memory
    // back after a large body.
    MemoryPressure& pressure;
    std::atomic<int64_t>& active;
    // The RESOURCE_EXHAUSTED of a call refused for want of room (--max-inflight).
    std::function<absl::Status()> busy;
    // Counts a call that waits for room.
    std::function<void()> waited;
    // Counts a call's failure under its method's name (the ones `run` does not answer).
    std::function<void(std::string_view method, const absl::Status&)> count_error;
  };

  // `admission`: the header checks' verdict (not OK: finished at once, nothing read).
  // `method`: a string that outlives the call. `deadline`: the call's own.
  UnaryCallReactor(const Shared& shared, const absl::Status& admission, std::string_view method,
                   RoomLine::Clock::time_point deadline, Run run);

  void StartReading() override { StartRead(&body_); }
  void Admitted() override;
  void Expired() override;
  void OnReadDone(bool ok) override;
  void OnWriteDone(bool) override {}
  void OnCancel() override;
  void OnDone() override;

 private:
  void EnterGate();
  // A call let in from the RoomLine tells it once that it has reserved its events, or will not.
  void SettleLine();
  void Refuse(const absl::Status& status);
  void Answer(const absl::Status& status);

  const Shared& shared_;
  std::string_view method_;
  Run run_;
  grpc::ByteBuffer body_;
  grpc::ByteBuffer reply_;
  std::atomic<bool> from_line_{false};
  std::mutex mu_;
  bool finished_ = false;
};

}  // namespace gym

#endif  // GYM_SERVER_UNARY_CALL_REACTOR_H_
