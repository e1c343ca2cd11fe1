#include "synthetic_series.h"

#include "format/checkpoint_file.h"
#include "format/probe_store.h"
#include "format/series.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <limits>

namespace chrysalis::test {
namespace {

double sig(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

// Deterministic noise in [-1, 1] (splitmix64 of seed, step and channel), so a
// series written twice is byte-for-byte the same data.
double jitter(uint64_t seed, int64_t step, uint64_t channel) {
  uint64_t z = seed * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(step) * 0xBF58476D1CE4E5B9ull +
               channel * 0x94D049BB133111EBull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) / static_cast<double>(1ull << 53) * 2.0 - 1.0;
}

// Fixed per-head randomness: independent of the step.
double headRand(uint64_t seed, int a, int b, int c = 0, int d = 0) {
  return 0.5 + 0.5 * jitter(seed + 17, a * 1000003 + b * 1009 + c * 31 + d, 7);
}

struct Task {
  const char* name;
  const char* phenomenon;
};
const Task kTasks[] = {
    {"anaphor_gender_agreement", "anaphor_agreement"},
    {"anaphor_number_agreement", "anaphor_agreement"},
    {"determiner_noun_agreement_1", "determiner_noun_agreement"},
    {"determiner_noun_agreement_2", "determiner_noun_agreement"},
    {"regular_plural_subject_verb_agreement_1", "subject_verb_agreement"},
    {"irregular_plural_subject_verb_agreement_1", "subject_verb_agreement"},
    {"existential_there_quantifiers_1", "quantifiers"},
    {"superlative_quantifiers_1", "quantifiers"},
    {"wh_questions_object_gap", "filler_gap_dependency"},
    {"wh_vs_that_with_gap", "filler_gap_dependency"},
    {"principle_A_c_command", "binding"},
    {"npi_present_1", "npi_licensing"},
};
constexpr int kTaskCount = sizeof(kTasks) / sizeof(kTasks[0]);

double taskAccuracy(const SyntheticOptions& o, int k, int64_t step) {
  const double base = 0.50 + 0.12 * headRand(o.seed, k, 1);
  const double early =
      0.015 * headRand(o.seed, k, 2) * sig((step - static_cast<double>(o.uasCentre)) / o.uasWidth);
  const double gain = 0.10 + 0.22 * headRand(o.seed, k, 3);
  const double offset = (headRand(o.seed, k, 4) - 0.5) * 2.0 * o.blimpWidth;
  return base + early +
         gain * sig((step - static_cast<double>(o.blimpCentre) - offset) / o.blimpWidth);
}

// The specialist head of each relation: middle layers, one direction.
struct Specialist {
  int layer, head, direction;
  double peak;
  double delay;
};
Specialist specialist(const SyntheticOptions& o, int r) {
  Specialist s;
  const int lo = std::max(0, o.layers / 4), hi = std::max(lo + 1, (o.layers * 3) / 4);
  s.layer = lo + static_cast<int>(headRand(o.seed, r, 11) * (hi - lo)) % std::max(1, hi - lo);
  s.head = static_cast<int>(headRand(o.seed, r, 12) * o.heads) % o.heads;
  s.direction = headRand(o.seed, r, 13) < 0.6 ? 0 : 1;
  s.peak = 0.55 + 0.38 * headRand(o.seed, r, 14);
  s.delay = (headRand(o.seed, r, 15) - 0.3) * 3.0 * o.uasWidth;
  return s;
}

format::NumericArray array(std::vector<int64_t> shape, std::vector<double> values) {
  return format::NumericArray{std::move(shape), std::move(values)};
}

} // namespace

std::vector<int64_t> syntheticSteps(const SyntheticOptions& options) {
  std::vector<int64_t> steps;
  for (int64_t s = 0; s <= std::min<int64_t>(1500, options.lastStep); s += 100)
    steps.push_back(s);
  for (int64_t s = 2000; s <= options.lastStep; s += 500)
    steps.push_back(s);
  return steps;
}

QStringList syntheticRelations() {
  return {QStringLiteral("nsubj"),   QStringLiteral("obj"),  QStringLiteral("det"),
          QStringLiteral("amod"),    QStringLiteral("case"), QStringLiteral("nmod"),
          QStringLiteral("advmod"),  QStringLiteral("aux"),  QStringLiteral("mark"),
          QStringLiteral("compound")};
}

double syntheticUas(const SyntheticOptions& o, int64_t step) {
  return 0.13 + 0.37 * sig((step - static_cast<double>(o.uasCentre)) / o.uasWidth) +
         0.02 * static_cast<double>(step) / static_cast<double>(std::max<int64_t>(1, o.lastStep));
}

double syntheticLoss(const SyntheticOptions& o, int64_t step) {
  const double c = static_cast<double>(o.uasCentre);
  return 7.0 + 3.3 * std::exp(-static_cast<double>(step) / 40.0) -
         2.3 * sig((step - c) / o.uasWidth) - 0.45 * std::log1p(std::max(0.0, step - c) / 1500.0);
}

double syntheticBlimp(const SyntheticOptions& o, int64_t step) {
  double sum = 0.0;
  for (int k = 0; k < kTaskCount; ++k)
    sum += taskAccuracy(o, k, step);
  return sum / kTaskCount;
}

double syntheticTwoNN(const SyntheticOptions& o, int64_t step) {
  const double c = static_cast<double>(o.uasCentre), b = static_cast<double>(o.blimpCentre);
  const double s = static_cast<double>(step);
  const double fall = 5.0 * (1.0 - std::exp(-s / (0.4 * c)));
  const double rise = 8.0 * sig((s - (c + b) / 2.0) / ((b - c) / 8.0));
  const double decline = 2.5 * std::log1p(std::max(0.0, s - b) / 2500.0);
  return 14.0 - fall + rise - decline;
}

SyntheticSeries::SyntheticSeries(QString dir, SyntheticOptions options)
    : m_dir(std::move(dir)), m_options(std::move(options)) {}

void SyntheticSeries::create() const {
  QDir().mkpath(m_dir);
  const std::string vocab =
      "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\n,\n.\nof\nand\nto\na\nin\nwas\nhe\nis\nit\n##s\n";
  format::SeriesMeta meta;
  meta.label = m_options.label.toStdString();
  meta.model.numHiddenLayers = m_options.layers;
  meta.model.numAttentionHeads = m_options.heads;
  meta.model.hiddenSize = 64 * m_options.heads;
  meta.model.intermediateSize = 4 * meta.model.hiddenSize;
  meta.model.vocabSize = static_cast<int64_t>(std::count(vocab.begin(), vocab.end(), '\n'));
  meta.training = {{"note", "synthetic series written by tests/ui/synthetic_series.cpp"},
                   {"schedule", m_options.schedule.toStdString()},
                   {"seed", m_options.seed},
                   {"label", meta.label},
                   {"command_line", "make_synthetic_series " + m_dir.toStdString()}};
  format::createSeries(m_dir.toStdString(), meta, vocab);
}

QString SyntheticSeries::hash(const QString& kind) const {
  nlohmann::json config = {{"probe", kind.toStdString()},
                           {"probe_set", m_options.probeSet.toStdString()},
                           {"version", 1}};
  return QString::fromStdString(format::probeConfigHash(config));
}

void SyntheticSeries::writeStep(int64_t step) const {
  const SyntheticOptions& o = m_options;
  format::CheckpointInfo info;
  info.step = step;
  info.tokensSeen = step * 256 * 512;
  info.wallTime = static_cast<double>(step) * 0.42;
  info.learningRate = 1e-4 * std::min(1.0, static_cast<double>(step) / 1000.0);
  info.trainLoss = syntheticLoss(o, step) + 0.05 * jitter(o.seed, step, 1);
  format::writeCheckpoint(format::checkpointPath(m_dir.toStdString(), step), info, {});
  for (const auto& kind : o.kinds)
    writeProbe(kind, step);
}

void SyntheticSeries::writeProbe(const QString& kind, int64_t step) const {
  const SyntheticOptions& o = m_options;
  format::ProbeStore store(m_dir.toStdString());
  nlohmann::json config = {
      {"probe", kind.toStdString()}, {"probe_set", o.probeSet.toStdString()}, {"version", 1}};
  const std::string hash = store.ensureConfig(config);
  format::ProbeResult r;
  r.step = step;
  r.probeSetHash = o.probeSet.toStdString();
  const double n = o.noise;
  const double t =
      sig((step - static_cast<double>(o.uasCentre)) / o.uasWidth); // structure progress
  const int L = o.layers, H = o.heads;

  if (kind == QLatin1String("loss")) {
    r.scalars["loss"] = syntheticLoss(o, step) + 10.0 * n * jitter(o.seed, step, 2);
    if (std::find(o.nanLossSteps.cbegin(), o.nanLossSteps.cend(), step) != o.nanLossSteps.cend())
      r.scalars["loss"] = std::numeric_limits<double>::quiet_NaN();
    r.scalars["loss_tokens"] = 51200;
    r.scalars["accuracy"] = 0.05 + 0.40 * t + n * jitter(o.seed, step, 3);
  } else if (kind == QLatin1String("uas")) {
    const QStringList relations = syntheticRelations();
    const int R = static_cast<int>(relations.size());
    std::vector<double> acc(static_cast<size_t>(L * H * 2 * R));
    std::vector<double> best(static_cast<size_t>(R * 3));
    std::vector<double> headBest(static_cast<size_t>(L * H), 0.0);
    std::vector<double> counts(static_cast<size_t>(R));
    for (int r2 = 0; r2 < R; ++r2) {
      counts[static_cast<size_t>(r2)] = std::round(200 + 2800 * headRand(o.seed, r2, 21));
      const Specialist sp = specialist(o, r2);
      double bestAcc = -1.0;
      for (int l = 0; l < L; ++l)
        for (int h = 0; h < H; ++h)
          for (int d = 0; d < 2; ++d) {
            // Every head guesses near an offset baseline; middle layers drift up a little.
            const double depth = 1.0 - std::abs((l + 0.5) / L - 0.5) * 2.0;
            double a = 0.03 + 0.22 * headRand(o.seed, l, h, d, r2) + 0.08 * depth * t;
            if (l == sp.layer && h == sp.head && d == sp.direction)
              a += (sp.peak - a) *
                   sig((step - static_cast<double>(o.uasCentre) - sp.delay) / o.uasWidth);
            a = std::clamp(
                a + 0.5 * n *
                        jitter(o.seed, step,
                               1000 + static_cast<uint64_t>(((l * H + h) * 2 + d) * R + r2)),
                0.0, 1.0);
            acc[static_cast<size_t>(((l * H + h) * 2 + d) * R + r2)] = a;
            headBest[static_cast<size_t>(l * H + h)] =
                std::max(headBest[static_cast<size_t>(l * H + h)], a);
            if (a > bestAcc) {
              bestAcc = a;
              best[static_cast<size_t>(r2 * 3)] = l;
              best[static_cast<size_t>(r2 * 3 + 1)] = h;
              best[static_cast<size_t>(r2 * 3 + 2)] = d;
            }
          }
    }
    if (!o.headJumps.empty()) {
      for (int i = 0; i < L * H; ++i)
        headBest[static_cast<size_t>(i)] =
            0.10 + 0.05 * headRand(o.seed, i, 31) +
            n * jitter(o.seed, step, 20000 + static_cast<uint64_t>(i));
      // A jump sharper than the grid: the head is "before" at one checkpoint, "after" at the next.
      for (const auto& [head, at] : o.headJumps)
        headBest[static_cast<size_t>(head)] += 0.5 * sig((step - static_cast<double>(at)) / 5.0);
    }
    r.scalars["uas"] = syntheticUas(o, step) + n * jitter(o.seed, step, 4);
    r.scalars["uas_all_words"] = 0.10 + 0.21 * t + n * jitter(o.seed, step, 5);
    r.scalars["uas_offset_baseline"] = 0.318; // a property of the gold parses, not the model
    r.scalars["uas_offset_best_k"] = -1;
    r.scalars["uas_mean_attention"] = 0.08 + 0.22 * t + n * jitter(o.seed, step, 6);
    double words = 0;
    for (double c : counts)
      words += c;
    r.scalars["uas_words"] = words;
    if (o.sentences > 0) {
      std::vector<double> correct, lengths;
      for (int i = 0; i < o.sentences; ++i) {
        // Length and difficulty are the sentence's (seed 0); the noise is the seed's.
        const double n_i = 4 + (i * 7) % 19;
        const double shift = (headRand(0, i, 41) - 0.5) * 4.0 * o.uasWidth;
        const double p = std::clamp(
            0.13 + 0.37 * sig((step - static_cast<double>(o.uasCentre) - shift) / o.uasWidth) +
                0.06 * jitter(o.seed, step, 40000 + static_cast<uint64_t>(i)),
            0.0, 1.0);
        correct.push_back(std::round(p * n_i));
        lengths.push_back(n_i);
      }
      r.arrays["uas/sentence_correct"] = array({o.sentences}, correct);
      r.arrays["uas/sentence_words"] = array({o.sentences}, lengths);
      double right = 0, all = 0;
      for (int i = 0; i < o.sentences; ++i)
        right += correct[static_cast<size_t>(i)], all += lengths[static_cast<size_t>(i)];
      r.scalars["uas"] = right / all; // the pooled ratio, as the probe's
    }
    r.arrays["uas/accuracy"] = array({L, H, 2, R}, acc);
    r.arrays["uas/head_best"] = array({L, H}, headBest);
    r.arrays["uas/relation_counts"] = array({R}, counts);
    r.arrays["uas/best"] = array({R, 3}, best);
    for (const auto& rel : relations)
      r.strings["uas/relations"].push_back(rel.toStdString());
  } else if (kind == QLatin1String("blimp")) {
    std::vector<double> tasks(kTaskCount);
    double sum = 0.0;
    for (int k = 0; k < kTaskCount; ++k) {
      tasks[static_cast<size_t>(k)] = std::clamp(
          taskAccuracy(o, k, step) + 2 * n * jitter(o.seed, step, 100 + static_cast<uint64_t>(k)),
          0.0, 1.0);
      sum += tasks[static_cast<size_t>(k)];
      r.strings["blimp/tasks"].push_back(kTasks[k].name);
      r.strings["blimp/task_phenomena"].push_back(kTasks[k].phenomenon);
    }
    r.scalars["blimp"] = sum / kTaskCount;
    r.scalars["blimp_pairs"] = 1000.0 * kTaskCount;
    if (o.pairsPerTask > 0) {
      std::vector<double> good, bad, task;
      sum = 0.0;
      for (int k = 0; k < kTaskCount; ++k) {
        int right = 0;
        for (int j = 0; j < o.pairsPerTask; ++j) {
          // A pair's difficulty is the pair's (seed 0); the noise is the seed's.
          const double u = headRand(0, k, j, 51);
          const bool ok =
              u + 0.1 * jitter(o.seed, step, 60000 + static_cast<uint64_t>(k * 1000 + j)) <
              taskAccuracy(o, k, step);
          right += ok ? 1 : 0;
          bad.push_back(-20.0 - 5.0 * u);
          good.push_back(bad.back() + (ok ? 1.0 : -1.0) * (0.5 + u));
          task.push_back(k);
        }
        tasks[static_cast<size_t>(k)] = static_cast<double>(right) / o.pairsPerTask;
        sum += tasks[static_cast<size_t>(k)];
      }
      r.scalars["blimp"] = sum / kTaskCount;
      r.scalars["blimp_pairs"] = static_cast<double>(good.size());
      r.arrays["blimp/pll_good"] = array({static_cast<int64_t>(good.size())}, good);
      r.arrays["blimp/pll_bad"] = array({static_cast<int64_t>(bad.size())}, bad);
      r.arrays["blimp/pair_task"] = array({static_cast<int64_t>(task.size())}, task);
    }
    r.arrays["blimp/task_accuracy"] = array({kTaskCount}, tasks);
  } else if (kind == QLatin1String("twonn")) {
    r.scalars["twonn_id"] = syntheticTwoNN(o, step) + 30 * n * jitter(o.seed, step, 7);
    r.scalars["twonn_r"] = 0.985 + 0.5 * n * jitter(o.seed, step, 8);
    r.scalars["twonn_n"] = 500;
  } else if (kind == QLatin1String("attn")) {
    std::vector<double> entropy(static_cast<size_t>(L * H)), distance(static_cast<size_t>(L * H));
    std::vector<bool> special(static_cast<size_t>(L * H), false);
    for (int r2 = 0; r2 < static_cast<int>(syntheticRelations().size()); ++r2) {
      const Specialist sp = specialist(o, r2);
      special[static_cast<size_t>(sp.layer * H + sp.head)] = true;
    }
    double se = 0, sd = 0;
    for (int l = 0; l < L; ++l)
      for (int h = 0; h < H; ++h) {
        const size_t i = static_cast<size_t>(l * H + h);
        const double u = headRand(o.seed, l, h, 5);
        // Untrained heads attend almost uniformly; after the onset, syntactic
        // heads become sharp and local, lower layers stay broad.
        const double lateEntropy = special[i] ? 0.9 + 0.6 * u : 1.8 + 2.0 * u * (1.0 - 0.4 * l / L);
        const double lateDistance = special[i] ? 1.2 + 1.5 * u : 2.5 + 5.0 * u;
        entropy[i] =
            4.1 + 0.2 * u + (lateEntropy - 4.1) * t + n * 5 * jitter(o.seed, step, 5000 + i);
        distance[i] = 9.0 + (lateDistance - 9.0) * t + n * 10 * jitter(o.seed, step, 9000 + i);
        se += entropy[i];
        sd += distance[i];
      }
    r.scalars["attn_entropy"] = se / (L * H);
    r.scalars["attn_distance"] = sd / (L * H);
    r.arrays["attn/entropy"] = array({L, H}, entropy);
    r.arrays["attn/distance"] = array({L, H}, distance);
  }
  store.write(hash, r);
}

void SyntheticSeries::writeAll() const {
  writeUpTo(m_options.lastStep);
}

void SyntheticSeries::writeUpTo(int64_t upTo) const {
  if (!QFileInfo::exists(m_dir + QStringLiteral("/series.json"))) create();
  for (int64_t step : syntheticSteps(m_options))
    if (step <= upTo) writeStep(step);
}

void writeSyntheticSeries(const QString& dir, const SyntheticOptions& options) {
  SyntheticSeries(dir, options).writeAll();
}

} // namespace chrysalis::test
