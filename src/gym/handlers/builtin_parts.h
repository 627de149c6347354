// RegisterBuiltinParts: every source, handler, sink and trigger gym ships, registered by type
// name in one place, one line each. A user program calls it, adds its own parts to the same
// registry, and runs gym's commands with them (see examples/custom_handler.cc).
#ifndef GYM_HANDLERS_BUILTIN_PARTS_H_
#define GYM_HANDLERS_BUILTIN_PARTS_H_

#include "gym/pipeline/part_registry.h"

namespace gym {

void RegisterBuiltinParts(PartRegistry& registry);

// A registry holding the built-in parts only.
PartRegistry BuiltinParts();

}  // namespace gym

#endif  // GYM_HANDLERS_BUILTIN_PARTS_H_
