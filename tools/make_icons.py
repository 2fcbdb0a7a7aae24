"""Draw the skill's icons, in pure Python (no Pillow): docs/icons/icon-108.png and icon-512.png.

    python tools/make_icons.py            # writes both PNGs
    python tools/make_icons.py --check    # exit 1 if the files differ from a fresh drawing

The mark: a crescent moon and three small stars over a leg resting along a soft hill, its foot
gently flexed, toes toward the shin, the stretch the skill guides. Night blues and a warm cream,
nothing sharp. Every shape is drawn from its signed distance at each pixel, with one pixel of
anti-aliasing, at each size from the same unit-square description (so 108 px is drawn, not
scaled down). The output depends only on this file: integer colours, IEEE arithmetic, fixed
zlib level; tests/unit/test_locales.py checks both sizes and that a fresh drawing has the same pixels.
skill.json points at these files as GitHub Pages will serve them (docs/deploy.md, "Publishing").
"""

from __future__ import annotations

import argparse
import math
import struct
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICON_DIR = ROOT / "docs" / "icons"
SIZES = (108, 512)

TOP = (24, 33, 66)  # the sky, top to bottom
BOTTOM = (47, 72, 120)
HILL = (63, 92, 146)
MOON = (244, 231, 197)
STAR = (222, 230, 245)
LEG = (214, 222, 244)

# The mark in a unit square, y downwards.
MOON_DISC = ((0.665, 0.315), 0.165)
MOON_BITE = ((0.735, 0.255), 0.145)
STARS = (((0.24, 0.22), 0.016), ((0.37, 0.13), 0.012), ((0.20, 0.42), 0.011))
HILL_DISC = ((0.50, 1.42), 0.64)
# The leg comes in from beyond the left edge (the sleeper is out of frame), along a quadratic
# Bezier from thigh to ankle, tapering: half-widths along it, at t = 0, 0.6 and 1.
LEG_CURVE = ((-0.06, 0.84), (0.40, 0.62), (0.725, 0.735))
LEG_HALF_WIDTHS = ((0.0, 0.056), (0.6, 0.046), (1.0, 0.030))
FOOT = ((0.725, 0.735), (0.80, 0.585))  # heel to toes, flexed up toward the shin
FOOT_HALF_WIDTH = 0.029
HEEL = ((0.738, 0.742), 0.033)  # a rounded heel where the foot turns up
SEGMENTS = 48


def _bezier(points, n: int) -> list[tuple[float, float]]:
    (x0, y0), (x1, y1), (x2, y2) = points
    out = []
    for i in range(n + 1):
        t = i / n
        a, b, c = (1 - t) ** 2, 2 * (1 - t) * t, t * t
        out.append((a * x0 + b * x1 + c * x2, a * y0 + b * y1 + c * y2))
    return out


def _segment_distance(px: float, py: float, ax: float, ay: float, bx: float, by: float
                      ) -> tuple[float, float]:
    """(distance from the point to the segment, how far along it the nearest point is, 0-1)."""
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    ex, ey = px - (ax + t * dx), py - (ay + t * dy)
    return math.sqrt(ex * ex + ey * ey), t


def _half_width(t: float) -> float:
    for (t0, w0), (t1, w1) in zip(LEG_HALF_WIDTHS, LEG_HALF_WIDTHS[1:], strict=False):
        if t <= t1:
            k = (t - t0) / (t1 - t0)
            k = k * k * (3 - 2 * k)  # smoothstep: no kink where the taper changes
            return w0 + (w1 - w0) * k
    return LEG_HALF_WIDTHS[-1][1]


def _coverage(distance: float, pixel: float) -> float:
    """How much of a pixel a shape covers, from the signed distance to its edge (inside < 0)."""
    return max(0.0, min(1.0, 0.5 - distance / pixel))


def _blend(canvas: list[list[float]], i: int, colour: tuple[int, int, int], alpha: float) -> None:
    if alpha <= 0.0:
        return
    pixel = canvas[i]
    for k in range(3):
        pixel[k] += (colour[k] - pixel[k]) * alpha


def _stroke_distance(u: float, v: float, segments) -> float:
    best = math.inf
    for a, b, w0, w1 in segments:
        d, t = _segment_distance(u, v, *a, *b)
        best = min(best, d - (w0 + (w1 - w0) * t))
    return best


def render(size: int) -> list[list[int]]:
    """The icon's pixels, rows of RGB bytes."""
    pixel = 1.0 / size
    leg = _bezier(LEG_CURVE, SEGMENTS)
    # (start, end, half-width at start, at end) for each piece of the stroke.
    segments = [(a, b, _half_width(j / SEGMENTS), _half_width((j + 1) / SEGMENTS))
                for j, (a, b) in enumerate(zip(leg, leg[1:], strict=False))]
    segments.append((*FOOT, FOOT_HALF_WIDTH, FOOT_HALF_WIDTH))
    half = max(w for _, w in LEG_HALF_WIDTHS)
    canvas: list[list[float]] = []
    for y in range(size):
        v = (y + 0.5) / size
        sky = tuple(TOP[k] + (BOTTOM[k] - TOP[k]) * v for k in range(3))
        canvas.extend([list(sky) for _ in range(size)])
    # Candidate leg segments per column: the few whose x-range (widened by the stroke) covers it.
    columns = []
    for x in range(size):
        u = (x + 0.5) / size
        columns.append([s for s in segments if min(s[0][0], s[1][0]) - half - pixel <= u
                        <= max(s[0][0], s[1][0]) + half + pixel])
    for y in range(size):
        v = (y + 0.5) / size
        row = y * size
        for x in range(size):
            u = (x + 0.5) / size
            i = row + x
            (hx, hy), hr = HILL_DISC
            _blend(canvas, i, HILL, _coverage(math.sqrt((u - hx) ** 2 + (v - hy) ** 2) - hr, pixel))
            (mx, my), mr = MOON_DISC
            (bx, by), br = MOON_BITE
            disc = math.sqrt((u - mx) ** 2 + (v - my) ** 2) - mr
            bite = math.sqrt((u - bx) ** 2 + (v - by) ** 2) - br
            _blend(canvas, i, MOON, _coverage(max(disc, -bite), pixel))
            for (sx, sy), sr in STARS:
                star = math.sqrt((u - sx) ** 2 + (v - sy) ** 2) - sr
                _blend(canvas, i, STAR, 0.85 * _coverage(star, pixel))
            if columns[x]:
                (ex, ey), er = HEEL
                heel = math.sqrt((u - ex) ** 2 + (v - ey) ** 2) - er
                _blend(canvas, i, LEG, _coverage(min(heel, _stroke_distance(u, v, columns[x])), pixel))
    return [[round(c) for x in range(size) for c in canvas[y * size + x]] for y in range(size)]


def png(rows: list[list[int]]) -> bytes:
    """An 8-bit RGB PNG of these rows (no filter, zlib level 9, no timestamp or text chunks)."""
    height, width = len(rows), len(rows[0]) // 3

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + bytes(row) for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


def read_png(data: bytes) -> tuple[int, int, bytes]:
    """(width, height, raw scanlines) of a PNG this tool wrote, for checks."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, idat, width, height = 8, b"", 0, 0
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        offset += 12 + length
    return width, height, zlib.decompress(idat)


def path_for(size: int, directory: Path = ICON_DIR) -> Path:
    return directory / f"icon-{size}.png"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the files, write nothing")
    parser.add_argument("--out", type=Path, default=ICON_DIR, help="where to write (docs/icons)")
    args = parser.parse_args(argv)
    stale = []
    for size in SIZES:
        data = png(render(size))
        target = path_for(size, args.out)
        if args.check:
            if not target.exists() or read_png(target.read_bytes()) != read_png(data):
                stale.append(str(target))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        print(f"{target}  {size}x{size}  {len(data):,} bytes")
    if stale:
        print("out of date (run python tools/make_icons.py): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
