// A Frame's rows as JSON objects keyed by column name (nulls and non-finite doubles as null):
// the rows of gym report's sections, gym run --format json's metrics and gym inspect's head.
#ifndef GYM_CLI_FRAME_JSON_H_
#define GYM_CLI_FRAME_JSON_H_

#include "gym/frame/frame.h"
#include "nlohmann/json.hpp"

namespace gym {

nlohmann::ordered_json FrameRowsJson(const Frame& frame);

}  // namespace gym

#endif  // GYM_CLI_FRAME_JSON_H_
