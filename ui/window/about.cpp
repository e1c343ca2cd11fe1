#include "window/about.h"

#include <QMessageBox>

namespace chrysalis::ui {

QString aboutText() {
  return QStringLiteral(
             "<h3>Chrysalis %1</h3>"
             "<p>Watch syntax emerge while a masked language model trains: probe results over a "
             "checkpoint series on linked timelines, with the structure and capabilities onsets of "
             "Chen et al., <i>Sudden Drops in the Loss</i> (ICLR 2024), and per-head attention "
             "structure after Clark et al. (2019).</p>"
             "<p><b>Bundled data and their licenses</b></p>"
             "<ul>"
             "<li>Universal Dependencies English EWT treebank \u2014 "
             "<a href='https://creativecommons.org/licenses/by-sa/4.0/'>CC BY-SA 4.0</a></li>"
             "<li>BLiMP (Warstadt et al., 2020) \u2014 "
             "<a href='https://creativecommons.org/licenses/by/4.0/'>CC BY 4.0</a></li>"
             "<li>BERT WordPiece vocabulary (Google) \u2014 "
             "<a href='https://www.apache.org/licenses/LICENSE-2.0'>Apache License 2.0</a></li>"
             "</ul>"
             "<p>Built with Qt %2 (LGPLv3) and HDF5.</p>")
      .arg(QStringLiteral(CHRYSALIS_VERSION), QString::fromLatin1(qVersion()));
}

void showAbout(QWidget* parent) {
  auto* box = new QMessageBox(QMessageBox::NoIcon, QStringLiteral("About Chrysalis"), aboutText(),
                              QMessageBox::Ok, parent);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->setTextFormat(Qt::RichText);
  box->setTextInteractionFlags(Qt::TextBrowserInteraction);
  box->open(); // not exec(): never block the event loop (live runs keep updating)
}

} // namespace chrysalis::ui
