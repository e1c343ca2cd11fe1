// chrysalis-cli train OUT --data FILE... [--preset ...] [flags]: regularized
// MLM training that writes a live series; `train --resume SERIES` continues
// one. See docs/training.md.
#include "cli/commands.h"

#include "common/error.h"
#include "format/engine_events.h"
#include "format/series.h"
#include "train/densify.h"
#include "train/distributed.h"
#include "train/interrupt.h"
#include "train/progress.h"
#include "train/trainer.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <unistd.h>

namespace chrysalis::cli {

namespace {

using train::TrainConfig;
using Setter = std::function<void(TrainConfig&)>;

// Flags that change the configuration. Each applies only when given, on top
// of the preset.
struct ConfigFlags {
  std::vector<std::pair<CLI::Option*, Setter>> setters;

  template <class T>
  void add(CLI::App* cmd, const std::string& name, const std::string& help,
           std::function<void(TrainConfig&, const T&)> set) {
    auto value = std::make_shared<T>();
    auto* opt = cmd->add_option(name, *value, help);
    setters.emplace_back(opt, [value, set](TrainConfig& c) { set(c, *value); });
  }
  void addFlag(CLI::App* cmd, const std::string& name, const std::string& help, Setter set) {
    auto* opt = cmd->add_flag(name, help);
    setters.emplace_back(opt, std::move(set));
  }
  /// Whether a flag other than `except` (a long name, e.g. "--steps") was given.
  bool anyGiven(const std::string& except = {}) const {
    for (const auto& [opt, set] : setters)
      if (opt->count() > 0 &&
          (except.empty() || !opt->check_lname(except.substr(except.find_first_not_of('-')))))
        return true;
    return false;
  }
  /// The value given for a flag, through a configuration it is applied to.
  int64_t stepsGiven(const TrainConfig& base) const {
    for (const auto& [opt, set] : setters)
      if (opt->count() > 0 && opt->check_lname("steps")) {
        TrainConfig c = base;
        set(c);
        return c.steps;
      }
    return 0;
  }
  void apply(TrainConfig& c) const {
    for (const auto& [opt, set] : setters)
      if (opt->count() > 0) set(c);
  }
};

std::string commandLine() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string out;
  for (char ch : raw)
    out += ch == '\0' ? ' ' : ch;
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

std::vector<int64_t> parseSteps(const std::string& list) {
  std::vector<int64_t> steps;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    try {
      size_t used = 0;
      steps.push_back(std::stoll(item, &used));
      if (used != item.size()) throw std::invalid_argument(item);
    } catch (const std::exception&) {
      throw InputError("command line", "--checkpoint-steps", "not a step number: '" + item + "'");
    }
  }
  return steps;
}

format::DType weightsDType(const std::string& name) {
  if (name == "f32" || name == "float32") return format::DType::F32;
  if (name == "f16" || name == "float16") return format::DType::F16;
  if (name == "bf16" || name == "bfloat16") return format::DType::BF16;
  throw InputError("command line", "--weights-dtype",
                   "expected f32, f16 or bf16, not '" + name + "'");
}

struct Options {
  std::string out;
  std::string resume;
  std::string densify; // --densify SERIES with --from/--to/--every
  int64_t from = -1, to = -1, every = 0;
  std::string preset = "demo";
  std::vector<std::string> data;
  std::string schedule;
  double lambda = 0.001;
  int threads = -1;
  bool json = false;
  int64_t logEvery = 10;
  CLI::Option* dataOpt = nullptr;
  CLI::Option* presetOpt = nullptr;
  CLI::Option* scheduleOpt = nullptr;
  CLI::Option* lambdaOpt = nullptr;
};

void addConfigFlags(CLI::App* cmd, ConfigFlags& f) {
  f.add<std::string>(cmd, "--label", "Name of the run in the app",
                     [](TrainConfig& c, const std::string& v) { c.label = v; });
  f.add<int64_t>(cmd, "--layers", "Transformer layers",
                 [](TrainConfig& c, const int64_t& v) { c.model.numHiddenLayers = v; });
  f.add<int64_t>(cmd, "--hidden", "Hidden size",
                 [](TrainConfig& c, const int64_t& v) { c.model.hiddenSize = v; });
  f.add<int64_t>(cmd, "--heads", "Attention heads",
                 [](TrainConfig& c, const int64_t& v) { c.model.numAttentionHeads = v; });
  f.add<int64_t>(cmd, "--ffn", "Feed-forward (intermediate) size",
                 [](TrainConfig& c, const int64_t& v) { c.model.intermediateSize = v; });
  f.add<double>(cmd, "--dropout", "Hidden and attention dropout",
                [](TrainConfig& c, const double& v) {
                  c.model.hiddenDropoutProb = v;
                  c.model.attentionProbsDropoutProb = v;
                });
  f.add<std::string>(cmd, "--vocab",
                     "WordPiece vocab.txt to use (default: build one from the data)",
                     [](TrainConfig& c, const std::string& v) {
                       c.vocabFile = std::filesystem::absolute(v).string();
                     });
  f.add<int64_t>(cmd, "--vocab-size", "Size of the vocabulary built from the data",
                 [](TrainConfig& c, const int64_t& v) { c.vocabSize = v; });
  f.addFlag(cmd, "--cased", "Keep case and accents (default: uncased)",
            [](TrainConfig& c) { c.lowerCase = false; });
  f.add<std::string>(cmd, "--init", "Start from a checkpoint of this series (with --init-step)",
                     [](TrainConfig& c, const std::string& v) {
                       c.initSeries = std::filesystem::absolute(v).string();
                     });
  f.add<int64_t>(cmd, "--init-step", "Step of the --init checkpoint",
                 [](TrainConfig& c, const int64_t& v) { c.initStep = v; });
  f.add<int64_t>(cmd, "--max-sentences",
                 "Use only the first N sentences/lines of the data (0 = all)",
                 [](TrainConfig& c, const int64_t& v) { c.maxSentences = v; });
  f.add<int64_t>(cmd, "--steps", "Optimizer steps",
                 [](TrainConfig& c, const int64_t& v) { c.steps = v; });
  f.add<int64_t>(cmd, "--batch", "Sequences per micro-batch (per process)",
                 [](TrainConfig& c, const int64_t& v) { c.batchSize = v; });
  f.add<int64_t>(cmd, "--grad-accum", "Micro-batches per optimizer step",
                 [](TrainConfig& c, const int64_t& v) { c.gradAccum = v; });
  f.add<double>(cmd, "--lr", "Peak learning rate",
                [](TrainConfig& c, const double& v) { c.learningRate = v; });
  f.add<int64_t>(cmd, "--warmup", "Linear warm-up steps",
                 [](TrainConfig& c, const int64_t& v) { c.warmupSteps = v; });
  f.add<int64_t>(cmd, "--horizon", "Step where the linear decay reaches 0 (default: --steps)",
                 [](TrainConfig& c, const int64_t& v) { c.horizon = v; });
  f.add<double>(cmd, "--weight-decay", "AdamW weight decay (not on biases/LayerNorm)",
                [](TrainConfig& c, const double& v) { c.weightDecay = v; });
  f.add<double>(cmd, "--adam-eps", "AdamW epsilon",
                [](TrainConfig& c, const double& v) { c.adamEps = v; });
  f.add<double>(cmd, "--clip", "Gradient-norm clipping (0 = off)",
                [](TrainConfig& c, const double& v) { c.clipNorm = v; });
  f.add<double>(cmd, "--mask-prob", "Masking probability",
                [](TrainConfig& c, const double& v) { c.maskProb = v; });
  f.add<int64_t>(cmd, "--suppress-until", "λ becomes 0 at this step (SAS−(N))",
                 [](TrainConfig& c, const int64_t& v) { c.suppressUntil = v; });
  f.add<uint64_t>(cmd, "--seed", "Random seed (initialisation, data order, masking, dropout)",
                  [](TrainConfig& c, const uint64_t& v) { c.seed = v; });
  f.add<int64_t>(cmd, "--checkpoint-every",
                 "Checkpoint every N steps (default: dense early, sparse later)",
                 [](TrainConfig& c, const int64_t& v) { c.checkpointEvery = v; });
  f.add<std::string>(
      cmd, "--checkpoint-steps", "Checkpoint at these steps, e.g. 100,200,500",
      [](TrainConfig& c, const std::string& v) { c.checkpointSteps = parseSteps(v); });
  f.add<std::string>(
      cmd, "--weights-dtype", "Checkpoint weights: f32, f16 or bf16",
      [](TrainConfig& c, const std::string& v) { c.weightsDType = weightsDType(v); });
  f.add<std::string>(
      cmd, "--keep-states",
      "Resume states to keep: a count (the newest), or every:N / log:K to keep those "
      "checkpoints' states for train --densify (3x the model's float32 size each)",
      [](TrainConfig& c, const std::string& v) {
        if (v.find(':') != std::string::npos) {
          c.keepStatesAt = v;
          return;
        }
        if (v.empty() || v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos)
          throw InputError("command line", "--keep-states",
                           "'" + v + "': expected a count, every:N or log:K");
        c.keepStates = std::stoll(v);
      });
}

TrainConfig configFromFlags(const Options& o, const ConfigFlags& flags, const CLI::Option* maxSeq,
                            const CLI::Option* positions, int64_t maxSeqValue,
                            int64_t positionsValue) {
  TrainConfig c = train::presetConfig(o.preset);
  flags.apply(c);
  if (maxSeq->count() > 0) c.maxSeqLength = maxSeqValue;
  c.model.maxPositionEmbeddings = positions->count() > 0 ? positionsValue : c.maxSeqLength;
  for (const auto& d : o.data)
    c.dataFiles.push_back(std::filesystem::absolute(d).string());
  // --schedule picks the sign, --lambda the size; without --schedule the sign of --lambda decides.
  double lambda = o.lambda;
  if (o.scheduleOpt->count() > 0) {
    c.schedule = train::scheduleFromName(o.schedule);
    if (c.schedule == train::Schedule::Baseline) {
      if (o.lambdaOpt->count() > 0 && o.lambda != 0.0)
        throw InputError("command line", "--lambda", "the baseline schedule has λ = 0");
      lambda = 0.0;
    }
    lambda = c.schedule == train::Schedule::SasPlus ? -std::abs(lambda) : std::abs(lambda);
    if (c.schedule == train::Schedule::Baseline) lambda = 0.0;
  } else if (o.lambdaOpt->count() > 0) {
    c.schedule = lambda > 0 ? train::Schedule::SasMinus
                            : (lambda < 0 ? train::Schedule::SasPlus : train::Schedule::Baseline);
  } else {
    lambda = 0.0;
  }
  c.lambda = lambda;
  if (o.threads >= 0) c.threads = o.threads;
  c.commandLine = commandLine();
  return c;
}

// train --densify: re-runs a stretch of the series with denser checkpoints.
int runDensify(const Options& o, train::ProgressReporter& progress, const std::atomic<bool>& stop) {
  if (o.from < 0 || o.to < 0 || o.every < 1)
    throw InputError("command line", "--densify", "needs --from S1 --to S2 --every K");
  train::DensifyRequest r;
  r.series = o.densify;
  r.from = o.from;
  r.to = o.to;
  r.every = o.every;
  r.threads = o.threads;
  r.commandLine = commandLine();
  train::Densifier densifier(r);
  progress.start(densifier.trainer());
  const bool finished = densifier.trainer().run(densifier.callbacks(progress.callbacks()), &stop);
  progress.done(densifier.trainer().currentStep(), !finished);
  const auto& rep = densifier.report();
  auto list = [](const std::vector<int64_t>& steps) {
    std::string s;
    for (size_t i = 0; i < steps.size(); ++i)
      s += (i ? "," : "") + std::to_string(steps[i]);
    return s.empty() ? std::string("none") : s;
  };
  if (!o.json) {
    std::cerr << "densify: resumed from the state at step " << rep.resumedFrom << "; added "
              << rep.added.size() << (rep.added.size() == 1 ? " checkpoint (" : " checkpoints (")
              << list(rep.added) << ")\n";
    std::cerr << "densify: the re-run equals the original bit for bit at the steps both have: "
              << list(rep.matched) << "\n";
  } else {
    std::cout << nlohmann::json{{"event",
                                 format::engineEventName(format::EngineEventType::DensifyDone)},
                                {"resumed_from", rep.resumedFrom},
                                {"added", rep.added},
                                {"matched", rep.matched},
                                {"differed", rep.differed}}
                     .dump()
              << std::endl;
  }
  if (!rep.differed.empty()) {
    std::cerr << "densify: the re-run DIFFERS from the original at steps " << list(rep.differed)
              << " (the original checkpoints were kept; a GPU or another LibTorch build is not "
                 "bit-reproducible)\n";
    return 1;
  }
  return finished ? 0 : 130;
}

int runTraining(const Options& o, const ConfigFlags& flags, const CLI::Option* maxSeq,
                const CLI::Option* positions, int64_t maxSeqValue, int64_t positionsValue) {
  const bool densifying = !o.densify.empty();
  if (densifying &&
      (!o.resume.empty() || !o.out.empty() || flags.anyGiven() || o.dataOpt->count() > 0 ||
       o.presetOpt->count() > 0 || o.scheduleOpt->count() > 0 || o.lambdaOpt->count() > 0 ||
       maxSeq->count() > 0 || positions->count() > 0))
    throw InputError("command line", "--densify",
                     "re-runs the series' recorded configuration; only --from, --to, --every, "
                     "--threads, --json and --log-every may be given");
  if (!densifying && (o.from >= 0 || o.to >= 0 || o.every > 0))
    throw InputError("command line", "--from/--to/--every", "only with --densify SERIES");
  const bool resuming = !o.resume.empty();
  if (resuming && (!o.out.empty() || flags.anyGiven("--steps") || o.dataOpt->count() > 0 ||
                   o.presetOpt->count() > 0 || o.scheduleOpt->count() > 0 ||
                   o.lambdaOpt->count() > 0 || maxSeq->count() > 0 || positions->count() > 0))
    throw InputError("command line", "--resume",
                     "a resumed run keeps its recorded configuration; only --steps (to train "
                     "on further), --threads, --json and --log-every may be given");
  if (!resuming && !densifying && o.out.empty())
    throw InputError("command line", "OUT", "give the new series folder (or --resume SERIES)");

  std::unique_ptr<train::Communicator> comm;
  if (auto env = train::distributedEnvFromEnvironment()) comm = train::connectGloo(*env);
  const bool lead = !comm || comm->rank() == 0;
  // Rank 0 reports: a bar on a terminal, plain lines in a log, JSON with --json.
  const bool tty = ::isatty(STDERR_FILENO);
  train::ProgressReporter progress(lead && tty, lead && !tty && !o.json, lead && o.json,
                                   o.logEvery);
  // Installed before the (possibly long) setup, so that an early Ctrl-C still
  // ends with a checkpoint after the first step.
  const auto& stop = train::installInterruptHandlers();
  try {
    if (densifying) return runDensify(o, progress, stop);
    std::unique_ptr<train::Trainer> trainer;
    if (resuming) {
      train::ResumeOptions ro;
      ro.threads = o.threads;
      ro.steps = flags.stepsGiven(TrainConfig{});
      ro.commandLine = commandLine();
      trainer = train::Trainer::resume(o.resume, ro, comm.get());
    } else {
      trainer = train::Trainer::create(
          configFromFlags(o, flags, maxSeq, positions, maxSeqValue, positionsValue), o.out,
          comm.get());
    }
    progress.start(*trainer);
    const bool finished = trainer->run(progress.callbacks(), &stop);
    progress.done(trainer->currentStep(), !finished);
    return finished ? 0 : 130;
  } catch (const std::exception& e) {
    progress.error(e.what());
    throw;
  }
}

} // namespace

void addTrainCommand(CLI::App& root, int& exitCode) {
  auto* cmd = root.add_subcommand(
      "train",
      "Train a BERT masked-LM (optionally with the syntactic regularizer) into a live series");
  cmd->footer("Examples:\n"
              "  chrysalis-cli train runs/base --preset demo --data ud/en_ewt-ud-train.conllu\n"
              "  chrysalis-cli train runs/sas- --preset demo --data train.conllu --schedule sas- "
              "--lambda 0.01\n"
              "  chrysalis-cli train runs/sas-300 --preset demo --data train.conllu --schedule "
              "sas- --lambda 0.01 --suppress-until 300\n"
              "  chrysalis-cli train --resume runs/base\n"
              "  chrysalis-cli train --resume runs/base --steps 20000   (train on, up to the "
              "recorded horizon)\n"
              "  chrysalis-cli train runs/base --preset demo --data train.conllu --keep-states "
              "every:500\n"
              "  chrysalis-cli train --densify runs/base --from 500 --to 1500 --every 20\n"
              "Presets: tiny (seconds), demo (minutes on a laptop), small, base (BERT-base as in "
              "the paper).\n"
              "Every preset field can be overridden by its flag. See docs/training.md.");
  static Options o;
  static ConfigFlags flags;
  static int64_t maxSeq = 0, positions = 0;
  cmd->add_option("out", o.out, "New series folder");
  o.dataOpt = cmd->add_option(
      "--data", o.data,
      "Training file(s): CoNLL-U (.conllu) or raw text, one sentence/paragraph per line");
  o.presetOpt = cmd->add_option("--preset", o.preset, "tiny, demo, small or base (default demo)");
  cmd->add_option("--resume", o.resume, "Continue this series from its last checkpoint");
  cmd->add_option("--densify", o.densify,
                  "Re-run this series from its kept resume state at or before --from to --to, "
                  "adding a checkpoint every --every steps");
  cmd->add_option("--from", o.from, "With --densify: first step of the stretch");
  cmd->add_option("--to", o.to, "With --densify: last step of the stretch");
  cmd->add_option("--every", o.every, "With --densify: steps between the new checkpoints");
  o.scheduleOpt = cmd->add_option("--schedule", o.schedule,
                                  "baseline, sas- (λ>0, suppress) or sas+ (λ<0, promote)");
  o.lambdaOpt = cmd->add_option("--lambda", o.lambda,
                                "Regularizer strength (default 0.001 as in the paper for 256x512 "
                                "batches; tiny batches need more, e.g. 0.01)");
  auto* maxSeqOpt = cmd->add_option("--max-seq", maxSeq, "Pieces per sequence incl. [CLS]/[SEP]");
  auto* positionsOpt =
      cmd->add_option("--max-positions", positions, "Position embeddings (default: --max-seq)");
  cmd->add_option("--threads", o.threads, "LibTorch threads (default: as many as cores)");
  cmd->add_flag("--json", o.json, "JSON-lines events on stdout (for the app)");
  cmd->add_option("--log-every", o.logEvery, "A step event every N steps (with --json)");
  addConfigFlags(cmd, flags);
  cmd->callback([&exitCode, maxSeqOpt, positionsOpt] {
    exitCode =
        guarded([&] { return runTraining(o, flags, maxSeqOpt, positionsOpt, maxSeq, positions); });
  });
}

} // namespace chrysalis::cli
