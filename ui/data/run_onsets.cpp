#include "data/run_onsets.h"

#include "onset/detector.h"

namespace chrysalis::ui {
namespace {

onset::Curve toCurve(const Timeline& t) {
  return onset::Curve(std::vector<int64_t>(t.steps.begin(), t.steps.end()),
                      std::vector<double>(t.values.begin(), t.values.end()));
}

} // namespace

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
  try {
    const onset::OnsetReport report = onset::findOnsets(
        toCurve(uas), toCurve(run.timeline(QStringLiteral("blimp"), QStringLiteral("blimp"))),
        options);
    out.structure = report.structure;
    out.capabilities = report.capabilities;
    out.plateau = report.plateau;
    out.structureNone = QString::fromStdString(report.structureNone);
    out.capabilitiesNone = QString::fromStdString(report.capabilitiesNone);
  } catch (const std::exception& e) {
    out.problem = QString::fromStdString(e.what());
  }
  return out;
}

} // namespace chrysalis::ui
