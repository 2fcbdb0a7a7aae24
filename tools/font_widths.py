"""Write testkit/font_widths.json: Liberation Sans advance widths for every character the content
files use, so the plain test run can measure text without Chromium or the font files.

    python tools/font_widths.py [--fonts /usr/share/fonts/truetype/liberation]

tools/render_screens.py draws every text in Liberation Sans (Debian's fonts-liberation; Amazon Ember
is not installed here), so its advance widths are what the renderer lays out with. Read straight
from the TrueType tables (head, hhea, hmtx, cmap format 4): no font library needed. Weight 500
falls back to the regular face in Chromium (Liberation has 400 and 700 only); 700 uses bold.
"""

from __future__ import annotations

import argparse
import json
import os
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "testkit", "font_widths.json")
FACES = {"regular": "LiberationSans-Regular.ttf", "bold": "LiberationSans-Bold.ttf"}


def _tables(data: bytes) -> dict[str, bytes]:
    count = struct.unpack(">H", data[4:6])[0]
    out = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        out[tag.decode("latin-1")] = data[offset:offset + length]
    return out


def _cmap(table: bytes) -> dict[int, int]:
    """code point -> glyph id, from the Unicode BMP subtable (format 4)."""
    count = struct.unpack(">H", table[2:4])[0]
    for i in range(count):
        platform, encoding, offset = struct.unpack(">HHI", table[4 + 8 * i:12 + 8 * i])
        if (platform, encoding) in ((3, 1), (0, 3)) and struct.unpack(">H", table[offset:offset + 2])[0] == 4:
            sub = table[offset:]
            segs = struct.unpack(">H", sub[6:8])[0] // 2
            ends = struct.unpack(f">{segs}H", sub[14:14 + 2 * segs])
            starts = struct.unpack(f">{segs}H", sub[16 + 2 * segs:16 + 4 * segs])
            deltas = struct.unpack(f">{segs}h", sub[16 + 4 * segs:16 + 6 * segs])
            range_at = 16 + 6 * segs
            ranges = struct.unpack(f">{segs}H", sub[range_at:range_at + 2 * segs])
            glyphs = {}
            for s in range(segs):
                for code in range(starts[s], ends[s] + 1):
                    if code == 0xFFFF:
                        continue
                    if ranges[s] == 0:
                        glyph = (code + deltas[s]) & 0xFFFF
                    else:
                        at = range_at + 2 * s + ranges[s] + 2 * (code - starts[s])
                        glyph = struct.unpack(">H", sub[at:at + 2])[0]
                        glyph = (glyph + deltas[s]) & 0xFFFF if glyph else 0
                    glyphs[code] = glyph
            return glyphs
    raise ValueError("no Unicode BMP cmap")


def advances(path: str) -> tuple[int, dict[int, int]]:
    """(units per em, {code point: advance width in font units})."""
    with open(path, "rb") as fh:
        tables = _tables(fh.read())
    units = struct.unpack(">H", tables["head"][18:20])[0]
    metrics = struct.unpack(">H", tables["hhea"][34:36])[0]
    hmtx = tables["hmtx"]
    widths = [struct.unpack(">H", hmtx[4 * i:4 * i + 2])[0] for i in range(metrics)]
    glyphs = _cmap(tables["cmap"])
    return units, {code: widths[min(g, metrics - 1)] for code, g in glyphs.items()}


def characters() -> set[str]:
    """Every character of the content files, plus printable ASCII."""
    chars = {chr(c) for c in range(32, 127)} | {"\u2026", "\u00a0", "\u202f"}
    folder = os.path.join(ROOT, "lambda", "cramp_helper", "content")
    for name in os.listdir(folder):
        if name.endswith(".json"):
            with open(os.path.join(folder, name), encoding="utf-8") as fh:
                chars |= set(fh.read())
    return {c for c in chars if c.isprintable() or c in "\u00a0\u202f"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fonts", default="/usr/share/fonts/truetype/liberation")
    args = parser.parse_args(argv)
    out: dict = {"_about": "Liberation Sans advance widths in font units (tools/font_widths.py); "
                           "width in dp = units * font size / unitsPerEm."}
    wanted = sorted(characters())
    for face, file in FACES.items():
        units, table = advances(os.path.join(args.fonts, file))
        out["unitsPerEm"] = units
        out[face] = {c: table[ord(c)] for c in wanted if ord(c) in table}
        missing = [c for c in wanted if ord(c) not in table]
        if missing:
            print(f"{face}: no glyph for {missing!r}", file=sys.stderr)
    with open(OUT, "w", encoding="utf-8") as fh:
        json.dump(out, fh, ensure_ascii=False, indent=0, sort_keys=True)
        fh.write("\n")
    print(f"wrote {os.path.relpath(OUT, ROOT)}: {len(out['regular'])} characters, 2 faces")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
