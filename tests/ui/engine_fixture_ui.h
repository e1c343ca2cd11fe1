#pragma once
// For GUI tests that talk to the engine: a tiny series with real weights (the
// PyTorch-made fixture, imported with the format library: no LibTorch here)
// and probe set files written in the engine's layout.
#include <QString>
#include <QStringList>
#include <QVector>

namespace chrysalis::test {

/// The built chrysalis-cli (CHRYSALIS_CLI, then the compile-time path), or empty.
QString engineCli(const char* builtPath);

/// Imports tests/fixtures/tiny-bert checkpoints 100, 200 and 300 into `dir`
/// (2 layers × 4 heads, 24 positions, a 64-token vocab "tok5".."tok63").
/// @param tokens vocabulary entries put first after the specials, e.g. words
///        and "##" continuations so that words split into several pieces.
/// @returns the series folder. @throws on failure.
QString importTinySeries(const QString& fixturesDir, const QString& dir,
                         const QStringList& tokens = {});

struct FixtureSentence {
  QString id;
  QStringList words;
  QVector<int> heads; ///< 1-based, 0 = root
  QStringList relations;
};

/// Writes a probe set file as `chrysalis-cli probe-set build` would (the
/// hash attribute is a placeholder: the GUI does not check it).
void writeProbeSetFile(const QString& path, const QVector<FixtureSentence>& sentences);

/// Three small parsed sentences, for tests that need some.
QVector<FixtureSentence> sampleSentences();

} // namespace chrysalis::test
