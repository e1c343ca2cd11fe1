#!/usr/bin/python3
"""Import speed of `chrysalis-cli import-hf` per GB against `cat` (issue 15).

    /usr/bin/python3 tests/bench/bench_import.py build/release/app/chrysalis-cli [--work DIR]

Writes one BERT-base-shaped checkpoint (random float32, 12 x 768, 30,522-piece vocab:
about 440 MB) twice with Debian's python3-torch: as pytorch_model.bin (torch.save) and as
model.safetensors (by hand), each in a Trainer-style checkpoint-1000 folder. Then, on a
warm page cache, best of three: `cat` of the weight file to /dev/null, and the import of
the folder into a new series (read, CRC-32 or header checks, XXH3 checksums, HDF5 write,
fsync and rename). The ratio is import speed / cat speed; the import also writes every
byte once, which cat does not.
"""
import argparse
import collections
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time

import torch

V, D, L, I, P = 30522, 768, 12, 3072, 512


def state_dict():
    g = torch.Generator().manual_seed(0)
    sd = collections.OrderedDict()

    def t(*shape):
        return torch.randn(*shape, generator=g) * 0.02

    sd["bert.embeddings.word_embeddings.weight"] = t(V, D)
    sd["bert.embeddings.position_embeddings.weight"] = t(P, D)
    sd["bert.embeddings.token_type_embeddings.weight"] = t(2, D)
    sd["bert.embeddings.LayerNorm.weight"] = torch.ones(D)
    sd["bert.embeddings.LayerNorm.bias"] = torch.zeros(D)
    for i in range(L):
        p = f"bert.encoder.layer.{i}."
        for n in ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"):
            sd[p + n + ".weight"] = t(D, D)
            sd[p + n + ".bias"] = t(D)
        sd[p + "attention.output.LayerNorm.weight"] = torch.ones(D)
        sd[p + "attention.output.LayerNorm.bias"] = torch.zeros(D)
        sd[p + "intermediate.dense.weight"] = t(I, D)
        sd[p + "intermediate.dense.bias"] = t(I)
        sd[p + "output.dense.weight"] = t(D, I)
        sd[p + "output.dense.bias"] = t(D)
        sd[p + "output.LayerNorm.weight"] = torch.ones(D)
        sd[p + "output.LayerNorm.bias"] = torch.zeros(D)
    sd["cls.predictions.transform.dense.weight"] = t(D, D)
    sd["cls.predictions.transform.dense.bias"] = t(D)
    sd["cls.predictions.transform.LayerNorm.weight"] = torch.ones(D)
    sd["cls.predictions.transform.LayerNorm.bias"] = torch.zeros(D)
    sd["cls.predictions.bias"] = torch.zeros(V)
    return sd


def write_safetensors(path, sd):
    header, off = {}, 0
    for n, v in sd.items():
        b = v.numel() * 4
        header[n] = {"dtype": "F32", "shape": list(v.shape), "data_offsets": [off, off + b]}
        off += b
    h = json.dumps(header).encode()
    h += b" " * ((-(8 + len(h))) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h)
        for v in sd.values():
            f.write(v.numpy().tobytes())


def best(cmd, before=None, runs=3):
    times = []
    for _ in range(runs):
        if before:
            before()
        t0 = time.perf_counter()
        subprocess.run(cmd, shell=True, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return min(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cli")
    ap.add_argument("--work", default=None)
    a = ap.parse_args()
    work = a.work or tempfile.mkdtemp(prefix="bench-import-")
    sd = state_dict()
    config = {"model_type": "bert", "vocab_size": V, "hidden_size": D, "num_hidden_layers": L,
              "num_attention_heads": 12, "intermediate_size": I, "max_position_embeddings": P}
    results = []
    for kind, file in (("bin", "pytorch_model.bin"), ("safetensors", "model.safetensors")):
        run = os.path.join(work, kind)
        ck = os.path.join(run, "checkpoint-1000")
        os.makedirs(ck, exist_ok=True)
        json.dump(config, open(os.path.join(ck, "config.json"), "w"))
        with open(os.path.join(run, "vocab.txt"), "w") as f:
            f.write("".join(f"t{i}\n" for i in range(V)))
        weights = os.path.join(ck, file)
        if kind == "bin":
            torch.save(sd, weights)
        else:
            write_safetensors(weights, sd)
        size = os.path.getsize(weights)
        out = os.path.join(work, "series-" + kind)
        subprocess.run(f"cat '{weights}' > /dev/null", shell=True, check=True)  # warm
        t_cat = best(f"cat '{weights}' > /dev/null")
        t_imp = best(f"'{a.cli}' import-hf '{run}' --out '{out}'",
                     before=lambda: shutil.rmtree(out, ignore_errors=True))
        gb = size / 1e9
        linked = out + "-linked"
        t_link = best(f"'{a.cli}' import-hf '{run}' --out '{linked}' --link",
                      before=lambda: shutil.rmtree(linked, ignore_errors=True))
        linked_bytes = sum(os.path.getsize(os.path.join(linked, "checkpoints", f))
                           for f in os.listdir(os.path.join(linked, "checkpoints")))
        results.append((kind, gb, t_cat, t_imp))
        print(f"{file} ({gb * 1000:.0f} MB): cat {t_cat:.3f} s ({gb / t_cat:.2f} GB/s), "
              f"import-hf {t_imp:.3f} s ({gb / t_imp:.2f} GB/s, {t_imp / gb:.2f} s per GB); "
              f"import speed / cat speed = {t_cat / t_imp:.2f}; "
              f"--link {t_link:.3f} s, checkpoint file {linked_bytes / 1e3:.0f} kB")
        shutil.rmtree(linked, ignore_errors=True)
        shutil.rmtree(run)
        shutil.rmtree(out, ignore_errors=True)
    if not a.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
