// A loopback TCP port that nothing listens on, for tests: a fixed port for a server option
// that needs one (the metrics exposer), or a target that must refuse connections.
#ifndef GYM_TESTING_LOOPBACK_H_
#define GYM_TESTING_LOOPBACK_H_

#include <string>

namespace gym::testing {

// Binds an ephemeral port on 127.0.0.1, reads it and closes the socket: free a moment ago,
// and no one else is likely to take it during a test. 0 when no socket could be bound.
int FreeLoopbackPort();

// GET http://127.0.0.1:<port><path>: the whole response (headers and body) as text, empty
// when nothing answers.
std::string HttpGet(int port, const std::string& path);

}  // namespace gym::testing

#endif  // GYM_TESTING_LOOPBACK_H_
