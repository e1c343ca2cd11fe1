#!/usr/bin/env python3
"""The GUI's folders include one another without a cycle, and the Qt-Core data
library (chrysalis_ui_data, ui/CMakeLists.txt) includes only its own files.

Usage: check_layers.py UI_DIR. Exits 1 naming the cycle or the include."""
import os
import re
import sys

ui = sys.argv[1]
include = re.compile(r'#include "([a-z_]+)/([a-z_]+)\.h"')
folders = sorted(d for d in os.listdir(ui) if os.path.isdir(os.path.join(ui, d)))

edges = {f: set() for f in folders}
for folder in folders:
    for name in os.listdir(os.path.join(ui, folder)):
        if not name.endswith((".h", ".cpp")):
            continue
        with open(os.path.join(ui, folder, name), encoding="utf-8") as f:
            for target, _ in include.findall(f.read()):
                if target != folder and target in edges:
                    edges[folder].add(target)

def cycle_from(start):
    stack = [(start, [start])]
    while stack:
        node, path = stack.pop()
        for nxt in edges[node]:
            if nxt == start:
                return path + [start]
            if nxt not in path:
                stack.append((nxt, path + [nxt]))
    return None

failed = False
for folder in folders:
    c = cycle_from(folder)
    if c:
        print("ui folders include each other in a cycle: " + " -> ".join(c))
        failed = True
        break

# The data library's sources, as ui/CMakeLists.txt lists them.
with open(os.path.join(ui, "CMakeLists.txt"), encoding="utf-8") as f:
    cmake = f.read()
block = re.search(r"add_library\(chrysalis_ui_data STATIC(.*?)\)", cmake, re.S).group(1)
data_sources = set(block.split())
data_files = {s[:-4] for s in data_sources}  # "data/run_data"
for source in sorted(data_sources):
    for ext in (".cpp", ".h"):
        path = os.path.join(ui, source[:-4] + ext)
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            for folder, name in include.findall(f.read()):
                compiled = os.path.exists(os.path.join(ui, folder, name + ".cpp"))
                if folder in edges and compiled and f"{folder}/{name}" not in data_files:
                    print(f"{path}: includes {folder}/{name}.h, which only the widget library has")
                    failed = True

if failed:
    sys.exit(1)
print(f"{len(folders)} ui folders, no include cycle; chrysalis_ui_data includes only its own files")
