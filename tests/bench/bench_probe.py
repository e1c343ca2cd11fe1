#!/usr/bin/env python3
"""The plain PyTorch-from-Python twin of bench_probe: the same loss + UAS
forward passes on the same weights and the same inputs (written by
bench_probe to INPUTS.h5), with a minimal BERT built from torch.nn.

Usage: /usr/bin/python3 bench_probe.py CHECKPOINT.h5 INPUTS.h5 THREADS
Prints one line: "python_seconds S".
"""
import math
import sys
import time

import h5py
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Bert(nn.Module):
    def __init__(self, t, layers, heads):
        super().__init__()
        self.t = {k: torch.from_numpy(v) for k, v in t.items()}
        self.layers, self.heads = layers, heads

    def lin(self, x, name):
        return F.linear(x, self.t[name + ".weight"], self.t[name + ".bias"])

    def ln(self, x, name):
        w = self.t[name + ".weight"]
        return F.layer_norm(x, w.shape, w, self.t[name + ".bias"], 1e-12)

    def forward(self, ids, mask, attentions=False, positions=None):
        t, B, T = self.t, ids.shape[0], ids.shape[1]
        x = t["bert.embeddings.word_embeddings.weight"][ids] \
            + t["bert.embeddings.position_embeddings.weight"][:T] \
            + t["bert.embeddings.token_type_embeddings.weight"][0]
        x = self.ln(x, "bert.embeddings.LayerNorm")
        add = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        H = self.heads
        dh = x.shape[-1] // H
        probs_all = []
        for i in range(self.layers):
            p = f"bert.encoder.layer.{i}."
            q = self.lin(x, p + "attention.self.query").view(B, T, H, dh).transpose(1, 2)
            k = self.lin(x, p + "attention.self.key").view(B, T, H, dh).transpose(1, 2)
            v = self.lin(x, p + "attention.self.value").view(B, T, H, dh).transpose(1, 2)
            probs = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(dh) + add, -1)
            if attentions:
                probs_all.append(probs)
            c = (probs @ v).transpose(1, 2).reshape(B, T, H * dh)
            a = self.ln(self.lin(c, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            h = F.gelu(self.lin(a, p + "intermediate.dense"))
            x = self.ln(self.lin(h, p + "output.dense") + a, p + "output.LayerNorm")
        logits = None
        if positions is not None:
            hsel = x.reshape(-1, x.shape[-1])[positions]
            hsel = self.ln(F.gelu(self.lin(hsel, "cls.predictions.transform.dense")),
                           "cls.predictions.transform.LayerNorm")
            logits = F.linear(hsel, t["bert.embeddings.word_embeddings.weight"], t["cls.predictions.bias"])
        return logits, probs_all


def main(ckpt, inputs, threads):
    torch.set_num_threads(int(threads))
    with h5py.File(ckpt, "r") as f:
        tensors = {k: np.asarray(v[...], dtype=np.float32) for k, v in f["tensors"].items()}
    with h5py.File(inputs, "r") as f:
        layers, heads = int(f.attrs["layers"]), int(f.attrs["heads"])
        batches = []
        for name in sorted(f["batches"].keys(), key=int):
            g = f["batches"][name]
            batches.append({k: torch.from_numpy(np.asarray(g[k][...])) for k in g.keys()})
    model = Bert(tensors, layers, heads)
    start = time.perf_counter()
    with torch.inference_mode():
        for b in batches:
            # Loss pass: masked input, logits only at the masked positions.
            logits, _ = model(b["masked"], b["mask"], positions=b["positions"])
            F.cross_entropy(logits, b["targets"], reduction="sum").item()
            # UAS pass: attention maps -> word-level maps -> argmax parents.
            _, probs = model(b["ids"], b["mask"], attentions=True)
            A = torch.stack(probs, 0)  # [L,B,H,T,T]
            for s in range(b["ids"].shape[0]):
                n = int(b["lengths"][s])
                summ = b["word_of_piece"][s, :n]  # word index of each piece
                W = int(summ.max()) + 1
                Msum = F.one_hot(summ, W).float()  # [T,W]
                Mavg = (Msum / Msum.sum(0, keepdim=True)).t()
                maps = Mavg @ A[:, s, :, :n, :n] @ Msum  # [L,H,W,W]
                m = maps[..., 1:W - 1, 1:W - 1].clone()
                m.diagonal(dim1=-2, dim2=-1).zero_()
                m.argmax(-1), m.transpose(-1, -2).argmax(-1)
    print(f"python_seconds {time.perf_counter() - start:.4f}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
