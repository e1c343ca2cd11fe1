// make_synthetic_series: writes a synthetic series (tests/ui/synthetic_series.h)
// to a folder, for screenshots and trying the app without a trained model.
//   make_synthetic_series OUT_DIR [--label L] [--seed N] [--uas-centre S]
//                         [--blimp-centre S] [--last-step S] [--layers L] [--heads H]
#include "synthetic_series.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <exception>

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("Writes a synthetic Chrysalis series for screenshots and demos."));
  parser.addHelpOption();
  parser.addPositionalArgument(QStringLiteral("out"), QStringLiteral("Folder to create."));
  const QCommandLineOption label(QStringLiteral("label"), QStringLiteral("Run label."),
                                 QStringLiteral("text"));
  const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Noise seed."),
                                QStringLiteral("n"), QStringLiteral("1"));
  const QCommandLineOption uas(QStringLiteral("uas-centre"),
                               QStringLiteral("Centre of the UAS rise."), QStringLiteral("step"),
                               QStringLiteral("1100"));
  const QCommandLineOption blimp(QStringLiteral("blimp-centre"),
                                 QStringLiteral("Centre of the BLiMP rise."),
                                 QStringLiteral("step"), QStringLiteral("3000"));
  const QCommandLineOption last(QStringLiteral("last-step"), QStringLiteral("Last checkpoint."),
                                QStringLiteral("step"), QStringLiteral("8000"));
  const QCommandLineOption layers(QStringLiteral("layers"), QStringLiteral("Layers."),
                                  QStringLiteral("n"), QStringLiteral("12"));
  const QCommandLineOption heads(QStringLiteral("heads"), QStringLiteral("Heads per layer."),
                                 QStringLiteral("n"), QStringLiteral("12"));
  parser.addOptions({label, seed, uas, blimp, last, layers, heads});
  parser.process(app);
  QTextStream err(stderr);
  if (parser.positionalArguments().size() != 1) {
    err << "make_synthetic_series: error: give exactly one output folder\n";
    return 1;
  }
  chrysalis::test::SyntheticOptions o;
  if (parser.isSet(label)) o.label = parser.value(label);
  o.seed = parser.value(seed).toULongLong();
  o.uasCentre = parser.value(uas).toLongLong();
  o.blimpCentre = parser.value(blimp).toLongLong();
  o.lastStep = parser.value(last).toLongLong();
  o.layers = parser.value(layers).toInt();
  o.heads = parser.value(heads).toInt();
  try {
    chrysalis::test::writeSyntheticSeries(parser.positionalArguments().first(), o);
  } catch (const std::exception& e) {
    err << "make_synthetic_series: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
