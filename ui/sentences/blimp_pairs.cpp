#include "sentences/blimp_pairs.h"

#include "text/blimp.h"

#include <cstdio>

namespace chrysalis::ui {

namespace {
QString qs(const std::string& s) {
  return QString::fromStdString(s);
}

// The prober's FNV-1a over (uid, pairId) of every scored pair, each string
// closed by 0xff: equal hashes mean the texts belong to these PLLs.
class PairsHash {
public:
  void add(const std::string& s) {
    for (unsigned char c : s)
      mix(c);
    mix(0xff);
  }
  QString hex() const {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(m_h));
    return QString::fromLatin1(buf);
  }

private:
  void mix(unsigned char c) {
    m_h ^= c;
    m_h *= 1099511628211ull;
  }
  quint64 m_h = 1469598103934665603ull;
};
} // namespace

BlimpTexts loadBlimpTexts(const QString& dir, int perTask, quint64 seed) {
  const text::BlimpSuite all = text::BlimpSuite::loadDirectory(dir.toStdString());
  const text::BlimpSuite suite =
      perTask > 0 ? all.subsample(static_cast<size_t>(perTask), seed) : all;
  BlimpTexts out;
  out.dir = dir;
  PairsHash hash;
  for (const text::BlimpTask& task : suite.tasks())
    for (const text::BlimpPair& p : task.pairs) {
      out.pairs << BlimpPairText{qs(task.uid), qs(task.phenomenon), qs(p.pairId), qs(p.good),
                                 qs(p.bad)};
      hash.add(task.uid);
      hash.add(p.pairId);
    }
  out.hash = hash.hex();
  return out;
}

int BlimpScores::correctCount() const {
  int n = 0;
  for (int p = 0; p < size(); ++p)
    n += correct(p) ? 1 : 0;
  return n;
}

BlimpScores blimpScoresFrom(const StepArrays& a) {
  const ArrayValue good = a.arrays.value(QStringLiteral("blimp/pll_good"));
  const ArrayValue bad = a.arrays.value(QStringLiteral("blimp/pll_bad"));
  const ArrayValue task = a.arrays.value(QStringLiteral("blimp/pair_task"));
  const QStringList tasks = a.strings.value(QStringLiteral("blimp/tasks"));
  if (good.size() == 0 || bad.size() != good.size() || task.size() != good.size()) return {};
  BlimpScores s;
  s.step = a.step;
  s.good = good.values;
  s.bad = bad.values;
  s.tasks = tasks;
  s.phenomena = a.strings.value(QStringLiteral("blimp/task_phenomena"));
  s.task.reserve(task.size());
  for (double t : task.values) {
    const int k = static_cast<int>(t);
    if (k < 0 || k >= tasks.size()) return {}; // a pair of an unnamed task: not ours to show
    s.task << k;
  }
  return s;
}

QVector<BlimpFlip> blimpFlips(const BlimpScores& previous, const BlimpScores& current) {
  QVector<BlimpFlip> flips(current.size(), BlimpFlip::None);
  if (previous.size() != current.size() || previous.tasks != current.tasks ||
      previous.task != current.task)
    return flips;
  for (int p = 0; p < current.size(); ++p) {
    const bool was = previous.correct(p), is = current.correct(p);
    if (was != is) flips[p] = is ? BlimpFlip::BecameCorrect : BlimpFlip::BecameWrong;
  }
  return flips;
}

} // namespace chrysalis::ui
