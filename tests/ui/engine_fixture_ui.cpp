#include "engine_fixture_ui.h"

#include "format/dtype.h"
#include "format/h5.h"
#include "format/hf_import.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <fstream>

namespace chrysalis::test {

QString engineCli(const char* builtPath) {
  const QString env = qEnvironmentVariable("CHRYSALIS_CLI");
  if (!env.isEmpty() && QFileInfo(env).isExecutable()) return env;
  const QString built = QString::fromUtf8(builtPath);
  return !built.isEmpty() && QFileInfo(built).isExecutable() ? built : QString();
}

QString importTinySeries(const QString& fixturesDir, const QString& dir,
                         const QStringList& tokens) {
  QDir().mkpath(dir);
  const std::string vocab = QString(dir + QStringLiteral("/vocab.txt")).toStdString();
  {
    std::ofstream out(vocab);
    const char* specials[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
    for (int i = 0; i < 64; ++i)
      out << (i < 5                   ? std::string(specials[i])
              : i - 5 < tokens.size() ? tokens[i - 5].toStdString()
                                      : "tok" + std::to_string(i))
          << "\n";
  }
  format::HfImportOptions o;
  o.out = QString(dir + QStringLiteral("/series")).toStdString();
  o.vocab = vocab;
  o.label = "tiny fixture";
  const std::string base = QString(fixturesDir + QStringLiteral("/tiny-bert/")).toStdString();
  format::importHf({base + "checkpoint-100", base + "checkpoint-200", base + "checkpoint-300"}, o);
  return QString::fromStdString(o.out.string());
}

void writeProbeSetFile(const QString& path, const QVector<FixtureSentence>& sentences) {
  std::vector<std::string> ids, words, relations;
  std::vector<int64_t> heads, offsets{0};
  for (const FixtureSentence& s : sentences) {
    ids.push_back(s.id.toStdString());
    for (int i = 0; i < s.words.size(); ++i) {
      words.push_back(s.words[i].toStdString());
      relations.push_back(s.relations.value(i).toStdString());
      heads.push_back(s.heads.value(i));
    }
    offsets.push_back(static_cast<int64_t>(words.size()));
  }
  h5::File f = h5::create(path.toStdString());
  h5::writeAttrString(f, "/", "format", "chrysalis-probe-set");
  h5::writeAttrInt(f, "/", "format_version", 1);
  h5::writeAttrString(f, "/", "hash", "00000000deadbeef");
  h5::writeAttrInt(f, "/", "seed", 0);
  h5::writeAttrInt(f, "/", "max_pieces", 128);
  h5::writeStrings(f, "sent_ids", ids);
  h5::writeStrings(f, "words", words);
  h5::writeStrings(f, "relations", relations);
  h5::writeStrings(f, "sources", {"fixture.conllu"});
  h5::writeDatasetRaw(f, "heads", format::DType::I64, {static_cast<int64_t>(heads.size())},
                      heads.data());
  h5::writeDatasetRaw(f, "sentence_offsets", format::DType::I64,
                      {static_cast<int64_t>(offsets.size())}, offsets.data());
  h5::flush(f);
}

QVector<FixtureSentence> sampleSentences() {
  auto s = [](const char* id, const QString& text, QVector<int> heads, const QString& rels) {
    return FixtureSentence{QString::fromUtf8(id), text.split(QLatin1Char(' ')), std::move(heads),
                           rels.split(QLatin1Char(' '))};
  };
  return {
      s("s-1", QStringLiteral("The cat sat ."), {2, 3, 0, 3},
        QStringLiteral("det nsubj root punct")),
      s("s-2", QStringLiteral("Dogs chase cats in the park"), {2, 0, 2, 6, 6, 2},
        QStringLiteral("nsubj root obj case det obl")),
      s("s-3", QStringLiteral("It was eaten by a big dog"), {3, 3, 0, 7, 7, 7, 3},
        QStringLiteral("nsubj:pass aux:pass root case det amod obl")),
  };
}

} // namespace chrysalis::test
