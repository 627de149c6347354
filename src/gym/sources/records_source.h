// Records source: in-memory rows (what the gRPC server hands over) as a Frame, named like
// the other sources so a pipeline reads the same whatever feeds it.
//
//   Frame f = FrameFromRecords({{{"id", int64_t{1}}, {"moeda", std::string("BRL")}}});
#ifndef GYM_SOURCES_RECORDS_SOURCE_H_
#define GYM_SOURCES_RECORDS_SOURCE_H_

#include <vector>

#include "gym/frame/frame.h"
#include "gym/frame/value.h"

namespace gym {

// The rules of Frame::FromRecords: columns in first-appearance order, missing keys null,
// int64 widened to double; mixing strings and numbers in a column throws FrameError.
Frame FrameFromRecords(const std::vector<Record>& records);

}  // namespace gym

#endif  // GYM_SOURCES_RECORDS_SOURCE_H_
