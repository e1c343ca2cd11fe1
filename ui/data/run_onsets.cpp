#include "data/run_onsets.h"

#include "onset/detector.h"

#include <QCache>
#include <QMutex>
#include <QMutexLocker>

namespace chrysalis::ui {
namespace {

// The default detector fits a logistic (milliseconds per curve), and every
// timeline rebuild (a new checkpoint while training, a setting changed) asks
// again for every run: answers are kept by what they depend on, the curves'
// steps and values and the settings.
QByteArray cacheKey(const Timeline& uas, const Timeline& blimp, const OnsetSettings& settings) {
  QByteArray key = onsetSettingsKey(settings).toUtf8();
  auto add = [&key](const void* data, qsizetype bytes) {
    key.append(static_cast<const char*>(data), bytes);
  };
  for (const Timeline* t : {&uas, &blimp}) {
    const qsizetype n = t->steps.size();
    add(&n, sizeof n);
    add(t->steps.constData(), n * qsizetype(sizeof(qint64)));
    add(t->values.constData(), t->values.size() * qsizetype(sizeof(double)));
  }
  return key;
}

onset::Curve toCurve(const Timeline& t) {
  return onset::Curve(std::vector<int64_t>(t.steps.begin(), t.steps.end()),
                      std::vector<double>(t.values.begin(), t.values.end()));
}

} // namespace

QString onsetSettingsKey(const OnsetSettings& settings) {
  return QStringLiteral("%1/%2")
      .arg(static_cast<int>(settings.detector))
      .arg(settings.plateauFraction);
}

onset::OnsetOptions onsetOptions(const OnsetSettings& settings) {
  onset::OnsetOptions o;
  switch (settings.detector) {
  case OnsetDetector::Default:
    break;
  case OnsetDetector::SecondDerivative:
    o.detector.method = onset::Method::SecondDerivative;
    break;
  case OnsetDetector::LogStepSmoothed:
    o.detector = onset::logStepSmoothed();
    break;
  case OnsetDetector::ThreeSegmentFit:
    o.detector.method = onset::Method::ThreeSegmentFit;
    break;
  }
  o.plateauFraction = settings.plateauFraction;
  return o;
}

QString detectorName(OnsetDetector detector) {
  switch (detector) {
  case OnsetDetector::Default:
    return QStringLiteral("logistic turn, tested (default)");
  case OnsetDetector::SecondDerivative:
    return QStringLiteral("2nd derivative (the paper's)");
  case OnsetDetector::LogStepSmoothed:
    return QStringLiteral("2nd derivative, log-step smoothed");
  case OnsetDetector::ThreeSegmentFit:
    return QStringLiteral("3-segment change-point fit");
  }
  return {};
}

RunOnsets computeOnsets(const RunData& run, const OnsetSettings& settings) {
  RunOnsets out;
  const onset::OnsetOptions options = onsetOptions(settings);
  out.description =
      QString::fromStdString(onset::describe(options.detector)) +
      QStringLiteral(
          "; capabilities searched after the structure onset; plateau at %1% of the UAS rise")
          .arg(settings.plateauFraction * 100.0, 0, 'g', 3);
  const Timeline uas = run.timeline(QStringLiteral("uas"), QStringLiteral("uas"));
  if (uas.isEmpty()) {
    out.problem = QStringLiteral("no UAS results");
    return out;
  }
  const Timeline blimp = run.timeline(QStringLiteral("blimp"), QStringLiteral("blimp"));
  static QMutex mutex;
  static QCache<QByteArray, RunOnsets> cache(64);
  const QByteArray key = cacheKey(uas, blimp, settings);
  {
    const QMutexLocker lock(&mutex);
    if (const RunOnsets* hit = cache.object(key)) return *hit;
  }
  try {
    const onset::OnsetReport report = onset::findOnsets(toCurve(uas), toCurve(blimp), options);
    out.structure = report.structure;
    out.capabilities = report.capabilities;
    out.plateau = report.plateau;
    out.structureNone = QString::fromStdString(report.structureNone);
    out.capabilitiesNone = QString::fromStdString(report.capabilitiesNone);
  } catch (const std::exception& e) {
    out.problem = QString::fromStdString(e.what());
  }
  const QMutexLocker lock(&mutex);
  cache.insert(key, new RunOnsets(out));
  return out;
}

} // namespace chrysalis::ui
