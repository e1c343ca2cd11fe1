#!/usr/bin/python3
"""The training step of bench_train.cpp in plain PyTorch (Debian's python3-torch 1.13).

Same shapes (demo model and BERT-base with a small batch), same work per step:
dynamic 15% masking with 80/10/10, BERT for masked LM (post-LN, exact GELU, tied
decoder) with logits only at masked positions, the syntactic regularizer gathered
from the attention probabilities (λ ≠ 0), backward, gradient clipping at 1.0 and
AdamW (no decay on biases/LayerNorm). With --cpp PATH it also runs the C++
benchmark and prints the C++/Python throughput ratio side by side.

Usage: /usr/bin/python3 tests/bench/bench_train.py [--threads 2] [--steps N] [--rounds 5] [--only demo|base]
                                                   [--cpp build/h-train/tests/bench/bench_train]
"""
import argparse
import math
import re
import subprocess
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

SHAPES = {  # name: layers, hidden, heads, ffn, vocab, batch, length
    "demo": (4, 128, 4, 512, 5000, 32, 64),
    "base": (12, 768, 12, 3072, 30522, 4, 128),
}
PAD, UNK, CLS, SEP, MASK = 0, 1, 2, 3, 4


class Layer(nn.Module):
    def __init__(self, d, heads, ffn, p):
        super().__init__()
        self.heads, self.dh = heads, d // heads
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
        self.ln1, self.ln2 = nn.LayerNorm(d, eps=1e-12), nn.LayerNorm(d, eps=1e-12)
        self.f1, self.f2 = nn.Linear(d, ffn), nn.Linear(ffn, d)
        self.drop = nn.Dropout(p)

    def forward(self, x, mask):
        B, T, D = x.shape
        split = lambda t: t.view(B, T, self.heads, self.dh).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        probs = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(self.dh) + mask, -1)
        ctx = (self.drop(probs) @ v).transpose(1, 2).reshape(B, T, D)
        a = self.ln1(self.drop(self.o(ctx)) + x)
        return self.ln2(self.drop(self.f2(F.gelu(self.f1(a)))) + a), probs


class Bert(nn.Module):
    def __init__(self, layers, d, heads, ffn, vocab, positions, p=0.1):
        super().__init__()
        self.word, self.pos, self.token_type = nn.Embedding(vocab, d), nn.Embedding(positions, d), nn.Embedding(2, d)
        self.ln = nn.LayerNorm(d, eps=1e-12)
        self.drop = nn.Dropout(p)
        self.layers = nn.ModuleList(Layer(d, heads, ffn, p) for _ in range(layers))
        self.t_dense, self.t_ln = nn.Linear(d, d), nn.LayerNorm(d, eps=1e-12)
        self.bias = nn.Parameter(torch.zeros(vocab))
        for name, t in self.named_parameters():  # HF's initialisation
            with torch.no_grad():
                if "ln" in name and name.endswith("weight"):
                    t.fill_(1.0)
                elif name.endswith("bias"):
                    t.zero_()
                else:
                    t.normal_(0.0, 0.02)

    def forward(self, ids, attn_mask, positions, want_attn):
        B, T = ids.shape
        x = self.word(ids) + self.pos(torch.arange(T).unsqueeze(0)) + self.token_type(torch.zeros_like(ids))
        x = self.drop(self.ln(x))
        add = (1.0 - attn_mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        atts = []
        for layer in self.layers:
            x, probs = layer(x, add)
            if want_attn:
                atts.append(probs)
        h = x.reshape(-1, x.size(-1)).index_select(0, positions)
        logits = F.linear(self.t_ln(F.gelu(self.t_dense(h))), self.word.weight, self.bias)
        return logits, atts


def regularizer(atts, pairs):
    H, T = atts[0].size(1), atts[0].size(2)
    b, dep, head = pairs[:, 0], pairs[:, 1], pairs[:, 2]
    batch, q, k = torch.cat([b, b]), torch.cat([dep, head]), torch.cat([head, dep])
    flat = ((batch * H * T * T + q * T + k)[:, None] + torch.arange(H)[None, :] * (T * T)).reshape(-1)
    per_layer = [a.reshape(-1).index_select(0, flat).view(-1, H).max(1).values for a in atts]
    return torch.stack(per_layer).max(0).values.sum()


def mask_batch(ids, vocab, gen):
    chosen = torch.rand(ids.shape, generator=gen) < 0.15
    chosen[:, 0] = chosen[:, -1] = False
    positions = chosen.reshape(-1).nonzero().squeeze(1)
    targets = ids.reshape(-1)[positions]
    inputs = ids.clone().reshape(-1)
    r = torch.rand(positions.shape, generator=gen)
    inputs[positions[r < 0.8]] = MASK
    rnd = positions[(r >= 0.8) & (r < 0.9)]
    inputs[rnd] = torch.randint(5, vocab, rnd.shape, generator=gen)
    return inputs.view_as(ids), positions, targets


class Run:
    """One model + optimizer + data stream, stepped in rounds."""

    def __init__(self, name, lam):
        L, D, H, FF, V, B, T = SHAPES[name]
        self.lam, self.V, self.B, self.T = lam, V, B, T
        torch.manual_seed(1)
        self.gen = torch.Generator().manual_seed(1)
        self.model = Bert(L, D, H, FF, V, T)
        self.model.train()
        named = list(self.model.named_parameters())
        decay = [p for n, p in named if not (n.endswith("bias") or "ln" in n)]
        no_decay = [p for n, p in named if n.endswith("bias") or "ln" in n]
        self.opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01},
                                      {"params": no_decay, "weight_decay": 0.0}], lr=1e-3, eps=1e-8)
        self.params = list(self.model.parameters())
        # Random trees like the C++ data: word i (piece i) depends on an earlier word.
        pairs = [(b, i, 1 + int(torch.randint(0, i - 1, (1,), generator=self.gen)))
                 for b in range(B) for i in range(2, T - 1)]
        self.pairs = torch.tensor(pairs, dtype=torch.long)
        self.attn_mask = torch.ones(B, T, dtype=torch.long)
        self.step_no = 0

    def step(self):
        ids = torch.randint(5, self.V, (self.B, self.T), generator=self.gen)
        ids[:, 0], ids[:, -1] = CLS, SEP
        inputs, positions, targets = mask_batch(ids, self.V, self.gen)
        for g in self.opt.param_groups:
            g["lr"] = 1e-3 * min(1.0, self.step_no / 1.0)
        self.opt.zero_grad()
        logits, atts = self.model(inputs, self.attn_mask, positions, self.lam != 0)
        loss = F.cross_entropy(logits, targets)
        if self.lam != 0:
            loss = loss + self.lam * regularizer(atts, self.pairs)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.params, 1.0)
        self.opt.step()
        self.step_no += 1

    def tokens_per_s(self, steps):
        """(per wall-clock second, per CPU second of this process)"""
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(steps):
            self.step()
        tokens = steps * self.B * self.T
        return tokens / (time.perf_counter() - t0), tokens / (time.process_time() - c0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=0, help="steps per round (default 4 demo, 1 base)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--only", choices=sorted(SHAPES))
    ap.add_argument("--cpp", help="path of bench_train (C++) to run side by side")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    names = [args.only] if args.only else list(SHAPES)
    py = {}
    for name in names:
        n = args.steps or (1 if SHAPES[name][0] > 4 else 4)
        # λ = 0 and λ ≠ 0 alternate round by round; the best round counts.
        runs = {lam: Run(name, lam) for lam in (0.0, 0.01)}
        for run in runs.values():
            for _ in range(args.warmup):
                run.step()
        best = {lam: (0.0, 0.0) for lam in runs}
        for _ in range(args.rounds):
            for lam, run in runs.items():
                wall, cpu = run.tokens_per_s(n)
                best[lam] = (max(best[lam][0], wall), max(best[lam][1], cpu))
        L, D, H, FF, V, B, T = SHAPES[name]
        for lam in runs:
            py[(name, lam)] = best[lam]
            print(f"py model={name} layers={L} hidden={D} batch={B} length={T} lambda={lam:g} threads={args.threads} "
                  f"tokens_per_s={best[lam][0]:.1f} cpu_tokens_per_s={best[lam][1]:.1f} "
                  f"s_per_step={B * T / best[lam][0]:.4f} (best of {args.rounds} rounds of {n} steps)", flush=True)
        print(f"py model={name} regularizer_overhead={100 * (best[0.0][0] / best[0.01][0] - 1):.1f}% (wall) "
              f"{100 * (best[0.0][1] / best[0.01][1] - 1):.1f}% (cpu)", flush=True)
    if not args.cpp:
        return
    cmd = [args.cpp, "--threads", str(args.threads), "--warmup", str(args.warmup), "--rounds", str(args.rounds)]
    if args.steps:
        cmd += ["--steps", str(args.steps)]
    if args.only:
        cmd += ["--only", args.only]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    print(out, end="")
    print("\nmodel  lambda   C++ tok/s (cpu)   Python tok/s (cpu)   C++/Python wall   C++/Python cpu")
    for m in re.finditer(r"cpp model=(\w+) .*?lambda=([\d.e-]+) .*?tokens_per_s=([\d.]+) cpu_tokens_per_s=([\d.]+)", out):
        name, lam, wall, cpu = m.group(1), float(m.group(2)), float(m.group(3)), float(m.group(4))
        if (name, lam) in py:
            pw, pc = py[(name, lam)]
            print(f"{name:6} {lam:<7g} {wall:9.1f} ({cpu:7.1f}) {pw:10.1f} ({pc:7.1f}) {wall / pw:15.2f}x {cpu / pc:15.2f}x")


if __name__ == "__main__":
    main()
