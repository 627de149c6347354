#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/pipeline/pipeline_assembly.h"
#include "gym/pipeline/pipeline_spec.h"

namespace gym {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::unique_ptr<Handler> PassThrough() {
  return MakeHandler([](Frame f) { return f; });
}

// A part of kind `kind` that passes frames on, with `contract` for every option value.
PartInfo PassThroughPart(std::string type, PartKind kind, ColumnContract contract = {},
                         std::vector<OptionSpec> options = {}) {
  return {.type = std::move(type),
          .kind = kind,
          .help = "a test part",
          .options = std::move(options),
          .contract = [contract](const PartOptions&) { return contract; },
          .make = [](const std::string&, const PartOptions&, const PartContext&) -> MadeHandler {
            return PassThrough();
          }};
}

// A small registry: a source, a handler that reads and one that drops valor, a handler that
// turns valor into text, a summary that replaces the frame, a sink and a trigger.
PartRegistry TestRegistry() {
  PartRegistry r;
  const auto add = [&r](PartInfo info) { EXPECT_TRUE(r.Add(std::move(info)).ok()); };
  add(PassThroughPart("rows", PartKind::kSource, {.adds = {{"valor", DataType::kDouble}}}));
  add(PassThroughPart("scale", PartKind::kHandler, {.reads = {{"valor", DataType::kDouble}}},
                      {{.name = "factor",
                        .type = OptionType::kDouble,
                        .help = "the factor",
                        .default_value = 1.0},
                       {.name = "mode",
                        .type = OptionType::kString,
                        .help = "how",
                        .default_value = std::string("fast"),
                        .choices = {"fast", "exact"}}}));
  add(PassThroughPart("drop_valor", PartKind::kHandler, {.drops = {"valor"}}));
  add(PassThroughPart("valor_as_text", PartKind::kHandler,
                      {.adds = {{"valor", DataType::kString}}}));
  add(PassThroughPart("count", PartKind::kHandler,
                      {.adds = {{"n", DataType::kInt64}}, .replaces = true}));
  add(PassThroughPart("store", PartKind::kSink, {},
                      {{.name = "table", .type = OptionType::kString, .help = "where"}}));
  PartInfo timer = PassThroughPart("timer", PartKind::kTrigger, {},
                                   {{.name = "feeds",
                                     .type = OptionType::kStringList,
                                     .help = "sources",
                                     .default_value = std::vector<std::string>{}}});
  timer.make = nullptr;  // a trigger is driven by its command
  add(std::move(timer));
  return r;
}

// Every error of reading and checking `text`.
std::vector<std::string> Errors(const std::string& text) {
  PartRegistry registry = TestRegistry();
  PipelineLoad load = ParsePipeline(text, "p.toml", registry);
  if (!load.ok()) return load.errors;
  return CheckPipeline(*load.spec, registry);
}

constexpr char kGood[] = R"(
[pipeline]
name = "demo"
max_in_flight = 8

[sources.in]
type = "rows"

[nodes.scale]
type = "scale"
inputs = ["in"]
factor = 2
chunks = 2

[sinks.out]
type = "store"
inputs = ["scale"]
table = "t"

[triggers.tick]
type = "timer"
feeds = ["in"]
)";

TEST(PipelineFileTest, ReadsAGoodFileInFileOrderWithDefaultsFilled) {
  PartRegistry registry = TestRegistry();
  PipelineLoad load = ParsePipeline(kGood, "p.toml", registry);
  ASSERT_TRUE(load.ok()) << load.errors[0];
  const PipelineSpec& spec = *load.spec;
  EXPECT_EQ(spec.name, "demo");
  EXPECT_EQ(spec.max_in_flight, 8u);
  std::vector<std::string> names;
  for (const PartSpec& p : spec.parts) names.push_back(p.name);
  EXPECT_THAT(names, ElementsAre("in", "scale", "out", "tick"));
  const PartSpec& scale = *spec.Find("scale");
  EXPECT_EQ(scale.chunks, 2u);
  EXPECT_EQ(scale.options.Double("factor"), 2.0);  // an integer taken as a number
  EXPECT_EQ(scale.options.String("mode"), "fast");  // the default
  EXPECT_EQ(scale.line, 9);
  EXPECT_THAT(CheckPipeline(spec, registry), IsEmpty());
}

TEST(PipelineFileTest, SyntaxErrorNamesFileAndLine) {
  EXPECT_THAT(Errors("[pipeline]\nname = \"x\"\n[nodes.a\n"),
              ElementsAre(HasSubstr("p.toml:3:")));
}

TEST(PipelineFileTest, UnknownTypeAndOptionAndMistypedOptionAreAllReported) {
  const std::vector<std::string> errors = Errors(R"([sources.in]
type = "rows"
[nodes.a]
type = "nope"
inputs = ["in"]
[nodes.b]
type = "scale"
inputs = ["in"]
factr = 2
[nodes.c]
type = "scale"
inputs = ["in"]
factor = "two"
mode = "slow"
)");
  EXPECT_THAT(errors,
              ElementsAre(HasSubstr("p.toml:4: nodes.a: unknown handler type 'nope' (known: "
                                    "count, drop_valor, scale, valor_as_text)"),
                          HasSubstr("p.toml:9: nodes.b: 'scale' has no option 'factr' "
                                    "(options: factor, mode)"),
                          HasSubstr("p.toml:13: nodes.c: option 'factor' must be a number, not "
                                    "a string"),
                          HasSubstr("p.toml:14: nodes.c: option 'mode' must be one of \"fast\", "
                                    "\"exact\", not \"slow\"")));
}

TEST(PipelineFileTest, PartInTheWrongSectionAndMissingRequiredOption) {
  EXPECT_THAT(Errors("[nodes.s]\ntype = \"store\"\ninputs = []\n[sinks.t]\ntype = \"store\"\n"
                     "inputs = [\"s\"]\n"),
              ElementsAre(HasSubstr("p.toml:2: nodes.s: 'store' is a sink; declare it under "
                                    "[sinks]"),
                          HasSubstr("p.toml:4: sinks.t: 'store' needs option 'table'")));
}

TEST(PipelineFileTest, MissingInputsAndReadingFromASink) {
  EXPECT_THAT(Errors(R"([sources.in]
type = "rows"
[nodes.a]
type = "scale"
inputs = ["nowhere"]
[sinks.out]
type = "store"
table = "t"
inputs = ["in"]
[nodes.b]
type = "scale"
inputs = ["out"]
[nodes.c]
type = "scale"
)"),
              ElementsAre(HasSubstr("p.toml:5: 'a' reads from 'nowhere', which is not declared"),
                          HasSubstr("p.toml:12: 'b' reads from 'out', a sink: it has no output"),
                          HasSubstr("p.toml:13: handler 'c' needs inputs")));
}

TEST(PipelineFileTest, CycleIsNamedAlongItsPath) {
  EXPECT_THAT(Errors(R"([sources.in]
type = "rows"
[nodes.a]
type = "scale"
inputs = ["in", "c"]
[nodes.b]
type = "scale"
inputs = ["a"]
[nodes.c]
type = "scale"
inputs = ["b"]
)"),
              ElementsAre("p.toml:6: cycle: a <- c <- b <- a"));
}

TEST(PipelineFileTest, ReadingAColumnAfterItIsDroppedFails) {
  EXPECT_THAT(Errors(R"([sources.in]
type = "rows"
[nodes.drop]
type = "drop_valor"
inputs = ["in"]
[nodes.scale]
type = "scale"
inputs = ["drop"]
)"),
              ElementsAre("p.toml:6: 'scale' (scale) reads column 'valor', which 'drop' drops "
                          "before it"));
}

TEST(PipelineFileTest, ReadingAColumnOfAnotherTypeFails) {
  EXPECT_THAT(Errors(R"([sources.in]
type = "rows"
[nodes.text]
type = "valor_as_text"
inputs = ["in"]
[nodes.scale]
type = "scale"
inputs = ["text"]
)"),
              ElementsAre(HasSubstr("'scale' (scale) reads column 'valor' as double, but 'text' "
                                    "makes it string")));
}

TEST(PipelineFileTest, ReadingWhatAReplacingPartDoesNotOutputFails) {
  EXPECT_THAT(Errors(R"([sources.in]
type = "rows"
[nodes.count]
type = "count"
inputs = ["in"]
[nodes.scale]
type = "scale"
inputs = ["count"]
)"),
              ElementsAre(HasSubstr("reads column 'valor', which does not arrive: after 'count', only n")));
}

TEST(PipelineFileTest, EveryPathIntoAFanInIsChecked) {
  // `scale` receives from `in` (valor present) and from `drop` (valor gone): the second fails.
  EXPECT_THAT(Errors(R"([sources.in]
type = "rows"
[nodes.drop]
type = "drop_valor"
inputs = ["in"]
[nodes.scale]
type = "scale"
inputs = ["in", "drop"]
)"),
              ElementsAre(HasSubstr("which 'drop' drops before it")));
}

TEST(PipelineFileTest, AReadWhenPresentToleratesAnInputWithoutTheColumnButNotAnotherType) {
  PartRegistry registry = TestRegistry();
  ASSERT_TRUE(registry
                  .Add({.type = "join",
                        .kind = PartKind::kHandler,
                        .help = "joins",
                        .contract =
                            [](const PartOptions&) {
                              return ColumnContract{
                                  .reads = {{"valor", DataType::kDouble, /*when_present=*/true}}};
                            },
                        .make = [](const std::string&, const PartOptions&, const PartContext&)
                            -> MadeHandler { return PassThrough(); }})
                  .ok());
  auto check = [&](const std::string& text) {
    PipelineLoad load = ParsePipeline(text, "p.toml", registry);
    EXPECT_TRUE(load.ok()) << load.errors[0];
    return CheckPipeline(*load.spec, registry);
  };
  // From a metric's totals (no valor) and from the source: fine.
  EXPECT_THAT(check("[sources.in]\ntype = \"rows\"\n[nodes.count]\ntype = \"count\"\n"
                    "inputs = [\"in\"]\n[nodes.j]\ntype = \"join\"\ninputs = [\"in\", "
                    "\"count\"]\n"),
              IsEmpty());
  // valor made text on the way: still an error.
  EXPECT_THAT(check("[sources.in]\ntype = \"rows\"\n[nodes.t]\ntype = \"valor_as_text\"\n"
                    "inputs = [\"in\"]\n[nodes.j]\ntype = \"join\"\ninputs = [\"t\"]\n"),
              ElementsAre(HasSubstr("reads column 'valor' as double, but 't' makes it string")));
}

TEST(PipelineFileTest, TriggerMustFeedASource) {
  EXPECT_THAT(Errors("[sources.in]\ntype = \"rows\"\n[triggers.t]\ntype = \"timer\"\n"
                     "feeds = [\"in\", \"x\"]\n"),
              ElementsAre("p.toml:5: trigger 't' feeds 'x', which is not a source"));
}

TEST(PipelineFileTest, UnknownSectionAndNameUsedTwice) {
  EXPECT_THAT(Errors("[sourcez.in]\ntype = \"rows\"\n[sources.a]\ntype = \"rows\"\n"
                     "[sinks.a]\ntype = \"store\"\ntable = \"t\"\ninputs = [\"a\"]\n"),
              ElementsAre(HasSubstr("p.toml:1: unknown section 'sourcez'"),
                          HasSubstr("p.toml:5: 'a' is already declared at line 3")));
}

TEST(PipelineFileTest, OverridesAreTypedAndNamed) {
  PartRegistry registry = TestRegistry();
  PipelineLoad load = ParsePipeline(kGood, "p.toml", registry);
  ASSERT_TRUE(load.ok());
  PipelineSpec& spec = *load.spec;
  EXPECT_THAT(ApplyOverride(spec, registry, "scale.factor=3.5", "--set"), IsEmpty());
  EXPECT_EQ(spec.Find("scale")->options.Double("factor"), 3.5);
  EXPECT_THAT(ApplyOverride(spec, registry, "out.table=other_table", "--set"), IsEmpty());
  EXPECT_EQ(spec.Find("out")->options.String("table"), "other_table");  // a bare string
  EXPECT_THAT(ApplyOverride(spec, registry, "scale.factor=lots", "--set"),
              ElementsAre("--set scale.factor=lots: option 'factor' must be a number in TOML "
                          "syntax"));
  EXPECT_THAT(ApplyOverride(spec, registry, "nope.factor=1", "--set"),
              ElementsAre(HasSubstr("p.toml has no part 'nope'")));
  EXPECT_THAT(ApplyOverride(spec, registry, "scale.fator=1", "--set"),
              ElementsAre(HasSubstr("'scale' (scale) has no option 'fator'")));
  EXPECT_THAT(ApplyOverride(spec, registry, "scale", "--set"),
              ElementsAre(HasSubstr("expected node.option=value")));

  std::string a = "GYM_SET__scale__factor=4";
  std::string b = "PATH=/bin";
  char* env[] = {a.data(), b.data(), nullptr};
  EXPECT_THAT(ApplyEnvironmentOverrides(spec, registry, env), IsEmpty());
  EXPECT_EQ(spec.Find("scale")->options.Double("factor"), 4.0);
}

TEST(PipelineFileTest, ReadsTestCases) {
  PartRegistry registry = TestRegistry();
  PipelineLoad load = ParsePipeline(std::string(kGood) + R"(
[[tests]]
name = "doubles"
node = "scale"
input = [{ valor = 2.0, moeda = "BRL" }, { valor = 3 }]
expect = [{ valor = 4.0 }]
expect_rows = 2
)",
                                    "p.toml", registry);
  ASSERT_TRUE(load.ok()) << load.errors[0];
  ASSERT_EQ(load.spec->tests.size(), 1u);
  const TestCaseSpec& t = load.spec->tests[0];
  EXPECT_EQ(t.name, "doubles");
  EXPECT_EQ(t.node, "scale");
  ASSERT_EQ(t.messages.size(), 1u);
  ASSERT_EQ(t.messages[0].size(), 2u);
  EXPECT_EQ(t.messages[0][0].size(), 2u);
  EXPECT_EQ(t.expect_rows, 2);
  ASSERT_TRUE(t.expect);

  PipelineSpec spec = *load.spec;
  spec.tests.clear();
  EXPECT_THAT(ParseTestCases("[[tests]]\nname = \"two\"\nnode = \"scale\"\n"
                             "messages = [[{ valor = 1 }], [{ valor = 2 }, { valor = 3 }]]\n"
                             "expect_rows = 2\n",
                             "p.tests.toml", spec),
              IsEmpty());
  ASSERT_EQ(spec.tests.size(), 1u);
  ASSERT_EQ(spec.tests[0].messages.size(), 2u);
  EXPECT_EQ(spec.tests[0].messages[1].size(), 2u);
  spec.tests.clear();
  EXPECT_THAT(ParseTestCases("[[tests]]\nname = \"x\"\nnode = \"ghost\"\nexpect_rows = 1\n",
                             "p.tests.toml", spec),
              ElementsAre("p.tests.toml:1: test 'x': no node 'ghost' in p.toml"));
}

TEST(PipelineFileTest, AssemblesAndRunsTheFile) {
  PartRegistry registry = TestRegistry();
  PipelineLoad load = ParsePipeline(kGood, "p.toml", registry);
  ASSERT_TRUE(load.ok());
  absl::StatusOr<AssembledPipeline> p = AssemblePipeline(*load.spec, registry, PartContext{});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->handlers.size(), 3u);  // the trigger has no handler
  EXPECT_NE(p->Find<Handler>("scale"), nullptr);
  absl::StatusOr<CompletionToken> t =
      p->pipeline->Submit("in", Frame::FromRecords({{{"valor", 1.0}}}));
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->Wait().ok());
}

TEST(PartRegistryTest, RefusesDuplicatesAndReservedOptionNames) {
  PartRegistry r = TestRegistry();
  EXPECT_FALSE(r.Add({.type = "scale",
                      .make = [](const std::string&, const PartOptions&, const PartContext&)
                          -> absl::StatusOr<std::unique_ptr<Handler>> { return PassThrough(); }})
                   .ok());
  EXPECT_FALSE(r.Add({.type = "x",
                      .options = {{.name = "inputs"}},
                      .make = [](const std::string&, const PartOptions&, const PartContext&)
                          -> absl::StatusOr<std::unique_ptr<Handler>> { return PassThrough(); }})
                   .ok());
  EXPECT_THAT(r.Describe(), HasSubstr("factor (number, default 1): the factor"));
}

}  // namespace
}  // namespace gym
