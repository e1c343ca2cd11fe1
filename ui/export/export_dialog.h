#pragma once
// Asks what to export and how: figure (timelines, head grid, both, or both
// over the selected head's arcs), format, paper width (single or double
// column, or custom), height, DPI for PNG, font and size, whether to write
// the CSV, and the file. Remembers the last choices. A live preview shows the
// figure at the chosen size and font, drawn by the code that writes the file.
#include "export/export_options.h"
#include "export/figure_writer.h"

#include <QDialog>
#include <QImage>

#include <functional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFontComboBox;
class QLineEdit;
class QLabel;
class QSpinBox;
class QTimer;

namespace chrysalis::ui {

enum class FigureKind { Timeline, Heads, Combined, CombinedWithArcs };

struct ExportRequest {
  FigureKind kind = FigureKind::Timeline;
  ExportOptions options;
  QString path;
};

class ExportDialog : public QDialog {
  Q_OBJECT
public:
  explicit ExportDialog(FigureKind kind, QWidget* parent = nullptr);
  ExportRequest request() const;
  void accept() override;

  /// Makes the figure a request would write; the preview draws it.
  using PreviewSource = std::function<FigureDrawing(const ExportRequest&)>;
  void setPreviewSource(PreviewSource source);
  /// Redraws the preview now (it also follows every change, after a short pause).
  void updatePreview();
  /// The image shown (null while there is nothing to draw).
  QImage previewImage() const { return m_previewImage; }
  QLabel* previewLabel() const { return m_preview; }

private:
  void browse();
  void syncEnabled();
  PreviewSource m_previewSource;
  QImage m_previewImage;
  QLabel* m_preview;
  QLabel* m_previewNote;
  QTimer* m_previewTimer;
  QComboBox* m_kind;
  QComboBox* m_format;
  QComboBox* m_width;
  QDoubleSpinBox* m_customWidth;
  QDoubleSpinBox* m_height;
  QSpinBox* m_dpi;
  QFontComboBox* m_font;
  QDoubleSpinBox* m_fontSize;
  QCheckBox* m_csv;
  QLineEdit* m_path;
};

} // namespace chrysalis::ui
