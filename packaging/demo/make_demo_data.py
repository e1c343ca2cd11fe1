#!/usr/bin/env python3
"""Copies the small data subset the bundled demo is built from into
resources/demo/data, with its licenses. Run once from a checkout that has
../shared/data beside it; the output is committed so users need nothing else.

  /usr/bin/python3 packaging/demo/make_demo_data.py [SHARED_DATA] [OUT]

* EWT train: every sentence of 3 to 62 words, columns ID FORM HEAD DEPREL
  kept (the others set to "_", comments but sent_id dropped, the # text line
  too: training reads the FORM column, and the demo must stay small) -- the training
  corpus with parses for the regularizer (CC BY-SA 4.0). The length filter
  drops the fragments ("Thanks!", URLs) that hold no dependency pair
  (docs/demo.md records what it changed).
* EWT dev: the first 600 sentences, same columns -- the probe set's source.
* BLiMP: the first 20 pairs of each of the 67 tasks, lines verbatim (CC BY 4.0).
"""
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "..", "shared", "data")
out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "resources", "demo", "data")


def compact_conllu(src, dst, max_sentences, min_words=1, max_words=10**9, keep_text=True):
    kept = 0
    with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8", newline="\n") as o:
        block = []
        for line in f:
            line = line.rstrip("\n")
            if line == "":
                words = sum(1 for b in block if not b.startswith("#"))
                if block and min_words <= words <= max_words:
                    o.write("\n".join(block) + "\n\n")
                    kept += 1
                block = []
                if kept >= max_sentences:
                    break
                continue
            if line.startswith("#"):
                if line.startswith("# sent_id") or (keep_text and line.startswith("# text")):
                    block.append(line)
                continue
            cols = line.split("\t")
            if "-" in cols[0] or "." in cols[0]:
                continue  # multiword ranges and empty nodes: not part of the basic tree
            block.append("\t".join([cols[0], cols[1], "_", "_", "_", "_", cols[6], cols[7], "_", "_"]))
    return kept


def main():
    os.makedirs(os.path.join(out, "blimp"), exist_ok=True)
    ewt = os.path.join(shared, "ud", "UD_English-EWT")
    n = compact_conllu(os.path.join(ewt, "en_ewt-ud-train.conllu"), os.path.join(out, "ewt-train-demo.conllu"),
                       10**9, min_words=3, max_words=62, keep_text=False)
    d = compact_conllu(os.path.join(ewt, "en_ewt-ud-dev.conllu"), os.path.join(out, "ewt-dev-demo.conllu"), 600)
    with open(os.path.join(ewt, "LICENSE.txt"), encoding="utf-8") as f:
        ewt_license = f.read()
    with open(os.path.join(out, "LICENSE-UD-English-EWT.txt"), "w", encoding="utf-8") as f:
        f.write("The files ewt-*-demo.conllu are subsets of UD English EWT (UD 2.16), with the\n"
                "columns LEMMA, UPOS, XPOS, FEATS, DEPS, MISC blanked, multiword-token lines and\n"
                "empty nodes removed. They are licensed under CC BY-SA 4.0 like the original:\n\n")
        f.write(ewt_license)
    pairs = 0
    for name in sorted(os.listdir(os.path.join(shared, "blimp"))):
        if not name.endswith(".jsonl"):
            continue
        with open(os.path.join(shared, "blimp", name), encoding="utf-8") as f:
            lines = [next(f) for _ in range(20)]
        with open(os.path.join(out, "blimp", name), "w", encoding="utf-8", newline="\n") as o:
            o.writelines(lines)
        pairs += len(lines)
    with open(os.path.join(out, "blimp", "LICENSE-NOTE.md"), "w", encoding="utf-8") as f:
        f.write("The first 20 pairs of each BLiMP task (Warstadt et al. 2020,\n"
                "github.com/alexwarstadt/blimp), lines unchanged. BLiMP is licensed under\n"
                "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).\n")
    print(f"ewt train: {n} sentences, ewt dev: {d} sentences, blimp: {pairs} pairs -> {out}")


if __name__ == "__main__":
    main()
