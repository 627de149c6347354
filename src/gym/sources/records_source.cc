// Records source (see records_source.h).
#include "gym/sources/records_source.h"

namespace gym {

Frame FrameFromRecords(const std::vector<Record>& records) { return Frame::FromRecords(records); }

}  // namespace gym
