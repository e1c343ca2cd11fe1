// Series reading speed (docs/performance.md):
//  1. listing a synthetic series of 1,000 checkpoints (attributes only), warm;
//  2. loading one checkpoint's tensors into a model against `cat` of the same
//     file (warm page cache), measured side by side in this run;
//  3. reading one step's UAS probe result, as the head grid does when the
//     cursor reaches a step (warm).
// Usage: bench_series [scratch-folder]   (default: a folder under /tmp)
#include "engine/bert_model.h"
#include "engine/weights.h"
#include "format/checkpoint_file.h"
#include "format/probe_store.h"
#include "format/series.h"
#include "format/tensor_index.h"

#include <hdf5.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace chrysalis;
using Clock = std::chrono::steady_clock;

namespace {

double seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

template <class F> double bestOf(int n, F&& f) {
  double best = 1e30;
  for (int i = 0; i < n; ++i) {
    auto t0 = Clock::now();
    f();
    best = std::min(best, seconds(t0, Clock::now()));
  }
  return best;
}

format::BertConfig config(int64_t layers, int64_t hidden) {
  format::BertConfig c;
  c.numHiddenLayers = layers;
  c.hiddenSize = hidden;
  c.numAttentionHeads = hidden / 64 > 0 ? hidden / 64 : 1;
  c.intermediateSize = 4 * hidden;
  c.vocabSize = 30522;
  c.maxPositionEmbeddings = 512;
  return c;
}

} // namespace

int main(int argc, char** argv) {
  fs::path root =
      argc > 1 ? fs::path(argv[1]) : fs::temp_directory_path() / "chrysalis-bench-series";
  fs::remove_all(root);

  // 1. Listing: 1,000 checkpoints of a 2-layer model (each file has all 37 tensors).
  {
    format::SeriesMeta meta;
    meta.label = "bench";
    meta.model = config(2, 64);
    fs::path s = root / "listing";
    format::createSeries(s, meta, "[PAD]\n");
    engine::BertForMaskedLM model(meta.model);
    auto t0 = Clock::now();
    for (int i = 0; i < 1000; ++i) {
      format::CheckpointInfo info;
      info.step = i * 100;
      info.trainLoss = 5.0;
      engine::saveWeights(model, format::checkpointPath(s, info.step), info, format::DType::F16);
    }
    std::printf("wrote 1000 checkpoints in %.1f s\n", seconds(t0, Clock::now()));
    format::listSeries(s); // warm the page cache
    size_t n = 0;
    double t = bestOf(5, [&] { n = format::listSeries(s).checkpoints.size(); });
    std::printf("list series (%zu checkpoints, warm): %.3f s   [goal <= 0.3 s]\n", n, t);
  }

  // 2. Loading one checkpoint against cat.
  {
    auto cfg = config(12, 768);
    format::SeriesMeta meta;
    meta.model = cfg;
    fs::path s = root / "load";
    format::createSeries(s, meta, "[PAD]\n");
    engine::BertForMaskedLM model(cfg);
    format::CheckpointInfo info;
    auto path = format::checkpointPath(s, 0);
    engine::saveWeights(model, path, info, format::DType::F32);
    double bytes = static_cast<double>(fs::file_size(path));
    std::string cat = "cat '" + path.string() + "' > /dev/null";
    if (std::system(cat.c_str()) != 0) return 1; // warm
    double tCat = bestOf(5, [&] {
      if (std::system(cat.c_str()) != 0) std::abort();
    });
    double tLoad = bestOf(5, [&] { engine::loadWeights(model, path); });
    std::printf(
        "checkpoint of BERT-base (%.0f MB): cat %.3f s (%.2f GB/s), load %.3f s (%.2f GB/s)\n",
        bytes / 1e6, tCat, bytes / tCat / 1e9, tLoad, bytes / tLoad / 1e9);
    std::printf("load speed / cat speed = %.2f   [goal >= 0.70]\n", tCat / tLoad);
    // What of it is HDF5 metadata: opening the file and the checks loading
    // makes before any tensor byte is read (each tensor's shape, type,
    // layout, place and checksum looked up).
    double tMeta = bestOf(5, [&] {
      format::CheckpointReader r(path);
      engine::requireCheckpointMatches(r, cfg);
    });
    std::printf("of which opening the file and looking up its tensors: %.3f s\n", tMeta);
    // Side by side: the same file without its tensor index (format/tensor_index.h),
    // so that every tensor's place, checksum and finiteness come from HDF5.
    {
      const fs::path plain = s / "plain" / path.filename();
      fs::create_directories(plain.parent_path());
      fs::copy_file(path, plain);
      hid_t f = H5Fopen(plain.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
      if (f < 0 || H5Ldelete(f, format::kTensorIndex, H5P_DEFAULT) < 0) return 1;
      H5Fclose(f);
      if (std::system(("cat '" + plain.string() + "' > /dev/null").c_str()) != 0) return 1;
      double tPlain = 0, tIndexed = 0;
      for (int round = 0; round < 2; ++round) { // alternating, best of 5 each
        tPlain = bestOf(5, [&] { engine::loadWeights(model, plain); });
        tIndexed = bestOf(5, [&] { engine::loadWeights(model, path); });
      }
      std::printf(
          "without the tensor index: load %.3f s (%.2f x cat); with it %.3f s (%.2f x cat)\n",
          tPlain, tCat / tPlain, tIndexed, tCat / tIndexed);
    }
    // The same reads without the per-tensor checksums, to show what verifying costs.
    format::CheckpointReader reader(path);
    // Into memory already touched, as loading into a model's parameters is.
    std::vector<std::vector<char>> buffers;
    for (const auto& e : reader.tensors())
      buffers.emplace_back(e.byteSize(), 1);
    double tRaw = bestOf(5, [&] {
      size_t i = 0;
      for (const auto& e : reader.tensors())
        reader.readUnverified(e, buffers[i].data(), buffers[i].size()), ++i;
    });
    std::printf("reading every tensor one by one without checksums: %.3f s; speed / cat speed = "
                "%.2f\n",
                tRaw, tCat / tRaw);
    // Verification still refuses damage: one flipped bit in the middle of the
    // largest tensor (the word embeddings), in a copy of the file.
    {
      format::CheckpointReader r(path);
      const auto e = r.tensor("bert.embeddings.word_embeddings.weight");
      std::vector<char> w(e.byteSize());
      r.read(e, w.data(), w.size());
      std::string file(static_cast<size_t>(bytes), '\0');
      std::FILE* in = std::fopen(path.c_str(), "rb");
      const size_t got = std::fread(file.data(), 1, file.size(), in);
      std::fclose(in);
      const size_t at = file.find(std::string(w.data() + w.size() / 2, 64));
      if (got != file.size() || at == std::string::npos) return 1;
      file[at + 7] ^= 0x04;
      auto damaged = s / "damaged" / path.filename();
      fs::create_directories(damaged.parent_path());
      std::FILE* out = std::fopen(damaged.c_str(), "wb");
      std::fwrite(file.data(), 1, file.size(), out);
      std::fclose(out);
      try {
        engine::loadWeights(model, damaged);
        std::printf("FLIPPED BIT LOADED WITHOUT AN ERROR\n");
        return 1;
      } catch (const std::exception& err) {
        std::printf("one flipped bit in the word embeddings: refused (%s)\n", err.what());
      }
    }
  }
  // 3. One step's UAS result of a 12 x 12 model with 40 relations: the
  // arrays and relation names the head grid reads at a cursor move.
  {
    fs::path s = root / "probes";
    fs::create_directories(s);
    format::ProbeStore store(s);
    const std::string hash = store.ensureConfig({{"probe", "uas"}});
    format::ProbeResult r;
    r.scalars["uas"] = 0.4;
    const auto array = [](std::vector<int64_t> shape) {
      format::NumericArray a;
      a.shape = shape;
      size_t n = 1;
      for (int64_t d : shape)
        n *= static_cast<size_t>(d);
      a.values.assign(n, 0.25);
      return a;
    };
    r.arrays["uas/accuracy"] = array({12, 12, 2, 40});
    r.arrays["uas/best"] = array({40, 3});
    r.arrays["uas/head_best"] = array({12, 12});
    r.arrays["uas/relation_counts"] = array({40});
    for (int i = 0; i < 40; ++i)
      r.strings["uas/relations"].push_back("relation:" + std::to_string(i));
    const int steps = 200;
    for (int i = 0; i < steps; ++i) {
      r.step = i * 100;
      store.write(hash, r);
    }
    for (int i = 0; i < steps; ++i)
      store.read(hash, i * 100); // warm
    const double t = bestOf(5, [&] {
      for (int i = 0; i < steps; ++i)
        if (store.read(hash, i * 100).arrays.size() != 4) std::abort();
    });
    std::printf("one step's UAS probe result (12 x 12 heads, 40 relations), warm: %.3f ms a read\n",
                t / steps * 1e3);
  }
  fs::remove_all(root);
  return 0;
}
