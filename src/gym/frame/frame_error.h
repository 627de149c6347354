// FrameError: thrown by Frame operations on misuse (unknown column, wrong length, wrong width).
// Its message names the column or row at fault. A handler should check its input and return
// a status instead; should FrameError escape one anyway, its pipeline node fails only the
// message being handled, with INVALID_ARGUMENT and this message.
#ifndef GYM_FRAME_FRAME_ERROR_H_
#define GYM_FRAME_FRAME_ERROR_H_

#include <stdexcept>
#include <string>

namespace gym {

class FrameError : public std::runtime_error {
 public:
  explicit FrameError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace gym

#endif  // GYM_FRAME_FRAME_ERROR_H_
