#include "gym/jobs/file_inputs.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "gym/sources/producer.h"

namespace gym {
namespace fs = std::filesystem;

bool HasFilesTrigger(const PipelineSpec& spec) {
  for (const PartSpec* t : spec.OfKind(PartKind::kTrigger)) {
    if (t->type == "files") return true;
  }
  return false;
}

std::vector<std::string> SourcesForFile(const PipelineSpec& spec, const std::string& path) {
  std::vector<std::string> fed;  // by a files trigger; empty feeds: every source with globs
  bool all = false;
  for (const PartSpec* t : spec.OfKind(PartKind::kTrigger)) {
    if (t->type != "files") continue;
    const std::vector<std::string>& feeds = t->options.Strings("feeds");
    if (feeds.empty()) all = true;
    fed.insert(fed.end(), feeds.begin(), feeds.end());
  }
  std::vector<std::string> sources;
  for (const PartSpec* s : spec.OfKind(PartKind::kSource)) {
    const bool is_fed = all || std::find(fed.begin(), fed.end(), s->name) != fed.end();
    if (is_fed && SourceTakesFile(s->options, path)) sources.push_back(s->name);
  }
  return sources;
}

std::string ContentBatchId(const std::string& node, const std::string& content_sha256) {
  // 128 bits: no two different files meet by chance, and event ids stay short.
  return node + ":" + content_sha256.substr(0, 32);
}

Frame RequestFor(const PartSpec& source, const std::string& path,
                 const std::string& content_sha256) {
  Frame request = source.type == "sqlite_table"
                      ? SqliteTableRequest(path, source.options.String("table"))
                      : FileRequest(path);
  request.AddColumn("batch_id", Column::Strings({ContentBatchId(source.name, content_sha256)}));
  return request;
}

absl::StatusOr<std::vector<std::string>> ListInputs(const PipelineSpec& spec,
                                                    const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file() && !SourcesForFile(spec, it->path().string()).empty()) {
      files.push_back(it->path().string());
    }
  }
  if (ec) return absl::NotFoundError("cannot read " + dir + ": " + ec.message());
  if (files.empty()) {
    std::string globs;
    for (const PartSpec* source : spec.OfKind(PartKind::kSource)) {
      if (!source->options.Has("match")) continue;
      for (const std::string& g : source->options.Strings("match")) {
        if (globs.find(g) == std::string::npos) globs += (globs.empty() ? "" : " ") + g;
      }
    }
    return absl::NotFoundError("no input in " + dir + " (" + spec.file + " takes " +
                               (globs.empty() ? "no files" : globs) + "; try `gym gen all --out " +
                               dir + "`)");
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace gym
