// ReadGate: how many request bodies are being received at once.
//
// gRPC reads a whole message into memory before it checks its size or hands it to the
// service, so the only way to bound that memory is to decide when to ask for the body. A
// unary call first takes a slot here; only then does it read its body (until then its bytes
// wait in the client, under HTTP/2 flow control). When every slot is taken the call waits in
// line, and a full line refuses it (RESOURCE_EXHAUSTED), which costs the server no more than
// the call's headers.
//
//   switch (gate.Enter(this)) {   // this: a ReadGate::Waiter
//     case ReadGate::Entry::kRead: StartRead(&body_); break;
//     case ReadGate::Entry::kWait: break;           // StartReading() is called later
//     case ReadGate::Entry::kRefuse: Finish(ResourceExhausted); break;
//   }
//   ... OnReadDone: gate.Leave();
#ifndef GYM_SERVER_READ_GATE_H_
#define GYM_SERVER_READ_GATE_H_

#include <cstddef>
#include <deque>
#include <mutex>

namespace gym {

class ReadGate final {
 public:
  class Waiter {
   public:
    virtual ~Waiter() = default;
    // The call may read its body now. Called from Leave, on another call's thread.
    virtual void StartReading() = 0;
  };
  enum class Entry { kRead, kWait, kRefuse };

  // REQUIRES: slots >= 1.
  ReadGate(size_t slots, size_t max_waiting) : slots_(slots), max_waiting_(max_waiting) {}

  Entry Enter(Waiter* waiter);
  // A call that held a slot is done reading: the slot goes to the first waiter, if any.
  void Leave();
  // Removes a waiting call (cancelled by its client). False when it was not waiting: it holds,
  // or is being given, a slot.
  bool Withdraw(Waiter* waiter);

  size_t reading() const;
  size_t waiting() const;

 private:
  const size_t slots_;
  const size_t max_waiting_;
  mutable std::mutex mu_;
  size_t reading_ = 0;
  std::deque<Waiter*> waiting_;
};

}  // namespace gym

#endif  // GYM_SERVER_READ_GATE_H_
