#pragma once
// Asks what to export and how: figure (timelines, head grid or both), format,
// paper width (single or double column, or custom), height, DPI for PNG,
// font and size, whether to write the CSV, and the file. Remembers the last
// choices.
#include "export/export_options.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFontComboBox;
class QLineEdit;
class QSpinBox;

namespace chrysalis::ui {

enum class FigureKind { Timeline, Heads, Combined };

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

private:
  void browse();
  void syncEnabled();
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
