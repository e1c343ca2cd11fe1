// chrysalis-cli twonn --input FILE.h5 --dataset NAME: TwoNN intrinsic
// dimension of any N x D float matrix.
#include "cli/commands.h"

#include "common/error.h"
#include "format/h5.h"
#include "probes/attention_shape.h"

#include <iostream>

namespace chrysalis::cli {

void addTwoNnCommand(CLI::App& root, int& exitCode) {
  auto* cmd =
      root.add_subcommand("twonn", "TwoNN intrinsic dimension of an N x D matrix in an HDF5 file");
  cmd->footer("Example:\n  chrysalis-cli twonn --input cls.h5 --dataset vectors");
  static std::string input, dataset;
  cmd->add_option("--input", input, "HDF5 file")->required();
  cmd->add_option("--dataset", dataset, "Dataset name (float32 or float64, N x D)")->required();
  cmd->callback([&exitCode] {
    exitCode = guarded([] {
      auto f = h5::openRead(input);
      auto info = h5::datasetInfo(f, dataset);
      if (info.shape.size() != 2)
        throw InputError(input, "dataset '" + dataset + "'", "expected N x D");
      if (info.elementCount() > (int64_t{1} << 32))
        throw InputError(input, "dataset '" + dataset + "'", "too large");
      std::vector<float> data(static_cast<size_t>(info.elementCount()));
      if (info.dtype == format::DType::F32) {
        h5::readDatasetRaw(f, dataset, info, data.data(), data.size() * 4);
      } else if (info.dtype == format::DType::F64) {
        std::vector<double> d(data.size());
        h5::readDatasetRaw(f, dataset, info, d.data(), d.size() * 8);
        std::copy(d.begin(), d.end(), data.begin());
      } else {
        throw InputError(input, "dataset '" + dataset + "'", "expected float32 or float64");
      }
      auto r = probes::twoNn(data.data(), info.shape[0], info.shape[1]);
      std::cout << "id " << r.id << "\nr " << r.r << "\npoints " << r.used << "\n";
      return 0;
    });
  });
}

} // namespace chrysalis::cli
