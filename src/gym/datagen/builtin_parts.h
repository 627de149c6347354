// RegisterBuiltinParts: every source, handler, sink and trigger gym ships, registered by type
// name in one place, one line each. A user program calls it, adds its own parts to the same
// registry, and runs gym's commands with them (see examples/custom_handler.cc).
//
// It sits in datagen/ because a list of every part must include every part's header, and the
// highest of them is here: generated_transactions is made of the mock generator. Floors only
// look down, so this is the lowest floor that sees them all (sources, sinks and handlers are
// below it); the server and the cli, above it, take their default registry from here.
#ifndef GYM_DATAGEN_BUILTIN_PARTS_H_
#define GYM_DATAGEN_BUILTIN_PARTS_H_

#include "gym/pipeline/part_registry.h"

namespace gym {

void RegisterBuiltinParts(PartRegistry& registry);

// A registry holding the built-in parts only.
PartRegistry BuiltinParts();

}  // namespace gym

#endif  // GYM_DATAGEN_BUILTIN_PARTS_H_
