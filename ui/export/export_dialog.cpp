#include "export/export_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTimer>

namespace chrysalis::ui {

ExportDialog::ExportDialog(FigureKind kind, QWidget* parent) : QDialog(parent) {
  setWindowTitle(QStringLiteral("Export Figure"));
  QSettings s;
  m_kind = new QComboBox;
  m_kind->addItems(
      {QStringLiteral("Timelines"), QStringLiteral("Head grid"),
       QStringLiteral("Timelines + head grid (two panels)"),
       QStringLiteral("Timelines + head grid + arcs of the selected head (three panels)")});
  m_kind->setCurrentIndex(static_cast<int>(kind));
  m_format = new QComboBox;
  m_format->addItems(
      {QStringLiteral("SVG (vector)"), QStringLiteral("PDF (vector)"), QStringLiteral("PNG")});
  m_format->setCurrentIndex(s.value(QStringLiteral("export/format"), 0).toInt());
  m_width = new QComboBox;
  m_width->addItems({QStringLiteral("Single column (3.25 in)"),
                     QStringLiteral("Double column (6.75 in)"), QStringLiteral("Custom")});
  m_width->setCurrentIndex(s.value(QStringLiteral("export/widthPreset"), 0).toInt());
  m_customWidth = new QDoubleSpinBox;
  m_customWidth->setRange(1.0, 20.0);
  m_customWidth->setSuffix(QStringLiteral(" in"));
  m_customWidth->setValue(s.value(QStringLiteral("export/customWidth"), 5.0).toDouble());
  m_height = new QDoubleSpinBox;
  m_height->setRange(0.0, 20.0);
  m_height->setSuffix(QStringLiteral(" in"));
  m_height->setSpecialValueText(QStringLiteral("automatic"));
  m_dpi = new QSpinBox;
  m_dpi->setRange(72, 1200);
  m_dpi->setValue(s.value(QStringLiteral("export/dpi"), 300).toInt());
  m_font = new QFontComboBox;
  m_font->setCurrentFont(
      QFont(s.value(QStringLiteral("export/font"), QStringLiteral("DejaVu Sans")).toString()));
  m_fontSize = new QDoubleSpinBox;
  m_fontSize->setRange(4.0, 24.0);
  m_fontSize->setSingleStep(0.5);
  m_fontSize->setSuffix(QStringLiteral(" pt"));
  m_fontSize->setValue(s.value(QStringLiteral("export/fontSize"), 8.0).toDouble());
  m_csv = new QCheckBox(QStringLiteral("Write the plotted data as CSV beside the figure"));
  m_csv->setChecked(s.value(QStringLiteral("export/csv"), true).toBool());
  m_path = new QLineEdit(
      s.value(QStringLiteral("export/path"), QDir::home().filePath(QStringLiteral("figure.svg")))
          .toString());
  auto* browse = new QPushButton(QStringLiteral("Browse\u2026"));
  connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);

  auto* widthRow = new QHBoxLayout;
  widthRow->addWidget(m_width, 1);
  widthRow->addWidget(m_customWidth);
  auto* fontRow = new QHBoxLayout;
  fontRow->addWidget(m_font, 1);
  fontRow->addWidget(m_fontSize);
  auto* pathRow = new QHBoxLayout;
  pathRow->addWidget(m_path, 1);
  pathRow->addWidget(browse);
  auto* form = new QFormLayout;
  form->addRow(QStringLiteral("Figure"), m_kind);
  form->addRow(QStringLiteral("Format"), m_format);
  form->addRow(QStringLiteral("Width"), widthRow);
  form->addRow(QStringLiteral("Height"), m_height);
  form->addRow(QStringLiteral("Resolution (PNG)"), m_dpi);
  form->addRow(QStringLiteral("Font"), fontRow);
  form->addRow(QString(), m_csv);
  form->addRow(QStringLiteral("File"), pathRow);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
  connect(buttons, &QDialogButtonBox::accepted, this, &ExportDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &ExportDialog::reject);
  // The preview: the figure at its physical proportions, scaled into a fixed box.
  m_preview = new QLabel;
  m_preview->setObjectName(QStringLiteral("export-preview"));
  m_preview->setFixedSize(440, 330);
  m_preview->setAlignment(Qt::AlignCenter);
  m_preview->setFrameShape(QFrame::StyledPanel);
  m_previewNote = new QLabel;
  m_previewNote->setObjectName(QStringLiteral("export-preview-note"));
  m_previewNote->setWordWrap(true);
  m_previewNote->setMaximumWidth(440);
  auto* previewColumn = new QVBoxLayout;
  previewColumn->addWidget(m_preview);
  previewColumn->addWidget(m_previewNote);
  previewColumn->addStretch(1);
  auto* columns = new QHBoxLayout;
  columns->addLayout(form, 1);
  columns->addLayout(previewColumn);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(columns);
  layout->addWidget(buttons);

  m_previewTimer = new QTimer(this);
  m_previewTimer->setSingleShot(true);
  m_previewTimer->setInterval(120); // typing a size redraws once, not per key
  connect(m_previewTimer, &QTimer::timeout, this, &ExportDialog::updatePreview);
  auto later = [this] { m_previewTimer->start(); };
  for (QComboBox* c : {m_kind, m_width})
    connect(c, &QComboBox::currentIndexChanged, this, later);
  for (QDoubleSpinBox* b : {m_customWidth, m_height, m_fontSize})
    connect(b, &QDoubleSpinBox::valueChanged, this, later);
  connect(m_font, &QFontComboBox::currentFontChanged, this, later);

  connect(m_width, &QComboBox::currentIndexChanged, this, &ExportDialog::syncEnabled);
  connect(m_format, &QComboBox::currentIndexChanged, this, [this](int f) {
    // Keep the file name's suffix in step with the format.
    const QFileInfo fi(m_path->text());
    const QString suffix = exportFormatSuffix(static_cast<ExportFormat>(f));
    if (!fi.suffix().isEmpty() && fi.suffix() != suffix)
      m_path->setText(m_path->text().left(m_path->text().size() - fi.suffix().size()) + suffix);
    syncEnabled();
  });
  syncEnabled();
}

void ExportDialog::setPreviewSource(PreviewSource source) {
  m_previewSource = std::move(source);
  updatePreview();
}

void ExportDialog::updatePreview() {
  m_previewTimer->stop();
  const ExportRequest r = request();
  const FigureDrawing d = m_previewSource ? m_previewSource(r) : FigureDrawing{};
  m_previewImage = renderFigurePreview(d, m_preview->size() - QSize(4, 4));
  if (m_previewImage.isNull()) {
    m_preview->setPixmap({});
    m_preview->setText(d.error.isEmpty() ? QStringLiteral("No preview") : d.error);
    m_previewNote->clear();
    return;
  }
  m_preview->setPixmap(QPixmap::fromImage(m_previewImage));
  const double scale = m_previewImage.width() / (d.sizePoints.width() / 72.0 * logicalDpiX());
  m_previewNote->setText(QStringLiteral("%1 \u00D7 %2 in, %3 pt %4 \u00B7 shown at %5%")
                             .arg(d.sizePoints.width() / 72.0, 0, 'f', 2)
                             .arg(d.sizePoints.height() / 72.0, 0, 'f', 2)
                             .arg(r.options.fontPoints)
                             .arg(r.options.fontFamily)
                             .arg(qRound(scale * 100)));
}

void ExportDialog::syncEnabled() {
  m_customWidth->setEnabled(m_width->currentIndex() == 2);
  m_dpi->setEnabled(m_format->currentIndex() == static_cast<int>(ExportFormat::Png));
}

void ExportDialog::browse() {
  const ExportFormat f = static_cast<ExportFormat>(m_format->currentIndex());
  const QString suffix = exportFormatSuffix(f);
  const QString path = QFileDialog::getSaveFileName(
      this, QStringLiteral("Export Figure"), m_path->text(),
      suffix.toUpper() + QStringLiteral(" (*.") + suffix + QLatin1Char(')'));
  if (!path.isEmpty()) m_path->setText(path);
}

ExportRequest ExportDialog::request() const {
  ExportRequest r;
  r.kind = static_cast<FigureKind>(m_kind->currentIndex());
  r.options.format = static_cast<ExportFormat>(m_format->currentIndex());
  switch (m_width->currentIndex()) {
  case 0:
    r.options.widthInches = kSingleColumnInches;
    break;
  case 1:
    r.options.widthInches = kDoubleColumnInches;
    break;
  default:
    r.options.widthInches = m_customWidth->value();
    break;
  }
  r.options.heightInches = m_height->value();
  r.options.dpi = m_dpi->value();
  r.options.fontFamily = m_font->currentFont().family();
  r.options.fontPoints = m_fontSize->value();
  r.options.writeCsv = m_csv->isChecked();
  r.path = m_path->text();
  return r;
}

void ExportDialog::accept() {
  QSettings s;
  s.setValue(QStringLiteral("export/format"), m_format->currentIndex());
  s.setValue(QStringLiteral("export/widthPreset"), m_width->currentIndex());
  s.setValue(QStringLiteral("export/customWidth"), m_customWidth->value());
  s.setValue(QStringLiteral("export/dpi"), m_dpi->value());
  s.setValue(QStringLiteral("export/font"), m_font->currentFont().family());
  s.setValue(QStringLiteral("export/fontSize"), m_fontSize->value());
  s.setValue(QStringLiteral("export/csv"), m_csv->isChecked());
  s.setValue(QStringLiteral("export/path"), m_path->text());
  QDialog::accept();
}

} // namespace chrysalis::ui
