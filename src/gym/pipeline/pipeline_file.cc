// Reading pipeline files with toml++ (see pipeline_spec.h). toml++ is a large header: it is
// included here only, never from a header.
#include <algorithm>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "fmt/format.h"
#include "gym/pipeline/internal/file_errors.h"
#include "gym/pipeline/pipeline_spec.h"
#include "toml++/toml.h"

namespace gym {
namespace {

namespace fs = std::filesystem;

int LineOf(const toml::node& node) { return static_cast<int>(node.source().begin.line); }
int LineOf(const toml::key& key) { return static_cast<int>(key.source().begin.line); }

using Errors = internal::FileErrors;

// "a string", "an integer", ...: how a message names what an option must be.
std::string WithArticle(OptionType type) {
  const std::string_view name = OptionTypeName(type);
  return std::string(name.starts_with("i") ? "an " : "a ") + std::string(name);
}

std::string_view TomlTypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::array:
      return "a list";
    case toml::node_type::table:
      return "a table";
    default:
      return "a date or time";
  }
}

// The value of `node` as an option of `type`; nullopt (with an error message) when it is not.
std::optional<OptionValue> ToOption(const toml::node& node, OptionType type, std::string* why) {
  auto wrong = [&]() -> std::optional<OptionValue> {
    *why = fmt::format("must be {}, not {}", WithArticle(type), TomlTypeName(node));
    return std::nullopt;
  };
  switch (type) {
    case OptionType::kString:
      if (const auto* s = node.as_string()) return OptionValue(s->get());
      return wrong();
    case OptionType::kInt:
      if (const auto* i = node.as_integer()) return OptionValue(i->get());
      return wrong();
    case OptionType::kDouble:
      if (const auto* f = node.as_floating_point()) return OptionValue(f->get());
      if (const auto* i = node.as_integer()) return OptionValue(static_cast<double>(i->get()));
      return wrong();
    case OptionType::kBool:
      if (const auto* b = node.as_boolean()) return OptionValue(b->get());
      return wrong();
    case OptionType::kStringList: {
      const auto* array = node.as_array();
      if (array == nullptr) return wrong();
      std::vector<std::string> list;
      for (const toml::node& item : *array) {
        const auto* s = item.as_string();
        if (s == nullptr) {
          *why = fmt::format("must be a list of strings; item {} is {}", list.size() + 1,
                             TomlTypeName(item));
          return std::nullopt;
        }
        list.push_back(s->get());
      }
      return OptionValue(std::move(list));
    }
    case OptionType::kStringMap:
    case OptionType::kNumberMap: {
      const auto* table = node.as_table();
      if (table == nullptr) return wrong();
      std::map<std::string, std::string> strings;
      std::map<std::string, double> numbers;
      for (const auto& [key, item] : *table) {
        const std::string k(key.str());
        if (type == OptionType::kStringMap) {
          if (const auto* s = item.as_string()) {
            strings[k] = s->get();
            continue;
          }
        } else if (const auto* f = item.as_floating_point()) {
          numbers[k] = f->get();
          continue;
        } else if (const auto* i = item.as_integer()) {
          numbers[k] = static_cast<double>(i->get());
          continue;
        }
        *why = fmt::format("must be {}; '{}' is {}", WithArticle(type), k,
                           TomlTypeName(item));
        return std::nullopt;
      }
      if (type == OptionType::kStringMap) return OptionValue(std::move(strings));
      return OptionValue(std::move(numbers));
    }
  }
  return wrong();
}

// Checks a value against the option's declared choices.
bool Allowed(const OptionSpec& spec, const OptionValue& value, std::string* why) {
  if (spec.choices.empty()) return true;
  const auto* s = std::get_if<std::string>(&value);
  if (s == nullptr ||
      std::find(spec.choices.begin(), spec.choices.end(), *s) != spec.choices.end()) {
    return true;
  }
  std::string list;
  for (const std::string& c : spec.choices) list += (list.empty() ? "\"" : ", \"") + c + "\"";
  *why = fmt::format("must be one of {}, not \"{}\"", list, *s);
  return false;
}

const OptionSpec* FindOption(const PartInfo& info, std::string_view name) {
  for (const OptionSpec& o : info.options) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

// The name in `candidates` closest to `name` when it is a likely typo (at most two edits), so
// an error can say "did you mean 'table'?"; empty otherwise.
std::string Closest(std::string_view name, const std::vector<std::string>& candidates) {
  auto distance = [](std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      size_t diagonal = row[0];
      row[0] = i;
      for (size_t j = 1; j <= b.size(); ++j) {
        const size_t above = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diagonal = above;
      }
    }
    return row[b.size()];
  };
  std::string best;
  size_t best_distance = 3;
  for (const std::string& c : candidates) {
    const size_t d = distance(name, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::string DidYouMean(std::string_view name, const std::vector<std::string>& candidates) {
  const std::string closest = Closest(name, candidates);
  return closest.empty() ? "" : fmt::format("; did you mean '{}'?", closest);
}

// The keys a part of `kind` takes besides its options.
std::vector<std::string> PlacementKeys(PartKind kind) {
  switch (kind) {
    case PartKind::kHandler:
    case PartKind::kSink:
      return {"inputs", "chunks", "concurrency"};
    case PartKind::kSource:
      return {"chunks", "concurrency"};
    case PartKind::kTrigger:
      break;
  }
  return {};
}

// "(options: a, b)" or "(it takes no options)".
std::string OptionsNote(const std::vector<std::string>& known) {
  if (known.empty()) return "(it takes no options)";
  std::string out;
  for (const std::string& n : known) out += (out.empty() ? "" : ", ") + n;
  return "(options: " + out + ")";
}

std::string JoinQuoted(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "(none)" : out;
}

std::optional<size_t> Count(const toml::node& node, int64_t min, std::string_view key,
                            Errors& errors) {
  const auto* i = node.as_integer();
  if (i == nullptr || i->get() < min) {
    errors.Add(LineOf(node), "{} must be an integer of at least {}", key, min);
    return std::nullopt;
  }
  return static_cast<size_t>(i->get());
}

void ReadPart(const std::string& name, int line, const toml::node& node, PartKind kind,
              const PartRegistry& registry, PipelineSpec& spec, Errors& errors) {
  const std::string_view section = PartKindSection(kind);
  const auto* table = node.as_table();
  if (table == nullptr) {
    errors.Add(line, "{}.{} must be a table ([{}.{}])", section, name, section, name);
    return;
  }
  // A part whose type is missing or unknown is still declared (its inputs are read), so the
  // graph can be checked around it and every error is reported in one pass.
  PartSpec part{.name = name, .kind = kind, .line = line};
  const PartInfo* info = nullptr;
  const toml::node* type = table->get("type");
  if (type == nullptr || !type->is_string()) {
    errors.Add(line, "{}.{} needs a type (a string: one of {})", section, name,
               JoinQuoted(registry.Types(kind)));
  } else {
    part.type = type->as_string()->get();
    info = registry.Find(part.type);
    if (info != nullptr && info->kind != kind) {
      errors.Add(LineOf(*type), "{}.{}: '{}' is a {}; declare it under [{}]", section, name,
                 part.type, PartKindName(info->kind), PartKindSection(info->kind));
      info = nullptr;
    } else if (info == nullptr) {
      errors.Add(LineOf(*type), "{}.{}: unknown {} type '{}' (known: {}){}", section, name,
                 PartKindName(kind), part.type, JoinQuoted(registry.Types(kind)),
                 DidYouMean(part.type, registry.Types(kind)));
    }
  }
  const bool has_inputs = kind == PartKind::kHandler || kind == PartKind::kSink;
  for (const auto& [key_name, value] : *table) {
    const std::string key(key_name.str());
    const int key_line = LineOf(key_name);
    if (key == "type") continue;
    if (key == "inputs") {
      if (!has_inputs) {
        errors.Add(key_line, "{}.{}: a {} has no inputs", section, name, PartKindName(kind));
        continue;
      }
      std::string why;
      auto list = ToOption(value, OptionType::kStringList, &why);
      if (!list) {
        errors.Add(key_line, "{}.{}: inputs {}", section, name, why);
        continue;
      }
      part.inputs = std::get<std::vector<std::string>>(*list);
      part.option_lines[key] = key_line;
      continue;
    }
    if (key == "chunks" || key == "concurrency") {
      if (kind == PartKind::kTrigger) {
        errors.Add(key_line, "{}.{}: a trigger has no {}", section, name, key);
        continue;
      }
      auto n = Count(value, key == "chunks" ? 1 : 0,
                     fmt::format("{}.{}: {}", section, name, key), errors);
      if (n) (key == "chunks" ? part.chunks : part.concurrency) = *n;
      part.option_lines[key] = key_line;
      continue;
    }
    if (info == nullptr) continue;  // its options cannot be checked
    const OptionSpec* option = FindOption(*info, key);
    if (option == nullptr) {
      std::vector<std::string> known;
      for (const OptionSpec& o : info->options) known.push_back(o.name);
      std::vector<std::string> keys = known;
      for (std::string& k : PlacementKeys(kind)) keys.push_back(std::move(k));
      errors.Add(key_line, "{}.{}: '{}' has no option '{}' {}{}", section, name, part.type, key,
                 OptionsNote(known), DidYouMean(key, keys));
      continue;
    }
    std::string why;
    std::optional<OptionValue> v = ToOption(value, option->type, &why);
    if (v && !Allowed(*option, *v, &why)) v.reset();
    if (!v) {
      errors.Add(key_line, "{}.{}: option '{}' {}", section, name, key, why);
      continue;
    }
    part.options.Set(key, std::move(*v));
    part.option_lines[key] = key_line;
  }
  if (info == nullptr) {
    part.type.clear();  // no contract, no factory: checked as a part of unknown columns
    spec.parts.push_back(std::move(part));
    return;
  }
  for (const OptionSpec& o : info->options) {
    if (part.options.Has(o.name)) continue;
    if (o.default_value) {
      part.options.Set(o.name, *o.default_value);
    } else {
      errors.Add(line, "{}.{}: '{}' needs option '{}' ({}: {})", section, name, part.type,
                 o.name, OptionTypeName(o.type), o.help);
    }
  }
  spec.parts.push_back(std::move(part));
}

void ReadHeader(const toml::table& header, PipelineSpec& spec, Errors& errors) {
  for (const auto& [key_name, value] : header) {
    const std::string key(key_name.str());
    if (key == "name") {
      if (const auto* s = value.as_string()) {
        spec.name = s->get();
        continue;
      }
      errors.Add(LineOf(key_name), "pipeline.name must be a string");
    } else if (key == "max_in_flight") {
      if (auto n = Count(value, 1, "pipeline.max_in_flight", errors)) spec.max_in_flight = *n;
    } else {
      errors.Add(LineOf(key_name), "[pipeline] has no key '{}' (keys: name, max_in_flight)", key);
    }
  }
}

constexpr PartKind kKinds[] = {PartKind::kSource, PartKind::kHandler, PartKind::kSink,
                               PartKind::kTrigger};

std::optional<PartKind> SectionKind(std::string_view section) {
  for (PartKind kind : kKinds) {
    if (PartKindSection(kind) == section) return kind;
  }
  return std::nullopt;
}

std::optional<toml::table> ParseToml(std::string_view text, const std::string& file,
                                     Errors& errors) {
  try {
    return toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    errors.Add(static_cast<int>(e.source().begin.line), "{}", e.description());
    return std::nullopt;
  }
}

// A TOML value turned into a frame value; nullopt for lists, tables and dates.
std::optional<Value> ToValue(const toml::node& node) {
  if (const auto* s = node.as_string()) return Value(s->get());
  if (const auto* i = node.as_integer()) return Value(i->get());
  if (const auto* f = node.as_floating_point()) return Value(f->get());
  if (const auto* b = node.as_boolean()) return Value(int64_t{b->get() ? 1 : 0});
  return std::nullopt;
}

// A list of inline tables as rows; errors name the case and row.
std::optional<std::vector<Record>> ToRows(const toml::node& node, std::string_view what,
                                          Errors& errors) {
  const auto* array = node.as_array();
  if (array == nullptr) {
    errors.Add(LineOf(node), "{} must be a list of rows ({{ column = value, ... }})", what);
    return std::nullopt;
  }
  std::vector<Record> rows;
  for (const toml::node& item : *array) {
    const auto* table = item.as_table();
    if (table == nullptr) {
      errors.Add(LineOf(item), "{}: row {} must be a table ({{ column = value, ... }})", what,
                 rows.size() + 1);
      return std::nullopt;
    }
    Record row;
    for (const auto& [key, cell] : *table) {
      std::optional<Value> v = ToValue(cell);
      if (!v) {
        errors.Add(LineOf(cell), "{}: row {}, column '{}' must be a string, number or boolean",
                   what, rows.size() + 1, key.str());
        return std::nullopt;
      }
      row.emplace_back(std::string(key.str()), std::move(*v));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

void ReadTestCase(const toml::table& table, int line, PipelineSpec& spec, Errors& errors) {
  TestCaseSpec test{.line = line};
  for (const auto& [key_name, node] : table) {
    const std::string key(key_name.str());
    const int key_line = LineOf(key_name);
    // A plain reference: clang 14 cannot capture a structured binding in a lambda.
    const toml::node& value = node;
    auto string_of = [&](std::string& out) {
      if (const auto* s = value.as_string()) {
        out = s->get();
        return;
      }
      errors.Add(key_line, "test '{}': {} must be a string", test.name, key);
    };
    auto strings_of = [&](std::vector<std::string>& out) {
      std::string why;
      if (auto v = ToOption(value, OptionType::kStringList, &why)) {
        out = std::get<std::vector<std::string>>(*v);
        return;
      }
      errors.Add(key_line, "test '{}': {} {}", test.name, key, why);
    };
    auto count_of = [&](std::optional<int64_t>& out) {
      if (auto n = Count(value, 0, key, errors)) out = static_cast<int64_t>(*n);
    };
    if (key == "name") {
      string_of(test.name);
    } else if (key == "node") {
      string_of(test.node);
    } else if (key == "input") {
      if (auto rows = ToRows(value, "input", errors)) test.messages.push_back(std::move(*rows));
    } else if (key == "messages") {
      const auto* list = value.as_array();
      if (list == nullptr) {
        errors.Add(key_line, "test '{}': messages must be a list of messages, each a list of rows",
                   test.name);
        continue;
      }
      for (const toml::node& message : *list) {
        auto rows = ToRows(message, fmt::format("messages[{}]", test.messages.size() + 1), errors);
        if (!rows) break;
        test.messages.push_back(std::move(*rows));
      }
    } else if (key == "expect") {
      if (auto rows = ToRows(value, "expect", errors)) test.expect = std::move(*rows);
    } else if (key == "expect_rows") {
      count_of(test.expect_rows);
    } else if (key == "expect_rejected") {
      count_of(test.expect_rejected);
    } else if (key == "expect_columns") {
      strings_of(test.expect_columns);
    } else if (key == "expect_no_columns") {
      strings_of(test.expect_no_columns);
    } else if (key == "options") {
      const auto* table = value.as_table();
      if (table == nullptr) {
        errors.Add(key_line, "test '{}': options must be a table ({{ option = value }})",
                   test.name);
        continue;
      }
      for (const auto& [option, option_value] : *table) {
        std::ostringstream text;
        option_value.visit([&text](const auto& v) { text << v; });  // as TOML
        test.options[std::string(option.str())] = text.str();
      }
    } else if (key == "expect_error") {
      std::string message;
      string_of(message);
      test.expect_error = message;
    } else {
      errors.Add(key_line,
                 "a test has no key '{}' (keys: name, node, options, input, messages, expect, expect_rows, "
                 "expect_rejected, expect_columns, expect_no_columns, expect_error)",
                 key);
    }
  }
  if (test.name.empty()) errors.Add(line, "a test needs a name");
  if (table.contains("input") && table.contains("messages")) {
    errors.Add(line, "test '{}': give input (one message) or messages (several), not both",
               test.name);
  }
  if (test.node.empty()) {
    errors.Add(line, "test '{}' needs the node it runs (node = \"...\")", test.name);
  } else if (spec.Find(test.node) == nullptr) {
    errors.Add(line, "test '{}': no node '{}' in {}", test.name, test.node, spec.file);
  } else if (spec.Find(test.node)->kind == PartKind::kTrigger) {
    errors.Add(line, "test '{}': '{}' is a trigger; a case runs a source, handler or sink",
               test.name, test.node);
  }
  if (!test.expect && !test.expect_rows && !test.expect_rejected &&
      test.expect_columns.empty() && test.expect_no_columns.empty() && !test.expect_error) {
    errors.Add(line, "test '{}' expects nothing (give expect, expect_rows, ...)", test.name);
  }
  spec.tests.push_back(std::move(test));
}

void ReadTests(const toml::node& node, PipelineSpec& spec, Errors& errors) {
  const auto* array = node.as_array();
  if (array == nullptr || !array->is_array_of_tables()) {
    errors.Add(LineOf(node), "tests must be an array of tables ([[tests]])");
    return;
  }
  for (const toml::node& item : *array) ReadTestCase(*item.as_table(), LineOf(item), spec, errors);
}

std::optional<std::string> ReadText(const std::string& path, std::string* error) {
  std::error_code ec;
  if (fs::exists(path, ec) && !fs::is_regular_file(path, ec)) {
    *error = fmt::format("{}: not a file", path);
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = fmt::format("{}: cannot read: {}", path, std::strerror(errno));
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

const PartSpec* PipelineSpec::Find(std::string_view name) const {
  for (const PartSpec& p : parts) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

PartSpec* PipelineSpec::Find(std::string_view name) {
  return const_cast<PartSpec*>(std::as_const(*this).Find(name));
}

std::vector<const PartSpec*> PipelineSpec::OfKind(PartKind kind) const {
  std::vector<const PartSpec*> out;
  for (const PartSpec& p : parts) {
    if (p.kind == kind) out.push_back(&p);
  }
  return out;
}

PipelineLoad ParsePipeline(std::string_view text, const std::string& file_name,
                           const PartRegistry& registry) {
  Errors errors(file_name);
  std::optional<toml::table> root = ParseToml(text, file_name, errors);
  if (!root) return {.errors = errors.Take()};
  PipelineSpec spec{.file = file_name};
  struct Declared {
    std::string name;
    int line;
    PartKind kind;
    const toml::node* node;
  };
  std::vector<Declared> declared;
  const toml::node* tests = nullptr;
  for (const auto& [section_key, section] : *root) {
    const std::string name(section_key.str());
    if (name == "pipeline" && section.is_table()) {
      ReadHeader(*section.as_table(), spec, errors);
      continue;
    }
    if (name == "tests") {
      tests = &section;
      continue;
    }
    std::optional<PartKind> kind = SectionKind(name);
    if (!kind || !section.is_table()) {
      errors.Add(LineOf(section_key),
                 "unknown section '{}' (sections: pipeline, sources, nodes, sinks, triggers, "
                 "tests){}",
                 name,
                 DidYouMean(name, {"pipeline", "sources", "nodes", "sinks", "triggers", "tests"}));
      continue;
    }
    for (const auto& [part_key, part] : *section.as_table()) {
      declared.push_back({std::string(part_key.str()), LineOf(part_key), *kind, &part});
    }
  }
  // toml++ keeps keys sorted; the file's own order is what users read and what we print.
  std::stable_sort(declared.begin(), declared.end(),
                   [](const Declared& a, const Declared& b) { return a.line < b.line; });
  std::map<std::string, int> first_use;  // part name -> line, across sections
  for (const Declared& d : declared) {
    auto [it, fresh] = first_use.emplace(d.name, d.line);
    if (!fresh) {
      errors.Add(d.line, "'{}' is already declared at line {}; part names are unique", d.name,
                 it->second);
      continue;
    }
    ReadPart(d.name, d.line, *d.node, d.kind, registry, spec, errors);
  }
  if (tests != nullptr) {
    spec.tests_file = file_name;
    ReadTests(*tests, spec, errors);
  }
  std::vector<std::string> list = errors.Take();
  if (!list.empty()) return {.spec = std::move(spec), .errors = std::move(list)};
  return {.spec = std::move(spec)};
}

std::vector<std::string> ParseTestCases(std::string_view text, const std::string& file_name,
                                        PipelineSpec& spec) {
  Errors errors(file_name);
  std::optional<toml::table> root = ParseToml(text, file_name, errors);
  if (!root) return errors.Take();
  spec.tests_file = file_name;
  for (const auto& [key, node] : *root) {
    if (key.str() != "tests") {
      errors.Add(LineOf(key), "a tests file holds only [[tests]], not '{}'", key.str());
      continue;
    }
    ReadTests(node, spec, errors);
  }
  return errors.Take();
}

PipelineLoad LoadPipelineFile(const std::string& path, const PartRegistry& registry) {
  std::string error;
  std::optional<std::string> text = ReadText(path, &error);
  if (!text) return {.errors = {error}};
  PipelineLoad load = ParsePipeline(*text, path, registry);
  if (!load.spec) return load;
  // run.toml -> run.tests.toml
  fs::path beside = fs::path(path);
  beside.replace_extension(".tests.toml");
  std::error_code ec;
  if (fs::exists(beside, ec)) {
    if (!load.spec->tests.empty()) {
      load.errors.push_back(fmt::format("{}: tests are declared both here and in {}; keep one",
                                        path, beside.string()));
      return load;
    }
    std::optional<std::string> tests = ReadText(beside.string(), &error);
    if (!tests) {
      load.errors.push_back(error);
      return load;
    }
    for (std::string& e : ParseTestCases(*tests, beside.string(), *load.spec)) {
      load.errors.push_back(std::move(e));
    }
  }
  return load;
}

std::vector<std::string> ApplyOverride(PipelineSpec& spec, const PartRegistry& registry,
                                       std::string_view assignment, std::string_view origin) {
  auto fail = [&](std::string message) {
    return std::vector<std::string>{fmt::format("{} {}: {}", origin, assignment, message)};
  };
  const size_t eq = assignment.find('=');
  const size_t dot = assignment.substr(0, eq).find('.');
  if (eq == std::string_view::npos || dot == std::string_view::npos) {
    return fail("expected node.option=value");
  }
  const std::string node(assignment.substr(0, dot));
  const std::string option(assignment.substr(dot + 1, eq - dot - 1));
  const std::string_view text = assignment.substr(eq + 1);
  PartSpec* part = spec.Find(node);
  if (part == nullptr) return fail(fmt::format("{} has no part '{}'", spec.file, node));
  // Placement keys an operator may change too (chunks = slices in parallel, concurrency).
  if ((option == "chunks" || option == "concurrency") && part->kind != PartKind::kTrigger) {
    const int64_t min = option == "chunks" ? 1 : 0;
    int64_t n = -1;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (error != std::errc() || end != text.data() + text.size() || n < min) {
      return fail(fmt::format("{} must be an integer of at least {}", option, min));
    }
    (option == "chunks" ? part->chunks : part->concurrency) = static_cast<size_t>(n);
    part->option_origins[option] = fmt::format("{} {}", origin, assignment);
    return {};
  }
  const PartInfo* info = registry.Find(part->type);
  const OptionSpec* declared = info == nullptr ? nullptr : FindOption(*info, option);
  if (declared == nullptr) {
    std::vector<std::string> known;
    if (info != nullptr) {
      for (const OptionSpec& o : info->options) known.push_back(o.name);
    }
    std::vector<std::string> keys = known;
    keys.push_back("chunks");
    keys.push_back("concurrency");
    return fail(fmt::format("'{}' ({}) has no option '{}' {}{}", node, part->type, option,
                            OptionsNote(known), DidYouMean(option, keys)));
  }
  // The value in TOML syntax; anything that does not parse as TOML is a bare string.
  std::optional<OptionValue> value;
  std::string why;
  try {
    toml::table t = toml::parse(fmt::format("v = {}", text));
    value = ToOption(*t.get("v"), declared->type, &why);
  } catch (const toml::parse_error&) {
    why = fmt::format("must be {} in TOML syntax", WithArticle(declared->type));
  }
  // A string option takes the text as it is unless it was a quoted TOML string: a path or
  // a word needs no quotes, and `--set out.table=2024` is the table "2024".
  if (!value && declared->type == OptionType::kString) value = OptionValue(std::string(text));
  if (value && !Allowed(*declared, *value, &why)) value.reset();
  if (!value) return fail(fmt::format("option '{}' {}", option, why));
  part->options.Set(option, std::move(*value));
  // Checks of the value (CheckPipeline) then name this assignment, not the file's line.
  part->option_origins[option] = fmt::format("{} {}", origin, assignment);
  return {};
}

std::vector<std::string> ApplyEnvironmentOverrides(PipelineSpec& spec,
                                                   const PartRegistry& registry,
                                                   char** environ) {
  constexpr std::string_view kPrefix = "GYM_SET__";
  std::vector<std::string> errors;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry(*e);
    if (!entry.starts_with(kPrefix)) continue;
    const size_t eq = entry.find('=');
    const std::string_view name = entry.substr(0, eq);
    const std::string_view rest = name.substr(kPrefix.size());
    const size_t sep = rest.find("__");
    if (eq == std::string_view::npos || sep == std::string_view::npos) {
      errors.push_back(fmt::format("{}: expected GYM_SET__<node>__<option>=<value>", name));
      continue;
    }
    const std::string assignment = fmt::format("{}.{}={}", rest.substr(0, sep),
                                               rest.substr(sep + 2), entry.substr(eq + 1));
    for (std::string& error : ApplyOverride(spec, registry, assignment, name)) {
      errors.push_back(std::move(error));
    }
  }
  return errors;
}

}  // namespace gym
