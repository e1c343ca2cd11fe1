#!/usr/bin/python3
"""Recompute Chrysalis's probe numbers from stored checkpoint weights and
compare them with the probe results the app stored.

Usage:
    /usr/bin/python3 packaging/demo/verify_demo.py SERIES_DIR PROBE_SET.h5 \
        [--steps 0,1000,2000] [--tolerance 0.002] [--dtype float32|float64]

(Debian's /usr/bin/python3 with python3-torch, python3-h5py and numpy; the
script shares no code with the engine and imports nothing from this
repository.)

What it checks
--------------
For every checkpoint SERIES_DIR/checkpoints/step-NNNNNNNNNN.h5 that holds
weights (files without a /tensors group are probe-only and are skipped), and
that the app has probed with the given probe set, it rebuilds the model and the
probe inputs from the published definitions and recomputes:

  uas                           implicit-parse UAS (docs/method.md, "SAS and UAS")
  uas_nonadjacent               the same parse over words whose parent is > 1 word away
  uas_offset_baseline           one global offset k in -3..+2 (k != 0), clipped
  uas_relation_offset_baseline  each relation's best offset in +-1..3, not clipped
  attn_sink_share               mass content pieces send to [CLS] + [SEP], mean over heads
  attn_entropy_full             entropy of content pieces' rows over all keys, mean over heads
  loss                          held-out MLM loss with the fixed masking pattern

(the two offset baselines depend only on the probe set, not on the weights, so
they check the probe-set reading and the word selection) and prints one row per step with the recomputed value, the stored value and
their difference. Word and token counts (uas_words, uas_nonadjacent_words,
loss_tokens) must agree exactly; a mismatch there is reported and counts as a
failure. The exit status is 1 when any difference exceeds --tolerance (or a
count differs, or a step named in --steps has no checkpoint file), 0 otherwise.
Steps whose checkpoint has weights but no stored uas/attn/loss result for this
probe set are listed as skipped.

Everything is written here from docs/method.md, docs/series-format.md and
docs/probes.md:

* Model: Hugging Face BertForMaskedLM semantics (post-LayerNorm, learned
  absolute positions, token type 0, exact erf GELU, LayerNorm eps from
  series.json, decoder tied to the word embeddings), evaluation mode (no
  dropout), weights widened from float16/bfloat16 to float32; each probe
  sentence is run on its own, unpadded (the engine pads length-sorted
  batches; padded keys get probability exactly 0, so this changes only
  rounding).
* Tokenizer: BERT's basic tokenizer (clean-up, CJK spacing, lower-casing and
  accent stripping when the series is uncased, punctuation split) and greedy
  longest-match WordPiece with the series' vocab.txt, applied word by word; a
  word with no piece becomes [UNK]. Sequence = [CLS] pieces [SEP].
* Word maps: rows = mean over the source word's pieces, columns = sum over the
  target word's pieces, [CLS] and [SEP] words of their own, nothing
  renormalised.
* Predictions: argmax over content words, diagonal counted as 0, ties to the
  lowest index; per relation the best of the 2*L*H candidates (ties to the
  lowest c = (layer*H + head)*2 + direction); relations punct/root and those
  rarer than the probe configuration's min_relation_count are left out.
* Loss masking: per sentence s a SplitMix64 stream seeded with
  seed ^ (0x9E3779B97F4A7C15 * (s + 1)) (64-bit wrap-around); content
  position t = 1..T-2 masked when its draw below 10^6 is < mask_rate * 10^6;
  none drawn -> one position 1 + draw below (T - 2); all masked pieces become
  [MASK]. The loss is the pooled mean of -ln p over all masked positions. The
  pattern is fully specified, so the loss IS reproduced here (it is not
  skipped).

Where the docs were ambiguous and the engine's code was read (only read, to
pin the definition; none of its structure is reused):

* "draw below 10^6" (docs: "the stream's draw below 10⁶"): SplitMix64 with
  Vigna's reference constants, and "below(b)" is an unbiased bounded draw:
  outputs x < (2^64 mod b) are rejected, then x mod b
  (core/common/splitmix.h). The rejection matters only with probability
  ~b / 2^64 per draw.
* attn_sink_share: docs/method.md says "the mean of that over those rows,
  averaged over the probe sentences", which can be read as a per-sentence
  mean then averaged over sentences. The engine
  (core/probes/attention_shape.cpp) pools instead: the sum over every content
  row of every sentence / the number of content rows, like the full-row
  entropy. This script uses the pooled form and also prints the
  per-sentence-mean reading on a "note" line so the size of the difference is
  visible; the two readings differ a lot (e.g. 0.084 pooled vs 0.144
  per-sentence at step 0 of a 4 x 4 model: short sentences park more mass on
  the specials).
* Word-map precision: the engine sums the word maps in double precision and
  stores them as float32 before taking argmaxes (core/probes/uas.cpp), so ties
  and near-ties are decided on float32 values; this script does the same
  (float64 sums, rounded to float32).
* Tokenizer details the docs leave out (core/text/basic_tokenizer.cpp,
  wordpiece.cpp): a literal special-token string inside a word ("[MASK]") is
  kept as that token, and the engine NFC-normalises before lower-casing
  (irrelevant after the NFD accent strip). Both are followed here.
* Per-relation offset baseline, a word whose gold head is 0: the engine tests
  i + k == gold, which would count i + k == 0 as right for a head-0 word of an
  included relation; the docs say outside positions are wrong. Only root words
  have head 0 in valid CoNLL-U, and root is never included, so the two agree
  on valid data; this script follows the docs.

With --dtype float64 the forward pass runs in double precision (weights are
still the stored values): a way to see how many implicit-parse decisions sit
on float32 near-ties.
"""
import argparse
import glob
import json
import math
import os
import re
import sys
import unicodedata

import h5py
import numpy as np
import torch
import torch.nn.functional as F

MASK64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15

MEASURES = [
    ("uas", "uas"),
    ("uas_nonadjacent", "uas"),
    ("uas_offset_baseline", "uas"),
    ("uas_relation_offset_baseline", "uas"),
    ("attn_sink_share", "attn"),
    ("attn_entropy_full", "attn"),
    ("loss", "loss"),
]
COUNTS = [("uas_words", "uas"), ("uas_nonadjacent_words", "uas"), ("loss_tokens", "loss")]


# ---------------------------------------------------------------- SplitMix64
class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + GOLDEN) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def below(self, bound):
        reject_under = (1 << 64) % bound
        while True:
            x = self.next()
            if x >= reject_under:
                return x % bound


# ------------------------------------------------------------------ tokenizer
def _is_whitespace(ch):
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def _is_control(ch):
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch).startswith("C")


def _is_punctuation(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


class Tokenizer:
    """BERT basic tokenizer + WordPiece, as published with BERT."""

    def __init__(self, vocab_path, lower):
        with open(vocab_path, encoding="utf-8") as f:
            tokens = [line.rstrip("\n").rstrip("\r") for line in f]
        self.ids = {}
        for i, t in enumerate(tokens):
            self.ids.setdefault(t, i)
        self.lower = lower
        for name in ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"):
            if name not in self.ids:
                raise SystemExit(f"{vocab_path}: no {name} token")
        self.unk, self.cls, self.sep, self.mask = (self.ids[n] for n in ("[UNK]", "[CLS]", "[SEP]", "[MASK]"))

    def basic(self, text):
        out = []
        for ch in text:
            cp = ord(ch)
            if cp == 0 or cp == 0xFFFD or _is_control(ch):
                continue
            if _is_whitespace(ch):
                out.append(" ")
            elif _is_cjk(cp):
                out.extend((" ", ch, " "))
            else:
                out.append(ch)
        words = []
        for tok in "".join(out).split():
            if self.lower:
                tok = tok.lower()
                tok = "".join(c for c in unicodedata.normalize("NFD", tok) if unicodedata.category(c) != "Mn")
            cur = ""
            for ch in tok:
                if _is_punctuation(ch):
                    if cur:
                        words.append(cur)
                    words.append(ch)
                    cur = ""
                else:
                    cur += ch
            if cur:
                words.append(cur)
        return words

    def wordpiece(self, word):
        if len(word) > 100:
            return [self.unk]
        pieces, start = [], 0
        while start < len(word):
            end, found = len(word), None
            while start < end:
                cand = word[start:end] if start == 0 else "##" + word[start:end]
                if cand in self.ids:
                    found = self.ids[cand]
                    break
                end -= 1
            if found is None:
                return [self.unk]
            pieces.append(found)
            start = end
        return pieces

    SPECIALS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")

    def pieces(self, text):
        # A literal special token ("[MASK]" typed in the text) is that token,
        # as with Hugging Face's added-token split; the rest is tokenized.
        out, pos = [], 0
        for m in re.finditer("|".join(re.escape(t) for t in self.SPECIALS), text):
            out += [i for b in self.basic(text[pos:m.start()]) for i in self.wordpiece(b)]
            out.append(self.ids[m.group(0)])
            pos = m.end()
        out += [i for b in self.basic(text[pos:]) for i in self.wordpiece(b)]
        return out

    def encode_words(self, words):
        ids, spans = [self.cls], []
        for w in words:
            p = self.pieces(w) or [self.unk]
            spans.append((len(ids), len(ids) + len(p)))
            ids.extend(p)
        ids.append(self.sep)
        return ids, spans


# ------------------------------------------------------------------ probe set
def read_strings(g):
    b = g["utf8"][()].tobytes()
    o = g["offsets"][()]
    return [b[o[i]:o[i + 1]].decode("utf-8") for i in range(len(o) - 1)]


def read_probe_set(path):
    with h5py.File(path, "r") as f:
        h = f.attrs.get("hash")
        h = h.decode() if isinstance(h, bytes) else str(h)
        words = read_strings(f["words"])
        rels = read_strings(f["relations"])
        heads = [int(x) for x in f["heads"][()]]
        offs = [int(x) for x in f["sentence_offsets"][()]]
    sents = []
    for s in range(len(offs) - 1):
        a, b = offs[s], offs[s + 1]
        sents.append({"words": words[a:b], "heads": heads[a:b], "rels": rels[a:b]})
    return h, sents


# ---------------------------------------------------------------------- model
class Bert:
    def __init__(self, path, cfg, dtype):
        with h5py.File(path, "r") as f:
            if "tensors" not in f:
                raise LookupError("no tensors")
            t = {}
            for name, ds in f["tensors"].items():
                a = ds[()]
                if a.dtype == np.uint16:
                    attr = ds.attrs.get("dtype")
                    attr = attr.decode() if isinstance(attr, bytes) else attr
                    if attr != "bfloat16":
                        raise SystemExit(f"{path}: {name} is uint16 without dtype=bfloat16")
                    a = (a.astype(np.uint32) << 16).view(np.float32)
                t[name] = torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32)).to(dtype)
        if "cls.predictions.bias" not in t and "cls.predictions.decoder.bias" in t:
            t["cls.predictions.bias"] = t["cls.predictions.decoder.bias"]
        self.t = t
        self.L = int(cfg["num_hidden_layers"])
        self.H = int(cfg["num_attention_heads"])
        self.D = int(cfg["hidden_size"])
        self.eps = float(cfg.get("layer_norm_eps", 1e-12))
        if cfg.get("hidden_act", "gelu") != "gelu":
            raise SystemExit("only hidden_act = gelu (exact erf) is defined")

    def _lin(self, x, n):
        return F.linear(x, self.t[n + ".weight"], self.t[n + ".bias"])

    def _ln(self, x, n):
        return F.layer_norm(x, (self.D,), self.t[n + ".weight"], self.t[n + ".bias"], self.eps)

    def forward(self, ids):
        """ids: list of token ids of one sequence. Returns (attn [L,H,T,T], hidden [T,D])."""
        t = self.t
        T = len(ids)
        idx = torch.tensor(ids, dtype=torch.long)
        x = (t["bert.embeddings.word_embeddings.weight"][idx]
             + t["bert.embeddings.position_embeddings.weight"][:T]
             + t["bert.embeddings.token_type_embeddings.weight"][0])
        x = self._ln(x, "bert.embeddings.LayerNorm")
        H, dh = self.H, self.D // self.H
        probs = []
        for i in range(self.L):
            p = f"bert.encoder.layer.{i}."
            q = self._lin(x, p + "attention.self.query").view(T, H, dh).transpose(0, 1)
            k = self._lin(x, p + "attention.self.key").view(T, H, dh).transpose(0, 1)
            v = self._lin(x, p + "attention.self.value").view(T, H, dh).transpose(0, 1)
            a = torch.softmax((q @ k.transpose(1, 2)) / math.sqrt(dh), dim=-1)  # [H,T,T]
            probs.append(a)
            ctx = (a @ v).transpose(0, 1).reshape(T, self.D)
            y = self._ln(self._lin(ctx, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            z = F.gelu(self._lin(y, p + "intermediate.dense"))
            x = self._ln(self._lin(z, p + "output.dense") + y, p + "output.LayerNorm")
        return torch.stack(probs, 0), x

    def logits(self, hidden):
        t = self.t
        h = F.gelu(self._lin(hidden, "cls.predictions.transform.dense"))
        h = self._ln(h, "cls.predictions.transform.LayerNorm")
        return F.linear(h, t["bert.embeddings.word_embeddings.weight"], t["cls.predictions.bias"])


# ------------------------------------------------------------------- measures
def word_maps(A, spans):
    """A: [L,H,T,T] float tensor. Returns float32 numpy [L,H,W,W], W = n + 2."""
    T = A.shape[-1]
    ranges = [(0, 1)] + list(spans) + [(T - 1, T)]
    W = len(ranges)
    R = torch.zeros(W, T, dtype=torch.float64)  # row averaging
    C = torch.zeros(T, W, dtype=torch.float64)  # column summing
    for w, (b, e) in enumerate(ranges):
        R[w, b:e] = 1.0 / (e - b)
        C[b:e, w] = 1.0
    M = R @ A.to(torch.float64) @ C
    return M.to(torch.float32).numpy()


def predictions(M):
    """M: float32 [L,H,W,W]. Returns int [L*H*2, n] predicted parents (1-based)."""
    L, H, W, _ = M.shape
    n = W - 2
    inner = M[:, :, 1:n + 1, 1:n + 1].copy()
    d = np.arange(n)
    inner[:, :, d, d] = 0.0
    dep_head = inner.argmax(-1) + 1                       # row i: what i attends to most
    head_dep = inner.transpose(0, 1, 3, 2).argmax(-1) + 1  # column i: who attends most to i
    out = np.stack([dep_head, head_dep], axis=2)          # [L,H,2,n]
    return out.reshape(L * H * 2, n)


def uas_scores(sents, preds, min_count):
    rel_names = sorted({r for s in sents for r in s["rels"]}, key=lambda r: r.encode("utf-8"))
    R = len(rel_names)
    rindex = {r: i for i, r in enumerate(rel_names)}
    C = preds[0].shape[0]
    counts = np.zeros(R)
    correct = np.zeros((C, R))
    for s, P in zip(sents, preds):
        gold = np.array(s["heads"])
        ok = (P == gold[None, :]) & (gold[None, :] != 0)  # [C,n]
        for i, r in enumerate(s["rels"]):
            counts[rindex[r]] += 1
            correct[:, rindex[r]] += ok[:, i]
    included = np.array([r not in ("punct", "root") and counts[k] >= min_count
                         for k, r in enumerate(rel_names)])
    best = correct.argmax(0)  # first maximum = lowest c
    num = sum(correct[best[r], r] for r in range(R) if included[r])
    den = counts[included].sum()

    far_ok = far_n = 0
    offs = [-3, -2, -1, 1, 2]
    off_ok = np.zeros(len(offs))
    roffs = [-3, -2, -1, 1, 2, 3]
    roff_ok = np.zeros((R, len(roffs)))
    for s, P in zip(sents, preds):
        n = len(s["words"])
        for i in range(1, n + 1):
            r = rindex[s["rels"][i - 1]]
            if not included[r]:
                continue
            g = s["heads"][i - 1]
            for k, o in enumerate(offs):
                off_ok[k] += min(max(i + o, 1), n) == g
            for k, o in enumerate(roffs):
                roff_ok[r, k] += 1 <= i + o <= n and i + o == g
            if g != 0 and abs(g - i) > 1:
                far_n += 1
                far_ok += P[best[r], i - 1] == g
    rel_off = sum(roff_ok[r].max() for r in range(R) if included[r])
    nan = float("nan")
    return {
        "uas": num / den if den else nan,
        "uas_words": float(den),
        "uas_nonadjacent": far_ok / far_n if far_n else nan,
        "uas_nonadjacent_words": float(far_n),
        "uas_offset_baseline": off_ok.max() / den if den else nan,
        "uas_relation_offset_baseline": rel_off / den if den else nan,
    }


def loss_inputs(encoded, mask_id, seed, rate):
    thr = int(rate * 1e6)
    out = []
    for s, ids in enumerate(encoded):
        rng = SplitMix64(seed ^ ((GOLDEN * (s + 1)) & MASK64))
        T = len(ids)
        pos = [t for t in range(1, T - 1) if rng.below(1000000) < thr]
        if not pos and T > 2:
            pos = [1 + rng.below(T - 2)]
        masked = list(ids)
        for t in pos:
            masked[t] = mask_id
        out.append((masked, pos, [ids[t] for t in pos]))
    return out



def probe_step(model, sents, encoded, loss_in, min_count):
    L, H = model.L, model.H
    sink = torch.zeros(L, H, dtype=torch.float64)
    ent = torch.zeros(L, H, dtype=torch.float64)
    content_rows = 0
    sink_per_sentence = torch.zeros(L, H, dtype=torch.float64)
    preds = []
    with torch.no_grad():
        for (ids, spans) in encoded:
            A, _ = model.forward(ids)
            A32 = A.to(torch.float32)
            preds.append(predictions(word_maps(A32, spans)))
            T = len(ids)
            rows = A32[:, :, 1:T - 1, :].to(torch.float64)  # content query pieces
            s = rows[..., 0] + rows[..., T - 1]
            sink += s.sum(-1)
            sink_per_sentence += s.mean(-1)
            plogp = torch.where(rows > 0, rows * torch.log(rows.clamp_min(1e-300)), torch.zeros_like(rows))
            ent += -plogp.sum(-1).sum(-1)
            content_rows += T - 2
        nll, hits, count = 0.0, 0, 0
        if loss_in is not None:
            for masked, pos, tgt in loss_in:
                _, hidden = model.forward(masked)
                lg = model.logits(hidden[pos]).to(torch.float64)
                lp = torch.log_softmax(lg, -1)
                tt = torch.tensor(tgt)
                nll -= lp.gather(1, tt[:, None]).sum().item()
                hits += int((lg.argmax(-1) == tt).sum())
                count += len(pos)
    r = uas_scores(sents, preds, min_count)
    r["attn_sink_share"] = (sink / content_rows).mean().item()
    r["attn_entropy_full"] = (ent / content_rows).mean().item()
    r["_sink_share_per_sentence_mean"] = (sink_per_sentence / len(encoded)).mean().item()
    if loss_in is not None:
        r["loss"] = nll / count
        r["loss_tokens"] = float(count)
        r["_mlm_accuracy"] = hits / count
    return r


# --------------------------------------------------------------- app results
def find_probe_dirs(series, ps_hash):
    """kind -> (dir, config) for uas/attn/loss configurations of this probe set."""
    found = {}
    for cfg_path in sorted(glob.glob(os.path.join(series, "probes", "*", "config.json"))):
        with open(cfg_path) as f:
            cfg = json.load(f)
        kind = cfg.get("probe")
        if kind not in ("uas", "attn", "loss") or cfg.get("probe_set") != ps_hash:
            continue
        found.setdefault(kind, []).append((os.path.dirname(cfg_path), cfg))
    return found


def stored_scalars(candidates, step):
    """Scalars of the newest stored result for this step among a kind's configurations."""
    best = None
    for d, cfg in candidates:
        p = os.path.join(d, f"step-{step:010d}.h5")
        if not os.path.exists(p):
            continue
        with h5py.File(p, "r") as f:
            created = float(f.attrs.get("created_unix", 0.0))
            sc = {k: float(v) for k, v in f["scalars"].attrs.items()} if "scalars" in f else {}
        if best is None or created > best[0]:
            best = (created, sc, cfg)
    return (best[1], best[2]) if best else (None, None)


# ----------------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("series")
    ap.add_argument("probe_set")
    ap.add_argument("--steps", help="comma-separated steps (default: every step with weights)")
    ap.add_argument("--tolerance", type=float, default=0.002)
    ap.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    args = ap.parse_args()
    torch.set_num_threads(1)
    dtype = torch.float32 if args.dtype == "float32" else torch.float64

    with open(os.path.join(args.series, "series.json")) as f:
        meta = json.load(f)
    cfg = meta["model_config"]
    lower = bool((meta.get("tokenizer") or {}).get("do_lower_case", True))
    tok = Tokenizer(os.path.join(args.series, meta.get("vocab_file") or "vocab.txt"), lower)
    ps_hash, sents = read_probe_set(args.probe_set)
    encoded = [tok.encode_words(s["words"]) for s in sents]
    too_long = [i for i, (ids, _) in enumerate(encoded) if len(ids) > int(cfg.get("max_position_embeddings", 512))]
    if too_long:
        raise SystemExit(f"probe sentences {too_long[:5]} do not fit the model's positions")

    probes = find_probe_dirs(args.series, ps_hash)
    if not probes:
        raise SystemExit(f"no uas/attn/loss results for probe set {ps_hash} in {args.series}/probes")
    loss_cache = {}

    ckpts = {}
    for p in glob.glob(os.path.join(args.series, "checkpoints", "step-*.h5")):
        m = re.fullmatch(r"step-(\d{10})\.h5", os.path.basename(p))
        if m:
            ckpts[int(m.group(1))] = p
    if args.steps:
        steps = [int(x) for x in args.steps.split(",") if x.strip()]
    else:
        steps = sorted(ckpts)

    print(f"series {args.series}  probe set {args.probe_set} ({ps_hash}, {len(sents)} sentences)  "
          f"compute {args.dtype}  tolerance {args.tolerance:g}")
    print("each cell: recomputed / stored / difference")
    head = f"{'step':>6}  " + "  ".join(f"{name:^34}" for name, _ in MEASURES)
    print(head)
    failed = False
    for step in steps:
        if step not in ckpts:
            print(f"{step:>6}  no checkpoint file")
            failed = True
            continue
        try:
            model = Bert(ckpts[step], cfg, dtype)
        except LookupError:
            print(f"{step:>6}  probe-only checkpoint (no tensors): skipped")
            continue
        stored, configs = {}, {}
        for kind in ("uas", "attn", "loss"):
            sc, c = stored_scalars(probes.get(kind, []), step)
            if sc is not None:
                stored.update(sc)
                configs[kind] = c
        if not stored:
            print(f"{step:>6}  no stored probe results: skipped")
            continue
        min_count = int(configs.get("uas", {}).get("min_relation_count", 100))
        loss_in = None
        if "loss" in configs:
            lc = configs["loss"]
            if lc.get("replacement", "mask") != "mask":
                raise SystemExit(f"loss replacement {lc.get('replacement')!r} is not defined here")
            key = (int(lc.get("seed", 1234)), float(lc.get("mask_rate", 0.15)))
            if key not in loss_cache:
                loss_cache[key] = loss_inputs([ids for ids, _ in encoded], tok.mask, *key)
            loss_in = loss_cache[key]
        got = probe_step(model, sents, encoded, loss_in, min_count)
        cells, notes = [], []
        for name, kind in MEASURES:
            if name not in stored or name not in got:
                cells.append(f"{'(not stored)':^34}")
                continue
            d = got[name] - stored[name]
            bad = not (abs(d) <= args.tolerance)
            failed |= bad
            cells.append(f"{got[name]:9.5f} /{stored[name]:9.5f} /{d:+9.2e}{'!' if bad else ' '}")
        for name, kind in COUNTS:
            if name in stored and name in got and got[name] != stored[name]:
                failed = True
                notes.append(f"{name} {got[name]:.0f} != stored {stored[name]:.0f}")
        print(f"{step:>6}  " + "  ".join(cells))
        extra = f"sink share as per-sentence mean {got['_sink_share_per_sentence_mean']:.5f}"
        if "_mlm_accuracy" in got and "mlm_accuracy" in stored:
            extra += f"; mlm_accuracy {got['_mlm_accuracy']:.5f} / {stored['mlm_accuracy']:.5f}"
        print(f"{'':>6}  note: {extra}" + ("; MISMATCH " + "; ".join(notes) if notes else ""))
        sys.stdout.flush()
    print("FAIL" if failed else "OK")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
