#include "data/hdf5_thread.h"

#include <hdf5.h>

namespace chrysalis::ui {

void silenceHdf5OnThisThread() {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

} // namespace chrysalis::ui
