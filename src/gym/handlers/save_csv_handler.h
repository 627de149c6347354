// SaveCsvHandler: writes each frame it receives to its own time-stamped CSV file in a results
// folder (the seed's SaveToCSVHandler), and passes the frame on unchanged.
//
// Files are named <prefix>_<UTC yyyymmddThhmmss>_<seq>.csv; seq counts this handler's files,
// so two frames in the same second never collide. Each file appears whole (written to a
// temporary name and renamed). Saving to a SQLite table is the sinks' SqliteSink; no class is
// needed here for it.
//
//   builder.Add("save_csv", std::make_unique<SaveCsvHandler>("results", "risk"), {...});
#ifndef GYM_HANDLERS_SAVE_CSV_HANDLER_H_
#define GYM_HANDLERS_SAVE_CSV_HANDLER_H_

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "gym/frame/frame.h"
#include "gym/pipeline/handler.h"

namespace gym {

class SaveCsvHandler final : public Handler {
 public:
  // The folder is created on the first write when missing.
  SaveCsvHandler(std::string folder, std::string prefix);

  // Throws std::runtime_error naming the file when it cannot be written.
  Frame Handle(Frame input) override;
  // Paths written so far, in order of their sequence number. Thread-safe.
  std::vector<std::string> written() const;

 private:
  const std::string folder_;
  const std::string prefix_;
  std::atomic<uint64_t> next_seq_{0};
  mutable std::mutex mu_;
  std::vector<std::pair<uint64_t, std::string>> written_;  // (seq, path)
};

}  // namespace gym

#endif  // GYM_HANDLERS_SAVE_CSV_HANDLER_H_
