#pragma once
// The look of the Sentences dock's lists (probe sentences, BLiMP pairs): one
// selected row, sortable, unsorted (file order) until a header is clicked,
// compact rows, the last column stretched.
class QTableView;

namespace chrysalis::ui {

void setUpListTable(QTableView* view);

} // namespace chrysalis::ui
