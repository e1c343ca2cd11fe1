#include "export/headless_arcs.h"

#include "arcs/arc_scene.h"
#include "common/step_axis.h"
#include "data/run_data.h"
#include "sentences/probe_set_locator.h"
#include "sentences/probe_set_reader.h"
#include "worker/worker_client.h"
#include "worker/worker_locator.h"

#include <QEventLoop>
#include <QRegularExpression>
#include <QTimer>

namespace chrysalis::ui {

namespace {

struct Failure {
  QString message;
};

const ProbeSentence& findSentence(const ProbeSetData& set, const QString& want) {
  for (const ProbeSentence& s : set.sentences)
    if (s.id == want) return s;
  bool isNumber = false;
  const int n = want.toInt(&isNumber);
  if (isNumber && n >= 1 && n <= set.sentences.size()) return set.sentences[n - 1];
  throw Failure{QStringLiteral("%1: no sentence with id '%2'%3")
                    .arg(set.path, want,
                         isNumber ? QStringLiteral(" and no sentence number %1 (1 to %2)")
                                        .arg(n)
                                        .arg(set.sentences.size())
                                  : QString())};
}

QString weightSteps(const RunData& run) {
  QStringList steps;
  for (const CheckpointRow& c : run.checkpoints)
    if (c.hasWeights) steps << formatStep(static_cast<double>(c.step));
  return steps.isEmpty() ? QStringLiteral("none") : steps.join(QStringLiteral(", "));
}

AttentionResult fetch(const QString& engine, const AttentionKey& key, int timeoutMs) {
  WorkerClient client;
  client.setProgram(engine);
  QEventLoop loop;
  AttentionResult result;
  QString error;
  QObject::connect(&client, &WorkerClient::attentionReady, &loop, [&](const AttentionResult& r) {
    if (r.key != key) return;
    result = r;
    loop.quit();
  });
  QObject::connect(&client, &WorkerClient::requestFailed, &loop,
                   [&](qint64, const AttentionKey&, const QString& message) {
                     error = message;
                     loop.quit();
                   });
  QTimer::singleShot(timeoutMs, &loop, [&] {
    error = QStringLiteral("the engine did not answer within %1 s").arg(timeoutMs / 1000);
    loop.quit();
  });
  client.requestAttention(key);
  loop.exec();
  if (!result.isValid() && error.isEmpty()) error = QStringLiteral("the engine sent no attention");
  if (!error.isEmpty()) throw Failure{QStringLiteral("engine %1: %2").arg(engine, error)};
  return result;
}

ArcScene load(const RunData& run, const ArcsRequest& r) {
  const QString path = r.probeSet.isEmpty() ? findProbeSet(run.dir) : r.probeSet;
  if (path.isEmpty())
    throw Failure{QStringLiteral("%1: no probe set found beside the series (probe-set.h5 or "
                                 "*.probeset.h5): give --probe-set FILE")
                      .arg(run.dir)};
  const ProbeSetData set = readProbeSet(path);
  const ProbeSentence& sentence = findSentence(set, r.sentence);

  const QRegularExpressionMatch m =
      QRegularExpression(QStringLiteral("^(\\d+)-(\\d+)$")).match(r.head);
  const int layer = m.hasMatch() ? m.captured(1).toInt() - 1 : -1;
  const int head = m.hasMatch() ? m.captured(2).toInt() - 1 : -1;
  if (layer < 0 || head < 0 || layer >= run.layers || head >= run.heads)
    throw Failure{QStringLiteral("--head must be L-H with L in 1..%1 and H in 1..%2, not '%3'")
                      .arg(run.layers)
                      .arg(run.heads)
                      .arg(r.head)};

  const CheckpointRow* c = run.checkpoint(r.step);
  if (!c || !c->hasWeights)
    throw Failure{QStringLiteral("%1: %2 at step %3: the arcs need a checkpoint with weights "
                                 "(steps with weights: %4)")
                      .arg(run.dir,
                           c ? QStringLiteral("the checkpoint has no weights")
                             : QStringLiteral("no checkpoint"),
                           formatStep(static_cast<double>(r.step)), weightSteps(run))};

  const QString engine = r.engine.isEmpty() ? locateEngine() : r.engine;
  if (engine.isEmpty()) throw Failure{engineNotFoundMessage()};
  const AttentionResult result = fetch(engine, {run.dir, r.step, sentence.words}, r.timeoutMs);

  ArcScene scene = buildArcScene(sentence, &result, layer, head, r.direction);
  if (!scene.hasPrediction())
    throw Failure{QStringLiteral("engine %1: its attention does not fit sentence %2")
                      .arg(engine, sentence.id)};
  scene.predictedLabel = QStringLiteral("%1 \u00B7 head %2-%3 \u00B7 step %4")
                             .arg(sentence.id)
                             .arg(layer + 1)
                             .arg(head + 1)
                             .arg(formatStep(static_cast<double>(r.step)));
  return scene;
}

} // namespace

ArcScene loadArcScene(const RunData& run, const ArcsRequest& request, QString* error) {
  try {
    return load(run, request);
  } catch (const Failure& f) {
    if (error) *error = f.message;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
  }
  return {};
}

} // namespace chrysalis::ui
