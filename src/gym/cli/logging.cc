// Process-wide logging (see logging.h).
#include "gym/cli/logging.h"

#include <cstdio>
#include <memory>
#include <string_view>

#include "fmt/core.h"
#include "google/protobuf/stubs/logging.h"
#include "grpc/support/log.h"
#include "spdlog/pattern_formatter.h"
#include "spdlog/sinks/stdout_color_sinks.h"
#include "spdlog/spdlog.h"

namespace gym {
namespace {

bool json_lines = false;

// Appends `text` as the inside of a JSON string: quotes, backslashes and control bytes are
// escaped, so no message (a client's batch id, a library's text) can end the object or the
// line.
void AppendJsonEscaped(std::string_view text, spdlog::memory_buf_t& dest) {
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        dest.append(std::string_view("\\\""));
        break;
      case '\\':
        dest.append(std::string_view("\\\\"));
        break;
      case '\n':
        dest.append(std::string_view("\\n"));
        break;
      case '\r':
        dest.append(std::string_view("\\r"));
        break;
      case '\t':
        dest.append(std::string_view("\\t"));
        break;
      default:
        if (byte < 0x20 || byte == 0x7f) {
          fmt::format_to(std::back_inserter(dest), "\\u{:04x}", byte);
        } else {
          dest.push_back(c);
        }
    }
  }
}

// %* in a pattern: the message, escaped for a JSON string.
class JsonMessageFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    AppendJsonEscaped(std::string_view(msg.payload.data(), msg.payload.size()), dest);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessageFlag>();
  }
};

// gRPC's own messages (gpr_log), at the matching level, through our logger.
void GrpcLogToSpdlog(gpr_log_func_args* args) {
  const spdlog::level::level_enum level = args->severity == GPR_LOG_SEVERITY_ERROR ? spdlog::level::err
                                          : args->severity == GPR_LOG_SEVERITY_INFO
                                              ? spdlog::level::info
                                              : spdlog::level::debug;
  spdlog::log(level, "grpc: {} ({}:{})", args->message, args->file, args->line);
}

// protobuf's (a parse failure, for one), likewise.
void ProtobufLogToSpdlog(google::protobuf::LogLevel level, const char* file, int line,
                         const std::string& message) {
  const spdlog::level::level_enum mapped =
      level >= google::protobuf::LOGLEVEL_ERROR     ? spdlog::level::err
      : level == google::protobuf::LOGLEVEL_WARNING ? spdlog::level::warn
                                                    : spdlog::level::info;
  spdlog::log(mapped, "protobuf: {} ({}:{})", message, file, line);
}

}  // namespace

absl::Status ConfigureLogging(const std::string& level, bool json) {
  spdlog::level::level_enum parsed = spdlog::level::from_str(level);
  // from_str maps unknown names to "off"; only accept "off" when it was asked for.
  if (parsed == spdlog::level::off && level != "off") {
    return absl::InvalidArgumentError("--log-level: unknown level '" + level +
                                      "' (trace, debug, info, warn, error, critical, off)");
  }
  auto logger = std::make_shared<spdlog::logger>(
      "gym", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  if (json) {
    formatter->add_flag<JsonMessageFlag>('*').set_pattern(
        R"({"ts":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","thread":%t,"msg":"%*"})");
  } else {
    formatter->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ %v");
  }
  logger->set_formatter(std::move(formatter));
  logger->set_level(parsed);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
  json_lines = json;
  gpr_set_log_function(GrpcLogToSpdlog);
  // gRPC formats its debug lines only when asked; ours decide what is shown.
  gpr_set_log_verbosity(parsed <= spdlog::level::debug ? GPR_LOG_SEVERITY_DEBUG
                                                       : GPR_LOG_SEVERITY_ERROR);
  google::protobuf::SetLogHandler(ProtobufLogToSpdlog);
  return absl::OkStatus();
}

void ReportFailure(std::string_view command, std::string_view message) {
  if (json_lines) {
    spdlog::error("{}: {}", command, message);
    spdlog::default_logger()->flush();
    return;
  }
  std::fprintf(stderr, "%.*s: %.*s\n", static_cast<int>(command.size()), command.data(),
               static_cast<int>(message.size()), message.data());
}

}  // namespace gym
