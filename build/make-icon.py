#!/usr/bin/env python3
"""Writes build/icon.png, the packages' 128x128 icon (a terminal prompt ">_" on a dark tile), with only the standard
library, so the icon can be regenerated and reviewed as code: python3 build/make-icon.py"""
import os
import struct
import zlib

SIZE = 128
BACKGROUND = (24, 32, 48)
FOREGROUND = (94, 234, 212)


def inside(x, y):
    # ">" chevron: two strokes meeting at (70, 64), 10 px thick.
    for (x0, y0, x1, y1) in ((30, 32, 70, 64), (70, 64, 30, 96)):
        t = max(0.0, min(1.0, ((x - x0) * (x1 - x0) + (y - y0) * (y1 - y0)) / ((x1 - x0) ** 2 + (y1 - y0) ** 2)))
        px, py = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
        if (x - px) ** 2 + (y - py) ** 2 <= 25:
            return True
    # "_" underscore.
    return 76 <= x <= 104 and 88 <= y <= 97


def rounded(x, y):
    # A tile with 20 px rounded corners; outside is transparent.
    r = 20
    cx = min(max(x, r), SIZE - 1 - r)
    cy = min(max(y, r), SIZE - 1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


rows = bytearray()
for y in range(SIZE):
    rows.append(0)  # PNG filter type "none" for the row.
    for x in range(SIZE):
        if not rounded(x, y):
            rows += bytes((0, 0, 0, 0))
        else:
            rows += bytes((*(FOREGROUND if inside(x, y) else BACKGROUND), 255))


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b"")
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "icon.png"), "wb") as f:
    f.write(png)
