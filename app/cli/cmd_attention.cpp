// chrysalis-cli attention SERIES --step S (--text "..." | --ids 101,...) --out FILE.h5
#include "cli/commands.h"

#include "engine/attention_dump.h"
#include "engine/series_model.h"
#include "format/series.h"
#include "text/wordpiece.h"

#include <iostream>

namespace chrysalis::cli {

void addAttentionCommand(CLI::App& root, int& exitCode) {
  auto* cmd = root.add_subcommand(
      "attention", "Write one sentence's attention, hidden states and logits at a checkpoint");
  cmd->footer("Writes input_ids int64 [T], tokens, attention float32 [L,H,T,T],\n"
              "hidden_states float32 [L+1,T,D] and logits float32 [T,V].\n"
              "Example:\n  chrysalis-cli attention runs/baseline --step 1000 --text \"The cat "
              "sat.\" --out cat.h5");
  static std::string series, text, out;
  static int64_t step = 0;
  static std::vector<int64_t> ids;
  cmd->add_option("series", series, "Series folder")->required();
  cmd->add_option("--step", step, "Checkpoint step")->required();
  auto* textOpt = cmd->add_option("--text", text, "Sentence, tokenized with the series' vocab");
  auto* idsOpt =
      cmd->add_option("--ids", ids, "Explicit token ids (comma-separated), used as given")
          ->delimiter(',');
  textOpt->excludes(idsOpt);
  cmd->add_option("--out", out, "Output HDF5 file")->required();
  cmd->callback([&exitCode, textOpt, idsOpt] {
    exitCode = guarded([&] {
      if (!*textOpt && !*idsOpt) throw std::invalid_argument("give --text or --ids");
      auto meta = format::readSeriesMeta(series);
      auto vocab = engine::loadSeriesVocab(series, meta);
      std::vector<std::string> tokens;
      if (*textOpt) {
        text::WordPieceTokenizer tok(vocab, meta.doLowerCase ? text::WordPieceOptions::uncased()
                                                             : text::WordPieceOptions::cased());
        auto enc = tok.encode(text, static_cast<size_t>(meta.model.maxPositionEmbeddings));
        ids.assign(enc.ids.begin(), enc.ids.end());
        if (enc.truncated) std::cerr << "warning: sentence truncated to the model's positions\n";
      }
      for (auto id : ids)
        tokens.push_back(id >= 0 && static_cast<size_t>(id) < vocab.size()
                             ? vocab.token(static_cast<int32_t>(id))
                             : "?");
      engine::dumpAttention(series, step, ids, tokens, out);
      return 0;
    });
  });
}

} // namespace chrysalis::cli
