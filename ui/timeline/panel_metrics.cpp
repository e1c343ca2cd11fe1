#include "timeline/panel_metrics.h"

#include <algorithm>

namespace chrysalis::ui {

QVector<MetricSpec> panelMetrics(PanelId id) {
  auto m = [](const char* kind, const char* scalar, const char* name, Qt::PenStyle style) {
    return MetricSpec{QLatin1String(kind), QLatin1String(scalar), QString::fromUtf8(name), style};
  };
  // A reference scored on few words means little: say how many.
  auto counted = [](MetricSpec spec, const char* scalar, const char* unit) {
    spec.countScalar = QLatin1String(scalar);
    spec.countUnit = QLatin1String(unit);
    return spec;
  };
  switch (id) {
  case PanelId::Loss:
    return {m("loss", "loss", "held-out MLM loss", Qt::SolidLine)};
  case PanelId::Uas:
    return {m("uas", "uas", "implicit parse", Qt::SolidLine),
            m("uas", "uas_nonadjacent", "non-adjacent (|head − dep| > 1)", Qt::DashDotLine),
            m("uas", "uas_all_words", "all words", Qt::DashLine),
            // The reference a syntactic head must beat: the best fixed offset
            // for each relation (the paper's weighted best-offset baseline).
            counted(m("uas", "uas_relation_offset_baseline", "per-relation offset baseline",
                      Qt::DotLine),
                    "uas_words", "words"),
            m("uas", "uas_offset_baseline", "single-offset baseline", Qt::DashDotDotLine)};
  case PanelId::Blimp:
    return {m("blimp", "blimp", "BLiMP (mean of tasks)", Qt::SolidLine)};
  case PanelId::TwoNN:
    return {m("twonn", "twonn_id", "TwoNN ID of [CLS]", Qt::SolidLine)};
  case PanelId::ContextWindow: {
    // The ngram probe: MLM accuracy with only n tokens of context, n = 2…10.
    QVector<MetricSpec> out;
    for (int n = 2; n <= 10; ++n) {
      MetricSpec s{QStringLiteral("ngram"), QStringLiteral("ngram_%1").arg(n),
                   QStringLiteral("n = %1").arg(n), Qt::SolidLine};
      s.rampIndex = n - 2;
      s.rampSize = 9;
      out << s;
    }
    return out;
  }
  case PanelId::AttentionDistance:
    // Words and nats have similar ranges here (1–10), so one axis holds both.
    return {m("attn", "attn_distance", "mean distance (words)", Qt::SolidLine),
            m("attn", "attn_entropy", "entropy (nats)", Qt::DashLine),
            m("attn", "attn_entropy_full", "entropy over the full row (nats)", Qt::DotLine),
            // 0–1: mass content words send to [CLS]/[SEP]; near 1 is a collapse.
            m("attn", "attn_sink_share", "sink share ([CLS]/[SEP])", Qt::DashDotLine)};
  case PanelId::LossSlope:
    // Derived from the loss (RunData::timeline): an acceleration of the loss
    // at the structure onset is a bump here.
    return {m("loss", "loss_slope", "\u2212d loss / d log step", Qt::SolidLine)};
  case PanelId::Path:
    // The path probe (docs/method.md, "Loss along the path"): at each
    // checkpoint, the segment from the previous checkpoint with weights.
    return {m("path", "path_barrier_chord", "height above the chord", Qt::SolidLine),
            m("path", "path_barrier", "max \u2212 mean of the ends", Qt::DashLine)};
  case PanelId::Ablation:
    // The ablation probe (docs/method.md, "Head ablation"): when the chosen
    // heads become load-bearing, against as many random heads.
    return {m("ablation", "ablation_loss_delta", "chosen heads ablated", Qt::SolidLine),
            m("ablation", "ablation_control_loss_delta", "as many random heads (control)",
              Qt::DashLine)};
  }
  return {};
}

QString panelYLabel(PanelId id) {
  switch (id) {
  case PanelId::Loss:
    return QStringLiteral("MLM loss");
  case PanelId::Uas:
    return QStringLiteral("UAS");
  case PanelId::Blimp:
    return QStringLiteral("BLiMP acc.");
  case PanelId::TwoNN:
    return QStringLiteral("TwoNN ID");
  case PanelId::ContextWindow:
    return QStringLiteral("MLM acc.");
  case PanelId::AttentionDistance:
    return QStringLiteral("words / nats / share");
  case PanelId::LossSlope:
    return QStringLiteral("\u2212dL / d log step");
  case PanelId::Ablation:
    return QStringLiteral("\u0394 MLM loss (nats)");
  case PanelId::Path:
    return QStringLiteral("barrier (nats)");
  }
  return {};
}

QColor rampColour(const QColor& base, int index, int count) {
  const double t = count > 1 ? static_cast<double>(index) / (count - 1) : 1.0;
  const QColor hsl = base.toHsl();
  // Lightness 0.78 -> 0.30: both ends stay visible on the light and the dark palette.
  const double lightness = 0.78 - 0.48 * t;
  return QColor::fromHslF(std::max(0.0f, hsl.hslHueF()), hsl.hslSaturationF(),
                          static_cast<float>(lightness));
}

} // namespace chrysalis::ui
