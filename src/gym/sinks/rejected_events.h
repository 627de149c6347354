// The table where `gym run` and `gym serve` keep the rows they refused, with the reason.
//
// One definition for both: the name was once defined twice in namespace gym, as a char array
// (cli) and as a string_view (server). Inline variables of one name are merged by the linker
// whatever their types, so the server read the array's characters as a string_view's size and
// pointer; only the sanitizer build, which does not fold the constant away, showed it.
#ifndef GYM_SINKS_REJECTED_EVENTS_H_
#define GYM_SINKS_REJECTED_EVENTS_H_

#include <string_view>

namespace gym {

// Null-terminated (a literal), so kRejectedTable.data() is a C string.
inline constexpr std::string_view kRejectedTable = "rejected_events";

}  // namespace gym

#endif  // GYM_SINKS_REJECTED_EVENTS_H_
