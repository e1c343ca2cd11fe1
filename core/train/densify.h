#pragma once
// `train --densify SERIES --from S1 --to S2 --every K` (docs/training.md):
// more checkpoints where a run changes fast, without a new run. The series'
// newest resume state at or before S1 (kept with --keep-states every:N or
// log:K; step 0 needs none, initialisation being seeded) is trained on to S2
// in a work folder inside the series with a checkpoint every K steps. Each
// checkpoint the series lacks is moved in as it is written (and listed in
// series.json under provenance.densified); one the series has is compared
// with it tensor by tensor: on the CPU the re-run is the run itself, so they
// are equal bit for bit, and the report says so (or names the step that is not).
#include "format/series.h"
#include "train/trainer.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace chrysalis::train {

class RunLock;

struct DensifyRequest {
  std::filesystem::path series;
  int64_t from = 0, to = 0, every = 0;
  int threads = -1;        // -1: as recorded
  std::string commandLine; // for provenance
};

struct DensifyReport {
  int64_t resumedFrom = 0;
  std::vector<int64_t> added;    // new checkpoints now in the series
  std::vector<int64_t> matched;  // steps the series had: the re-run's weights are identical
  std::vector<int64_t> differed; // steps the series had whose re-run differs (original kept)
};

class Densifier {
public:
  // Checks the request, takes the series' run lock (a running trainer makes
  // this fail), prepares the work folder and resumes from the kept state.
  // Throws InputError naming the series and what is wrong.
  explicit Densifier(const DensifyRequest& request);
  // Removes the work folder (what was moved into the series stays).
  ~Densifier();
  Densifier(const Densifier&) = delete;
  Densifier& operator=(const Densifier&) = delete;

  Trainer& trainer() { return *m_trainer; }
  // `inner` with each checkpoint adopted into the series before inner sees
  // it (with the series' path).
  TrainerCallbacks callbacks(TrainerCallbacks inner);
  const DensifyReport& report() const { return m_report; }
  // The steps it will write, S1..S2 every K and S2.
  const std::vector<int64_t>& plannedSteps() const { return m_planned; }

private:
  void prepareWork(const format::SeriesMeta& meta, const TrainConfig& config);
  void adopt(int64_t step, const std::filesystem::path& file);
  void recordProvenance() const;

  DensifyRequest m_request;
  std::filesystem::path m_work;
  std::unique_ptr<RunLock> m_lock;
  std::unique_ptr<Trainer> m_trainer;
  std::vector<int64_t> m_planned;
  DensifyReport m_report;
  double m_startedUnix = 0;
};

// Whether two checkpoint files hold the same tensors with identical bytes.
bool sameWeightBytes(const std::filesystem::path& a, const std::filesystem::path& b);

} // namespace chrysalis::train
