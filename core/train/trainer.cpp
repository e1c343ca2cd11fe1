#include "train/trainer.h"

#include "common/error.h"
#include "common/input_file.h"
#include "engine/series_model.h"
#include "engine/weights.h"
#include "format/atomic_file.h"
#include "format/series.h"
#include "format/series_paths.h"
#include "format/train_log.h"
#include "text/vocab_builder.h"
#include "train/batch_plan.h"
#include "train/distributed.h"
#include "train/regularizer.h"
#include "train/run_lock.h"
#include "train/schedule.h"
#include "train/train_state.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace chrysalis::train {

namespace {

// Independent random streams derived from the seed (batch_plan.h uses 1).
constexpr uint64_t kMaskStream = 2;
constexpr uint64_t kDropoutStream = 3;

using Clock = std::chrono::steady_clock;

torch::Tensor longTensor(const std::vector<int64_t>& v, at::IntArrayRef shape) {
  return torch::from_blob(const_cast<int64_t*>(v.data()), shape, torch::kLong).clone();
}

// Hugging Face's run_mlm: no weight decay on biases and LayerNorm weights.
bool decays(const std::string& name) {
  const bool bias = name.size() >= 5 && name.compare(name.size() - 5, 5, ".bias") == 0;
  return !bias && name.find("LayerNorm") == std::string::npos;
}

std::string vocabText(const text::Vocab& v) {
  std::string s;
  for (const auto& t : v.tokens())
    s += t + "\n";
  return s;
}

std::string defaultLabel(const TrainConfig& c) {
  std::ostringstream o;
  if (c.schedule == Schedule::Baseline)
    o << "baseline";
  else {
    o << (c.schedule == Schedule::SasMinus ? "SAS\u2212" : "SAS+");
    if (c.suppressUntil > 0) o << "(" << c.suppressUntil << ")";
    o << " \u03bb=" << c.lambda;
  }
  o << " seed " << c.seed;
  return o.str();
}

nlohmann::json recordsJson(const std::vector<DataFileRecord>& records) {
  auto j = nlohmann::json::array();
  for (const auto& r : records)
    j.push_back({{"path", r.path},
                 {"kind", r.kind},
                 {"bytes", r.bytes},
                 {"fnv1a64", r.fnv1a64},
                 {"units", r.units}});
  return j;
}

// Running means of the losses since the last checkpoint.
struct LossMeans {
  double loss = 0, mlm = 0, reg = 0;
  int64_t n = 0;
  void add(const StepStats& s) {
    loss += s.loss;
    mlm += s.mlmLoss;
    reg += s.regLoss;
    ++n;
  }
};

struct Losses {
  torch::Tensor mlm;
  torch::Tensor reg; // undefined when the regularizer was skipped
};

// Writes an archive to `path` with errors we can report. LibTorch's own
// file writer throws from its destructor when a write fails (disk full),
// which terminates the process; here the writer callback never fails, it
// records the first error, and the error is thrown after the archive is done.
void saveArchive(torch::serialize::OutputArchive& archive, const fs::path& path) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (!file)
    throw InputError(path.string(), "", std::string("cannot create: ") + std::strerror(errno));
  int error = 0;
  archive.save_to([&](const void* data, size_t n) -> size_t {
    if (!error && std::fwrite(data, 1, n, file) != n) error = errno ? errno : EIO;
    return n;
  });
  if (std::fclose(file) != 0 && !error) error = errno ? errno : EIO;
  if (error)
    throw InputError(path.string(), "", std::string("write failed: ") + std::strerror(error));
}

} // namespace

struct Trainer::Impl {
  TrainConfig config;
  fs::path series;
  std::unique_ptr<RunLock> runLock; // held while this process writes the series
  Communicator* comm = nullptr;
  int rank = 0;
  int world = 1;
  nlohmann::json vocabRecord;
  std::unique_ptr<text::WordPieceTokenizer> tokenizer;
  Corpus corpus;
  std::vector<DataFileRecord> records;
  std::unique_ptr<BatchPlan> plan;
  std::unique_ptr<engine::BertForMaskedLM> model;
  std::unique_ptr<torch::optim::AdamW> optimizer;
  std::vector<torch::Tensor> params; // namedParameters() order
  std::vector<int64_t> checkpoints;
  int64_t step = 0;
  int64_t tokensSeen = 0;
  int64_t lastCheckpoint = -1;
  double wallOffset = 0;
  Clock::time_point clockStart = Clock::now();
  LossMeans sinceCheckpoint;
  std::vector<std::string> notes;
  bool stopAgreed = false;
  // The dense training log (docs/series-format.md §2a): a row per step, the
  // file rewritten at each checkpoint and at most every kLogSeconds between.
  format::TrainLog trainLog{"chrysalis-cli train", {}, {}};
  Clock::time_point lastLogWrite = Clock::now();
  static constexpr double kLogSeconds = 10.0;

  void writeTrainLog() {
    if (series.empty() || rank != 0) return;
    format::writeTrainLog(series, trainLog);
    lastLogWrite = Clock::now();
  }

  void logStep(const StepStats& st, std::optional<double> gradNorm) {
    std::map<std::string, double> row{
        {"train_loss", st.loss}, {"learning_rate", st.learningRate}, {"mlm_loss", st.mlmLoss}};
    if (st.attentionsRequested) row["reg_loss"] = st.regLoss;
    if (gradNorm) row["grad_norm"] = *gradNorm;
    trainLog.append(st.step, row);
    if (std::chrono::duration<double>(Clock::now() - lastLogWrite).count() >= kLogSeconds)
      writeTrainLog();
  }

  double wallTime() const {
    return wallOffset + std::chrono::duration<double>(Clock::now() - clockStart).count();
  }

  void join(Communicator* c) {
    comm = c;
    rank = c ? c->rank() : 0;
    world = c ? c->worldSize() : 1;
    if (config.threads > 0) torch::set_num_threads(config.threads);
  }

  void readData(RawCorpus raw, const text::Vocab& vocab, bool lowerCase) {
    records = raw.files;
    auto options = lowerCase ? text::WordPieceOptions::uncased() : text::WordPieceOptions::cased();
    tokenizer = std::make_unique<text::WordPieceTokenizer>(vocab, options);
    corpus = tokenizeCorpus(raw, *tokenizer, config.maxSeqLength);
    std::vector<int32_t> lengths;
    lengths.reserve(corpus.examples.size());
    for (const auto& e : corpus.examples)
      lengths.push_back(static_cast<int32_t>(e.ids.size()));
    try {
      plan = std::make_unique<BatchPlan>(std::move(lengths), config.batchSize, config.seed);
    } catch (const std::invalid_argument& e) {
      throw InputError(config.dataFiles.front(), "", e.what());
    }
    std::ostringstream o;
    o << "corpus: " << corpus.examples.size() << " sequences from " << raw.units.size()
      << " units, " << corpus.pairs << " dependency pairs";
    if (corpus.truncatedUnits > 0)
      o << ", " << corpus.truncatedUnits << " sentences truncated to " << config.maxSeqLength
        << " pieces (" << corpus.droppedPairs << " pairs dropped)";
    if (corpus.droppedUnits > 0)
      o << ", " << corpus.droppedUnits << " sentences skipped (first word over "
        << config.maxSeqLength - 2 << " pieces)";
    o << "; " << plan->batchesPerEpoch() << " batches per epoch";
    notes.push_back(o.str());
  }

  // What --keep-states every:N / log:K costs on disk: each state holds the
  // float32 weights and AdamW's two moments, three copies of the model.
  std::string keptStatesNote() const {
    double bytes = 0;
    for (const auto& p : params)
      bytes += static_cast<double>(p.numel()) * 4.0 * 3.0;
    const auto kept = keptStateSteps(config);
    char text[256];
    std::snprintf(text, sizeof text,
                  "keeping the resume states of %zu checkpoints (%s) for train --densify: about "
                  "%.1f MiB each, %.1f MiB in all",
                  kept.size(), config.keepStatesAt.c_str(), bytes / 1048576.0,
                  bytes * static_cast<double>(kept.size()) / 1048576.0);
    return text;
  }

  void buildModel() {
    torch::manual_seed(config.seed);
    model = std::make_unique<engine::BertForMaskedLM>(config.model);
    model->setTraining(true);
    std::vector<torch::Tensor> decay, noDecay;
    for (auto& [name, p] : model->namedParameters()) {
      params.push_back(p);
      (decays(name) ? decay : noDecay).push_back(p);
    }
    auto options = [&](double wd) {
      return std::make_unique<torch::optim::AdamWOptions>(
          torch::optim::AdamWOptions(config.learningRate)
              .betas({config.adamBeta1, config.adamBeta2})
              .eps(config.adamEps)
              .weight_decay(wd));
    };
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(decay, options(config.weightDecay));
    groups.emplace_back(noDecay, options(0.0));
    optimizer = std::make_unique<torch::optim::AdamW>(groups);
    checkpoints = checkpointSchedule(config);
  }

  void loadInitWeights() {
    if (config.initSeries.empty()) return;
    engine::loadWeights(*model, format::checkpointPath(config.initSeries, config.initStep));
    model->setTraining(true);
  }

  nlohmann::json trainingRecord() const {
    auto j = config.toJson();
    j["data_records"] = recordsJson(records);
    j["vocab"] = vocabRecord;
    j["world_size"] = world;
    j["global_batch"] = config.globalBatch(world);
    j["lr_schedule"] = {{"kind", "linear warm-up, then linear decay to 0 at the horizon"},
                        {"peak", config.learningRate},
                        {"warmup_steps", config.warmupSteps},
                        {"horizon", config.horizonSteps()}};
    j["optimizer"] = {{"kind", "AdamW"},
                      {"no_decay", "biases and LayerNorm weights"},
                      {"clip_norm", config.clipNorm}};
    j["regularizer"] = {{"term", "sum over dependency pairs of max_{layer,head} A(i->p) + A(p->i)"},
                        {"lambda", config.lambda},
                        {"suppress_until", config.suppressUntil}};
    j["checkpoint_schedule"] = checkpoints;
    return j;
  }

  void createSeries() {
    format::SeriesMeta meta;
    meta.label = config.label.empty() ? defaultLabel(config) : config.label;
    meta.model = config.model;
    meta.doLowerCase = config.lowerCase;
    meta.training = trainingRecord();
    char host[256] = {0};
    ::gethostname(host, sizeof host - 1);
    meta.provenance = {{"writer", "chrysalis train"},
                       {"command_line", config.commandLine},
                       {"hostname", host},
                       {"created_unix", std::chrono::duration<double>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count()}};
    format::createSeries(series, meta, vocabText(tokenizer->vocab()));
    format::createFolderInsideSeries(series, series / kStateDir);
  }

  MaskedBatch microBatch(int64_t g) {
    const auto indices = plan->batch(g);
    std::vector<const TrainExample*> examples;
    examples.reserve(indices.size());
    for (int32_t i : indices)
      examples.push_back(&corpus.examples[static_cast<size_t>(i)]);
    MaskingOptions mo;
    mo.maskProb = config.maskProb;
    return makeMaskedBatch(examples, tokenizer->vocab().specials(), config.model.vocabSize,
                           mixSeed(config.seed, kMaskStream, static_cast<uint64_t>(g)), mo);
  }

  Losses forward(const MaskedBatch& b, double lambda, bool logits) {
    auto ids = longTensor(b.inputIds, {b.batch, b.length});
    // No padding (common with length bucketing): no mask to add in every layer.
    torch::Tensor mask;
    if (b.tokens < b.batch * b.length) mask = longTensor(b.attentionMask, {b.batch, b.length});
    engine::ForwardOptions o;
    o.logits = logits;
    // λ = 0 (or a batch without parses) skips the regularizer entirely.
    o.attentions = lambda != 0.0 && b.pairCount() > 0;
    const auto n = static_cast<int64_t>(b.maskedPositions.size());
    if (logits) o.logitPositions = longTensor(b.maskedPositions, {n});
    auto out = model->forward(ids, mask, {}, o);
    Losses l;
    if (logits)
      l.mlm = torch::nn::functional::cross_entropy(out.logits, longTensor(b.targets, {n}));
    if (o.attentions)
      l.reg = syntacticTerm(out.attentions, longTensor(b.pairs, {b.pairCount(), 3}));
    return l;
  }

  // Sums gradients (and the loss sums and stop votes) over the processes;
  // the trainer then averages.
  void allReduce(double& mlmSum, double& regSum, bool& stopVote) {
    std::vector<torch::Tensor> parts;
    parts.reserve(params.size() + 1);
    for (auto& p : params)
      parts.push_back(p.grad().defined() ? p.grad().reshape({-1}) : torch::zeros({p.numel()}));
    parts.push_back(torch::tensor({mlmSum, regSum, stopVote ? 1.0 : 0.0}, torch::kFloat));
    auto flat = torch::cat(parts);
    comm->allReduceSum(flat);
    flat.div_(world);
    int64_t offset = 0;
    for (auto& p : params) {
      auto slice = flat.narrow(0, offset, p.numel()).view_as(p);
      if (p.grad().defined())
        p.mutable_grad().copy_(slice);
      else
        p.mutable_grad() = slice.clone();
      offset += p.numel();
    }
    auto tail = flat.narrow(0, offset, 3);
    mlmSum = tail[0].item<double>() * world;
    regSum = tail[1].item<double>() * world;
    stopVote = tail[2].item<double>() > 0.0;
  }

  StepStats doStep(const std::atomic<bool>* stop) {
    const auto t0 = Clock::now();
    StepStats st;
    const int64_t s = step;
    st.learningRate = learningRateAt(config, s);
    st.lambda = lambdaAt(config, s);
    for (auto& g : optimizer->param_groups())
      static_cast<torch::optim::AdamWOptions&>(g.options()).lr(st.learningRate);
    model->setTraining(true);
    // Zeroed, not dropped: reusing the gradient buffers avoids faulting in
    // hundreds of MB of fresh pages every step for BERT-base.
    optimizer->zero_grad();
    double mlmSum = 0, regSum = 0;
    const int64_t accum = config.gradAccum;
    for (int64_t a = 0; a < accum; ++a) {
      const int64_t g = (s * accum + a) * world + rank;
      MaskedBatch b = microBatch(g);
      // Dropout draws depend only on the micro-batch, not on the history.
      torch::manual_seed(mixSeed(config.seed, kDropoutStream, static_cast<uint64_t>(g)));
      Losses l = forward(b, st.lambda, true);
      auto loss = l.mlm;
      if (l.reg.defined()) loss = loss + st.lambda * l.reg;
      (accum > 1 ? loss / static_cast<double>(accum) : loss).backward();
      mlmSum += l.mlm.item<double>();
      if (l.reg.defined()) regSum += l.reg.item<double>();
      st.attentionsRequested = st.attentionsRequested || l.reg.defined();
      st.maskedTokens += static_cast<int64_t>(b.maskedPositions.size());
      st.pairs += b.pairCount();
    }
    bool stopVote = stop && stop->load();
    if (world > 1) allReduce(mlmSum, regSum, stopVote);
    stopAgreed = stopVote;
    std::optional<double> gradNorm; // known when clipping computes it anyway
    if (config.clipNorm > 0) gradNorm = torch::nn::utils::clip_grad_norm_(params, config.clipNorm);
    optimizer->step();
    ++step;

    for (int64_t a = 0; a < accum; ++a)
      for (int r = 0; r < world; ++r)
        st.tokens += plan->tokens((s * accum + a) * world + r);
    tokensSeen += st.tokens;
    const auto micro = static_cast<double>(accum * world);
    st.mlmLoss = mlmSum / micro;
    st.regLoss = regSum / micro;
    st.loss = st.mlmLoss + st.lambda * st.regLoss;
    st.step = step;
    st.tokensSeen = tokensSeen;
    st.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    st.wallTime = wallTime();
    sinceCheckpoint.add(st);
    logStep(st, gradNorm);
    return st;
  }

  TrainState currentState() const {
    TrainState s;
    s.step = step;
    s.tokensSeen = tokensSeen;
    s.wallTime = wallTime();
    s.nextMicroBatch = step * config.gradAccum * world;
    s.epoch = plan->epochOf(s.nextMicroBatch);
    s.position = plan->positionOf(s.nextMicroBatch);
    s.seed = config.seed;
    s.worldSize = world;
    return s;
  }

  void saveState() {
    const TrainState s = currentState();
    format::createFolderInsideSeries(series, stateTensorPath(series, step).parent_path());
    format::publishAtomically(stateTensorPath(series, step), [&](const fs::path& temp) {
      torch::serialize::OutputArchive archive;
      for (size_t i = 0; i < params.size(); ++i)
        archive.write("param_" + std::to_string(i), params[i].detach());
      torch::serialize::OutputArchive opt(archive.compilation_unit());
      optimizer->save(opt);
      archive.write("optimizer", opt);
      saveArchive(archive, temp);
      abortPointForTests(step, "state-tensors-written");
    });
    abortPointForTests(step, "after-state-tensors");
    writeStateJson(series, s);
    abortPointForTests(step, "after-state");
    pruneStates(series, config.keepStates, keptStateSteps(config));
  }

  void loadState(int64_t at) {
    const fs::path file = stateTensorPath(series, at);
    const TrainState s = readStateJson(stateJsonPath(series, at));
    if (s.worldSize != world)
      throw InputError(stateJsonPath(series, at).string(), "world_size",
                       "the run used " + std::to_string(s.worldSize) + " processes, not " +
                           std::to_string(world));
    requireRegularFile(file); // a FIFO under the state's name would block load_from forever
    try {
      torch::serialize::InputArchive archive;
      archive.load_from(file.string());
      torch::NoGradGuard noGrad;
      for (size_t i = 0; i < params.size(); ++i) {
        torch::Tensor t;
        archive.read("param_" + std::to_string(i), t);
        if (!t.sizes().equals(params[i].sizes()))
          throw std::runtime_error("parameter shapes differ");
        params[i].copy_(t);
      }
      model->weightsChanged();
      torch::serialize::InputArchive opt;
      archive.read("optimizer", opt);
      optimizer->load(opt);
    } catch (const c10::Error& e) {
      throw InputError(file.string(), "",
                       std::string("unreadable training state: ") + e.what_without_backtrace());
    } catch (const std::runtime_error& e) {
      throw InputError(file.string(), "", std::string("unreadable training state: ") + e.what());
    }
    step = s.step;
    tokensSeen = s.tokensSeen;
    wallOffset = s.wallTime;
    lastCheckpoint = at;
  }

  void checkpoint() {
    if (!series.empty() && rank == 0) {
      abortPointForTests(step, "before-checkpoint");
      format::CheckpointInfo info;
      info.step = step;
      info.tokensSeen = tokensSeen;
      info.wallTime = wallTime();
      info.learningRate = learningRateAt(config, step);
      info.extra["lambda"] = lambdaAt(config, step);
      if (sinceCheckpoint.n > 0) {
        const auto n = static_cast<double>(sinceCheckpoint.n);
        info.trainLoss = sinceCheckpoint.loss / n;
        info.extra["mlm_loss"] = sinceCheckpoint.mlm / n;
        info.extra["reg_loss"] = sinceCheckpoint.reg / n;
      }
      const fs::path path = format::checkpointPath(series, step);
      // checkpoints/ of a resumed series may have been replaced by a link out of it.
      format::createFolderInsideSeries(series, path.parent_path());
      engine::saveWeights(*model, path, info, config.weightsDType);
      abortPointForTests(step, "after-checkpoint");
      writeTrainLog();
      saveState();
    }
    sinceCheckpoint = {};
    lastCheckpoint = step;
  }
};

Trainer::Trainer(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Trainer::~Trainer() = default;

std::unique_ptr<Trainer> Trainer::create(const TrainConfig& config, const fs::path& outputDir,
                                         Communicator* comm) {
  config.validate();
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  impl->series = outputDir;
  impl->join(comm);
  auto& c = impl->config;
  // Taken before looking for series.json: two runs started at once would
  // both find none.
  if (!outputDir.empty() && impl->rank == 0) impl->runLock = std::make_unique<RunLock>(outputDir);
  if (!outputDir.empty() && impl->rank == 0 && fs::exists(outputDir / format::kSeriesFile))
    throw InputError(outputDir.string(), "",
                     "a series already exists here (use --resume to continue it)");

  RawCorpus raw = readRawCorpus(c.dataFiles, c.maxSentences);
  if (raw.units.empty()) throw InputError(c.dataFiles.front(), "", "no training text");
  text::Vocab vocab = [&] {
    if (!c.initSeries.empty()) {
      auto meta = format::readSeriesMeta(c.initSeries);
      const double hidden = c.model.hiddenDropoutProb,
                   attention = c.model.attentionProbsDropoutProb;
      c.model = meta.model; // the shape comes from the checkpoint, dropout from the run
      c.model.hiddenDropoutProb = hidden;
      c.model.attentionProbsDropoutProb = attention;
      c.lowerCase = meta.doLowerCase;
      impl->vocabRecord = {{"source", "init series"}, {"series", c.initSeries}};
      impl->notes.push_back("starting from " + c.initSeries + " step " +
                            std::to_string(c.initStep) +
                            ": model shape and vocabulary come from there");
      return engine::loadSeriesVocab(c.initSeries, meta);
    }
    if (!c.vocabFile.empty()) {
      impl->vocabRecord = {{"source", "file"}, {"path", c.vocabFile}};
      return text::Vocab::load(c.vocabFile);
    }
    text::VocabBuilderOptions vo;
    vo.vocabSize = static_cast<size_t>(c.vocabSize);
    vo.basic =
        c.lowerCase ? text::BasicTokenizerOptions::uncased() : text::BasicTokenizerOptions::cased();
    auto tokens = text::buildWordPieceVocab(corpusText(raw), vo);
    impl->vocabRecord = {{"source", "built from the training text"},
                         {"requested_size", c.vocabSize}};
    impl->notes.push_back("built a WordPiece vocabulary of " + std::to_string(tokens.size()) +
                          " pieces");
    return text::Vocab::fromTokens(std::move(tokens), "built vocabulary");
  }();
  impl->vocabRecord["size"] = vocab.size();
  c.model.vocabSize = static_cast<int64_t>(vocab.size());
  if (c.maxSeqLength > c.model.maxPositionEmbeddings)
    throw InputError("command line", "--max-seq",
                     "longer than the model's " + std::to_string(c.model.maxPositionEmbeddings) +
                         " positions");
  // Refused before the model's memory is allocated: a huge configuration,
  // or an --init checkpoint whose shapes disagree with its series.json.
  engine::requireSaneModelSize(
      c.model, c.initSeries.empty() ? std::string("command line")
                                    : (fs::path(c.initSeries) / format::kSeriesFile).string());
  if (!c.initSeries.empty())
    engine::requireCheckpointMatches(format::checkpointPath(c.initSeries, c.initStep), c.model);
  impl->readData(std::move(raw), vocab, c.lowerCase);
  impl->buildModel();
  if (!c.keepStatesAt.empty()) impl->notes.push_back(impl->keptStatesNote());
  impl->loadInitWeights();
  if (!outputDir.empty() && impl->rank == 0) impl->createSeries();
  impl->clockStart = Clock::now();
  return std::unique_ptr<Trainer>(new Trainer(std::move(impl)));
}

namespace {

// A run may be lengthened up to its recorded horizon, never shortened: the
// continuation then follows the learning-rate schedule it started with.
void checkExtension(const TrainConfig& c, int64_t steps) {
  if (steps < c.steps)
    throw InputError("command line", "--steps",
                     "a resumed run can be lengthened, not shortened (it was recorded with " +
                         std::to_string(c.steps) + " steps)");
  if (steps > c.horizonSteps())
    throw InputError("command line", "--steps",
                     std::to_string(steps) + " passes the run's learning-rate horizon (" +
                         std::to_string(c.horizonSteps()) +
                         "), where the rate has decayed to 0; a run meant to be lengthened is "
                         "started with --horizon beyond its --steps, or train a new run from "
                         "this one with --init SERIES --init-step STEP");
}

} // namespace

std::unique_ptr<Trainer> Trainer::resume(const fs::path& series, const ResumeOptions& options,
                                         Communicator* comm) {
  auto meta = format::readSeriesMeta(series);
  const std::string metaFile = (series / format::kSeriesFile).string();
  if (meta.training.is_null())
    throw InputError(metaFile, "training", "not written by chrysalis train");
  auto impl = std::make_unique<Impl>();
  impl->config = TrainConfig::fromJson(meta.training, metaFile);
  impl->config.model = meta.model;
  if (options.threads >= 0) impl->config.threads = options.threads;
  const int64_t recordedSteps = impl->config.steps;
  const bool extended = options.steps > 0 && options.steps != recordedSteps;
  if (extended) checkExtension(impl->config, options.steps);
  if (extended) impl->config.steps = options.steps;
  impl->series = series;
  impl->join(comm);
  auto& c = impl->config;
  if (impl->rank == 0) impl->runLock = std::make_unique<RunLock>(series);
  if (impl->rank == 0) removeStaleTemporaries(series);

  // The same data, or the continuation would not be the same run.
  const auto recorded = meta.training.value("data_records", nlohmann::json::array());
  for (size_t i = 0; i < recorded.size() && i < c.dataFiles.size(); ++i) {
    const auto r = describeFile(c.dataFiles[i]);
    if (recorded[i].value("bytes", uint64_t{0}) != r.bytes ||
        recorded[i].value("fnv1a64", "") != r.fnv1a64)
      throw InputError(
          r.path, "",
          "changed since the run started (size or FNV-1a hash differs from series.json)");
  }
  RawCorpus raw = readRawCorpus(c.dataFiles, c.maxSentences);
  if (recorded.size() != raw.files.size())
    throw InputError(metaFile, "training.data_records",
                     "the data files changed since the run started");
  impl->vocabRecord = meta.training.value("vocab", nlohmann::json::object());
  engine::requireSaneModelSize(meta.model, metaFile); // before any allocation
  impl->readData(std::move(raw), engine::loadSeriesVocab(series, meta), meta.doLowerCase);
  impl->buildModel();
  const auto states = completeStateSteps(series);
  if (states.empty()) {
    impl->loadInitWeights(); // nothing saved yet: start again from step 0
    impl->notes.push_back("no resume state yet: starting again from step 0");
  } else {
    impl->loadState(states.back());
    impl->notes.push_back("resuming at step " + std::to_string(states.back()));
    // The steps after the resume point are trained again: their rows too.
    if (auto log = format::readTrainLog(series)) {
      impl->trainLog = std::move(*log);
      impl->trainLog.truncateAfter(states.back());
    }
  }
  if (extended && impl->rank == 0) {
    // The series records the new end and cadence, and how it got there.
    meta.training = impl->trainingRecord();
    auto& history = meta.provenance["extended"];
    if (!history.is_array()) history = nlohmann::json::array();
    history.push_back({{"from_steps", recordedSteps},
                       {"to_steps", options.steps},
                       {"command_line", options.commandLine},
                       {"unix_time", std::chrono::duration<double>(
                                         std::chrono::system_clock::now().time_since_epoch())
                                         .count()}});
    format::writeSeriesMeta(series, meta);
    impl->notes.push_back("training on to step " + std::to_string(options.steps) + " (was " +
                          std::to_string(recordedSteps) + ")");
  }
  impl->clockStart = Clock::now();
  return std::unique_ptr<Trainer>(new Trainer(std::move(impl)));
}

StepStats Trainer::step() {
  return m_impl->doStep(nullptr);
}

void Trainer::checkpoint() {
  m_impl->checkpoint();
}

bool Trainer::run(const TrainerCallbacks& callbacks, const std::atomic<bool>* stop) {
  auto& d = *m_impl;
  auto isCheckpointStep = [&](int64_t s) {
    return std::binary_search(d.checkpoints.begin(), d.checkpoints.end(), s);
  };
  auto writeCheckpoint = [&] {
    if (d.lastCheckpoint == d.step) return;
    d.checkpoint();
    if (callbacks.onCheckpoint && !d.series.empty() && d.rank == 0)
      callbacks.onCheckpoint({d.step, format::checkpointPath(d.series, d.step)});
  };
  if (isCheckpointStep(d.step)) writeCheckpoint();
  while (d.step < d.config.steps) {
    StepStats st = d.doStep(stop);
    if (callbacks.onStep) callbacks.onStep(st);
    if (isCheckpointStep(d.step) || d.stopAgreed) writeCheckpoint();
    if (d.stopAgreed) return false;
  }
  return true;
}

int64_t Trainer::currentStep() const {
  return m_impl->step;
}
int64_t Trainer::tokensSeen() const {
  return m_impl->tokensSeen;
}
const TrainConfig& Trainer::config() const {
  return m_impl->config;
}
const std::vector<int64_t>& Trainer::checkpointSteps() const {
  return m_impl->checkpoints;
}
const fs::path& Trainer::seriesDir() const {
  return m_impl->series;
}
engine::BertForMaskedLM& Trainer::model() {
  return *m_impl->model;
}
const text::WordPieceTokenizer& Trainer::tokenizer() const {
  return *m_impl->tokenizer;
}
const Corpus& Trainer::corpus() const {
  return m_impl->corpus;
}
const std::vector<std::string>& Trainer::notes() const {
  return m_impl->notes;
}
MaskedBatch Trainer::microBatch(int64_t g) {
  return m_impl->microBatch(g);
}

double Trainer::syntacticMass(const MaskedBatch& batch) {
  if (batch.pairCount() == 0) return 0.0;
  auto& d = *m_impl;
  const bool wasTraining = d.model->isTraining();
  d.model->setTraining(false);
  torch::NoGradGuard noGrad;
  Losses l = d.forward(batch, 1.0, false);
  d.model->setTraining(wasTraining);
  return l.reg.item<double>();
}

} // namespace chrysalis::train
