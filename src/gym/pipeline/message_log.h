// MessageLog: what a job (FileJob, `gym run`) knows about the messages it submitted. It counts
// the failed ones and keeps the first reason, runs each message's follow-up once its token
// resolves (putting the message's result file in place, or removing it), and lets the caller wait
// until every follow-up has run: the pipeline counts a message done before the follow-ups
// registered after its own have finished.
//
//   MessageLog log;
//   log.Track(pipeline.Submit("new_txt", request), "new_txt in/a.txt",
//             [&](const absl::Status& s) { return s.ok() ? Publish() : Discard(); });
//   pipeline.WaitIdle();
//   log.WaitAll();
//   if (log.failures() > 0) ... log.first_failure()
#ifndef GYM_PIPELINE_MESSAGE_LOG_H_
#define GYM_PIPELINE_MESSAGE_LOG_H_

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gym/pipeline/completion_token.h"

namespace gym {

class MessageLog final {
 public:
  // Runs with the message's final status; a non-OK return is a failure of the message too.
  using FollowUp = std::function<absl::Status(const absl::Status&)>;

  // `what` names the message in errors ("new_txt in/drop_0001.txt"). A token that is an error
  // (the message was never admitted) is a failure; `follow_up` still runs, with that error.
  void Track(const absl::StatusOr<CompletionToken>& token, const std::string& what,
             FollowUp follow_up = {});
  // A failure outside any message (a file that could not be hashed, say).
  void Fail(const absl::Status& status, const std::string& what);
  // Blocks until every tracked message has resolved and its follow-up has run.
  void WaitAll();

  int failures() const;
  std::string first_failure() const;

 private:
  void Finish(absl::Status status, const std::string& what, const FollowUp& follow_up);

  mutable std::mutex mu_;
  std::condition_variable cv_;
  int pending_ = 0;
  int failures_ = 0;
  std::string first_failure_;
};

}  // namespace gym

#endif  // GYM_PIPELINE_MESSAGE_LOG_H_
