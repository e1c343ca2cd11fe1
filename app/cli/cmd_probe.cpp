// chrysalis-cli probe SERIES --probe-set PROBESET --probes loss,uas,... : compute
// missing probe results for the series' checkpoints and store them.
#include "cli/commands.h"
#include "train/interrupt.h"

#include "format/engine_events.h"

#include "probes/head_choice.h"
#include "probes/runner.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace chrysalis::cli {

namespace {

void printEvent(const probes::ProgressEvent& e, bool json) {
  using T = probes::ProgressEvent::Type;
  if (json) {
    static const format::EngineEventType types[] = {
        format::EngineEventType::ProbeStarted, format::EngineEventType::CacheHit,
        format::EngineEventType::StepDone, format::EngineEventType::ProbeFinished};
    nlohmann::json j{{"event", format::engineEventName(types[static_cast<int>(e.type)])},
                     {"done", e.done},
                     {"total", e.total},
                     {"elapsed", e.elapsed},
                     {"eta", e.eta}};
    if (e.type == T::CacheHit || e.type == T::StepDone) j["step"] = e.step;
    if (!e.kinds.empty()) j["probes"] = e.kinds;
    std::cout << j.dump() << std::endl;
    if (!std::cout) train::requestStop(); // the reader went away (EPIPE): stop like Ctrl-C
    return;
  }
  if (!isatty(STDERR_FILENO)) {
    if (e.type == T::StepDone)
      std::fprintf(stderr, "step %lld done (%zu/%zu)\n", static_cast<long long>(e.step), e.done,
                   e.total);
    return;
  }
  const int width = 30;
  const int filled =
      e.total ? static_cast<int>(width * static_cast<double>(e.done) / static_cast<double>(e.total))
              : width;
  std::fprintf(stderr, "\r[%.*s%*s] %zu/%zu checkpoints  step %lld  %.0fs elapsed  ETA %.0fs ",
               filled, "##############################", width - filled, "", e.done, e.total,
               static_cast<long long>(e.step), e.elapsed, e.eta);
  if (e.type == T::Finished) std::fprintf(stderr, "\n");
}

// "0,1000,2000" or "all".
std::vector<int64_t> parseSteps(const std::string& s) {
  std::vector<int64_t> out;
  if (s.empty() || s == "all") return out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ','))
    out.push_back(std::stoll(item));
  return out;
}

// "i/n" from a Slurm job array, or "" outside one. Array indices need not
// start at 0 (--array=1-8), so the task's place is its ID minus the minimum.
std::string slurmArrayShard() {
  const char* id = std::getenv("SLURM_ARRAY_TASK_ID");
  const char* count = std::getenv("SLURM_ARRAY_TASK_COUNT");
  if (!id || !count) return {};
  const char* min = std::getenv("SLURM_ARRAY_TASK_MIN");
  const long index = std::stol(id) - (min ? std::stol(min) : 0L);
  return std::to_string(index) + "/" + count;
}

} // namespace

void addProbeCommand(CLI::App& root, int& exitCode) {
  auto* cmd = root.add_subcommand("probe",
                                  "Compute probe results for a series (cached in its probe store)");
  cmd->footer(
      "Probes: loss, uas, blimp, twonn, attn, ngram, ablation (docs/probes.md). Results\n"
      "already in the store are not recomputed. --shard i/n (or a Slurm job array's "
      "SLURM_ARRAY_TASK_ID/COUNT) "
      "takes every\n"
      "n-th checkpoint, for job arrays writing one store concurrently.\n"
      "--first-step S probes step S (or the newest checkpoint with weights at or before it)\n"
      "before the rest of --order; the GUI passes the step under its cursor.\n"
      "Examples:\n  chrysalis-cli probe runs/baseline --probe-set ewt-dev.probeset.h5 --probes "
      "loss,uas\n"
      "  chrysalis-cli probe runs/baseline --probe-set p.h5 --order coarse-to-fine --first-step "
      "1500\n"
      "  chrysalis-cli probe runs/baseline --probe-set p.h5 --probes blimp --blimp data/blimp "
      "--blimp-per-task 100\n"
      "  chrysalis-cli probe runs/baseline --probe-set p.h5 --probes ablation --ablate-heads "
      "top:3 --ablate-mode mean");
  static std::string series, probeSet, probesList = "loss,uas", blimp, steps, order = "ascending",
                                       shard, device = "cpu";
  static probes::RunRequest req;
  static bool json = false;
  cmd->add_option("series", series, "Series folder")->required();
  cmd->add_option("--probe-set", probeSet, "Probe set (chrysalis-cli probe-set build)")->required();
  cmd->add_option("--probes", probesList, "Comma-separated probe kinds")->capture_default_str();
  cmd->add_option("--blimp", blimp, "BLiMP folder of *.jsonl (for the blimp probe)");
  cmd->add_option("--blimp-per-task", req.prober.blimpPerTask, "Pairs per task (0 = all 1,000)")
      ->capture_default_str();
  cmd->add_option("--blimp-seed", req.prober.blimpSeed, "Subsampling seed")->capture_default_str();
  cmd->add_option("--min-relation-count", req.prober.uas.minRelationCount,
                  "Rarer relations are excluded from UAS")
      ->capture_default_str();
  cmd->add_option("--twonn-points", req.prober.twonnPoints,
                  "Sentences whose [CLS] vectors TwoNN uses")
      ->capture_default_str();
  cmd->add_option("--twonn-layer", req.prober.twonnLayer,
                  "Hidden-state layer for TwoNN (-1 = last)")
      ->capture_default_str();
  cmd->add_option("--ngram-positions", req.prober.ngramPositions,
                  "Held-out positions per sentence for the ngram probe")
      ->capture_default_str();
  cmd->add_option("--ablate-heads", req.prober.ablation.heads,
                  "Heads the ablation probe masks: top:K (highest UAS at each checkpoint), "
                  "random:K, or layer-head list such as 4-1,3-2 (counted from 1)")
      ->capture_default_str();
  cmd->add_option("--ablate-mode", req.prober.ablation.mode,
                  "zero: the heads' outputs are zeroed; mean: replaced by their mean over the "
                  "probe set")
      ->check(CLI::IsMember({"zero", "mean"}))
      ->capture_default_str();
  cmd->add_option("--ablate-seed", req.prober.ablation.seed, "Seed of random:K and the control")
      ->capture_default_str();
  static bool noControl = false;
  cmd->add_flag("--no-ablate-control", noControl,
                "Skip the control (as many random heads, none of the chosen ones)");
  cmd->add_option("--steps", steps, "Comma-separated steps or 'all'");
  cmd->add_option("--order", order, "ascending | coarse-to-fine")->capture_default_str();
  static int64_t firstStep = 0;
  static CLI::Option* firstStepOption = nullptr;
  firstStepOption =
      cmd->add_option("--first-step", firstStep,
                      "Probe this step (or the newest checkpoint at or before it) first")
          ->check(CLI::NonNegativeNumber);
  cmd->add_option("--shard", shard, "i/n: probe every n-th checkpoint starting at i");
  cmd->add_option("--threads", req.threads, "CPU threads (0 = all cores)");
  cmd->add_option("--device", device, "auto | cpu | cuda")->capture_default_str();
  cmd->add_option("--max-batch", req.prober.maxBatch, "Sequences per forward")
      ->capture_default_str();
  cmd->add_flag("--json", json, "JSON-lines progress events on stdout");
  cmd->callback([&exitCode] {
    exitCode = guarded([] {
      req.series = series;
      req.probeSet = probeSet;
      if (!blimp.empty()) req.blimpDir = blimp;
      req.kinds.clear();
      std::stringstream ss(probesList);
      for (std::string k; std::getline(ss, k, ',');)
        if (!k.empty()) req.kinds.push_back(k);
      req.steps = parseSteps(steps);
      req.prober.ablation.control = !noControl;
      probes::parseHeadChoice(req.prober.ablation.heads); // a bad spec fails before any work
      if (order == "coarse-to-fine")
        req.order = probes::StepOrder::CoarseToFine;
      else if (order != "ascending")
        throw std::invalid_argument("--order must be ascending or coarse-to-fine");
      if (firstStepOption->count() > 0) req.firstStep = firstStep;
      if (shard.empty()) shard = slurmArrayShard();
      if (!shard.empty()) {
        auto slash = shard.find('/');
        if (slash == std::string::npos) throw std::invalid_argument("--shard must be i/n");
        req.shardIndex = std::stoul(shard.substr(0, slash));
        req.shardCount = std::stoul(shard.substr(slash + 1));
        if (req.shardCount == 0 || req.shardIndex >= req.shardCount)
          throw std::invalid_argument("--shard i/n needs 0 <= i < n");
      }
      req.device = device;
      const auto& interrupted = train::installInterruptHandlers(); // shared with train
      // A checkpoint's unfinished results are discarded on a stop anyway, so
      // a stop never waits long for the current batch or load to end.
      train::exitIfStillRunningAfterStop(std::chrono::seconds(3), 130);
      auto summary = probes::runProbes(
          req, [](const probes::ProgressEvent& e) { printEvent(e, json); }, &interrupted);
      // One write per line (fprintf on unbuffered stderr): shards of a Slurm
      // array or a shell's background jobs may share one log, and a line
      // written in pieces interleaves with theirs.
      for (const auto& [kind, why] : summary.skipped)
        std::fprintf(stderr, "note: %s not computed: %s\n", kind.c_str(), why.c_str());
      if (!json)
        std::fprintf(stderr, "computed %zu results, %zu were cached%s\n",
                     static_cast<size_t>(summary.computed), static_cast<size_t>(summary.cached),
                     summary.cancelled ? " (interrupted; finished results are kept)" : "");
      return summary.cancelled ? 130 : 0;
    });
  });
}

} // namespace chrysalis::cli
