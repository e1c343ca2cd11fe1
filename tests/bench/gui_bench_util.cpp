#include "gui_bench_util.h"

#include "format/checkpoint_file.h"
#include "format/series.h"
#include "synthetic_series.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>

#include <csignal>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace chrysalis::bench {

int ensureSyntheticSeries(const QString& dir, int64_t lastStep, bool weights) {
  test::SyntheticOptions o;
  o.layers = 12;
  o.heads = 12;
  o.lastStep = lastStep;
  // Per-pair BLiMP scores, as real results have: the BLiMP pair list
  // (bench_gui_scrub --blimp-tab) shows nothing without them.
  o.pairsPerTask = 20;
  const std::vector<int64_t> steps = test::syntheticSteps(o);
  // A series written by an older version of this function (no marker, or
  // another one) is written again.
  const QString marker = dir + QStringLiteral("/.bench-series-v2");
  if (QFileInfo::exists(dir + QStringLiteral("/series.json"))) {
    if (QFileInfo::exists(marker)) return static_cast<int>(steps.size());
    QDir(dir).removeRecursively();
  }
  test::writeSyntheticSeries(dir, o);
  if (weights) {
    const float one = 1.0f;
    for (int64_t step : steps) {
      const auto path = format::checkpointPath(dir.toStdString(), step);
      const format::CheckpointInfo info = format::CheckpointReader(path).info();
      format::writeCheckpoint(path, info,
                              {format::TensorBlob{"bench.marker", format::DType::F32, {1}, &one}});
    }
  }
  QFile(marker).open(QIODevice::WriteOnly);
  return static_cast<int>(steps.size());
}

Summary summarize(QVector<double> ms) {
  Summary s;
  if (ms.isEmpty()) return s;
  std::sort(ms.begin(), ms.end());
  auto pct = [&](double q) {
    return ms[std::min<qsizetype>(ms.size() - 1, qsizetype(std::ceil(q * ms.size())) - 1)];
  };
  s.mean = std::accumulate(ms.begin(), ms.end(), 0.0) / ms.size();
  s.p50 = pct(0.50);
  s.p95 = pct(0.95);
  s.max = ms.last();
  return s;
}

QString format(const Summary& s) {
  return QStringLiteral("mean %1  p50 %2  p95 %3  max %4")
      .arg(s.mean, 0, 'f', 2)
      .arg(s.p50, 0, 'f', 2)
      .arg(s.p95, 0, 'f', 2)
      .arg(s.max, 0, 'f', 2);
}

void useThrowawaySettings(const QString& dir) {
  QCoreApplication::setOrganizationName(QStringLiteral("chrysalis-bench"));
  QSettings::setDefaultFormat(QSettings::IniFormat);
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir);
}

BusyCores::BusyCores(int count) {
  for (int i = 0; i < count; ++i) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL); // never outlives the benchmark
      // A process of its own, as a training run is: a forked child that kept
      // the app's address space would make every page the app then writes
      // a copy-on-write fault, charged to the moves being timed.
      ::execl("/bin/sh", "sh", "-c", "while :; do :; done", static_cast<char*>(nullptr));
      volatile unsigned long spin = 0; // no shell: spin here
      for (;;)
        spin = spin + 1;
    }
    if (pid > 0) m_children << pid;
  }
  // Measured in the steady state of a process that has been running a while
  // (the scheduler has its history), not in the first moments after its start.
  if (!m_children.isEmpty()) ::usleep(1'000'000);
}

BusyCores::~BusyCores() {
  for (int pid : m_children) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
}

} // namespace chrysalis::bench
