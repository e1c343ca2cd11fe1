#include "sentences/list_table.h"

#include <QHeaderView>
#include <QTableView>

namespace chrysalis::ui {

void setUpListTable(QTableView* view) {
  view->setSelectionBehavior(QAbstractItemView::SelectRows);
  view->setSelectionMode(QAbstractItemView::SingleSelection);
  view->setSortingEnabled(true);
  view->sortByColumn(-1, Qt::AscendingOrder); // file order until a header is clicked
  view->setWordWrap(false);
  view->setAlternatingRowColors(true);
  view->verticalHeader()->hide();
  view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
  view->horizontalHeader()->setStretchLastSection(true);
}

} // namespace chrysalis::ui
