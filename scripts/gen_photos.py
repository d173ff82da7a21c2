#!/usr/bin/env python3
"""Generate photo-like JPEGs for the image-processing benchmark (scripts/bench_images.sh).

Usage: gen_photos.py [--seed SEED] [--jobs J] [N] OUTDIR

Writes OUTDIR/p0000.jpg ... (N files, default 2000). Each is a distinct picture of camera
size (2400x1600 to 4000x3000, landscape and portrait), with content that compresses like a
photograph (fractal plasma, a gradient, grain and a few shapes: 0.5 to 2 MB at quality 80-92),
and an EXIF block as cameras write it: Orientation 1, 3, 6 or 8 (or none) with the pixels
stored accordingly, and GPS coordinates on about 40 % of the files.

The output depends only on N and the seed. Pixels are made by ImageMagick (`convert`, from the
imagemagick Debian package): Python's standard library has no JPEG encoder and a pure-Python
one would take minutes a file. The benchmark is not part of CI, so CI needs no ImageMagick.
The EXIF block is written here, with the standard library: ImageMagick cannot write GPS tags.
"""

import argparse
import os
import shutil
import struct
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from random import Random

# Sensor sizes (landscape) of common cameras and phones, 6 to 12 megapixels.
SENSORS = [
    (4000, 3000), (3840, 2160), (3648, 2736), (3456, 2304), (3264, 2448),
    (3000, 2000), (2816, 2112), (2560, 1920), (2400, 1600),
]

# (weight, EXIF orientation or None, upright picture is portrait, stored pixels are portrait)
# A phone held upright stores landscape pixels with Orientation 6 (sometimes 8); software that
# already rotated a portrait stores portrait pixels with Orientation 1.
LAYOUTS = [
    (45, 1, False, False),
    (10, None, False, False),
    (20, 6, True, False),
    (5, 8, True, False),
    (12, 1, True, True),
    (8, 3, False, False),
]

# ImageMagick's rotation, applied to the upright picture, that Orientation N undoes.
STORE_ROTATION = {None: 0, 1: 0, 3: 180, 6: -90, 8: 90}

PALETTE = [
    "#1d3557", "#457b9d", "#a8dadc", "#f1faee", "#e63946", "#2a9d8f", "#e9c46a", "#f4a261",
    "#264653", "#8ab17d", "#6d597a", "#b56576", "#eaac8b", "#355070", "#ffb703", "#023047",
    "#606c38", "#283618", "#fefae0", "#dda15e", "#bc6c25", "#3d405b", "#81b29a", "#f2cc8f",
]
SKIES = ["#87b5e0", "#cfe3f5", "#f6d1a3", "#9bb0c9", "#e8eef2", "#5d7fa3", "#ffd9b3"]
GROUNDS = ["#2f3e1f", "#5a4632", "#1e2a38", "#4b5d3a", "#6b5b4b", "#2b2b2b", "#3c4a57"]

# Downscale of the generated texture before it is enlarged to full size: fractal plasma and
# grain at full size cost 2-3 s a picture; at a sixth of it they look the same once enlarged
# and the JPEGs keep a photograph's size.
DETAIL = 6


def find_convert():
    """ImageMagick's command, refusing a stand-in that is not ImageMagick."""
    for name in ("magick", "convert"):
        path = shutil.which(name)
        if not path:
            continue
        try:
            out = subprocess.run([path, "-version"], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if "ImageMagick" in out.stdout:
            return [path] if name == "convert" else [path, "convert"]
    sys.exit("gen_photos: ImageMagick is needed (apt-get install imagemagick)")


# ------------------------------------------------------------------------------ EXIF

BYTE, ASCII, SHORT, LONG, RATIONAL, UNDEFINED = 1, 2, 3, 4, 5, 7


def entry(tag, kind, value):
    """One IFD entry as (tag, type, count, big-endian value bytes)."""
    if kind == ASCII:
        raw = value.encode("ascii") + b"\0"
        return tag, kind, len(raw), raw
    if kind in (BYTE, UNDEFINED):
        return tag, kind, len(value), bytes(value)
    if kind == SHORT:
        return tag, kind, 1, struct.pack(">H", value)
    if kind == LONG:
        return tag, kind, 1, struct.pack(">I", value)
    if kind == RATIONAL:
        return tag, kind, len(value), b"".join(struct.pack(">II", n, d) for n, d in value)
    raise ValueError(kind)


def ifd(entries, start, next_ifd=0):
    """An IFD at offset `start` of the TIFF block: its bytes, values longer than 4 bytes after it."""
    entries = sorted(entries)
    data_at = start + 2 + 12 * len(entries) + 4
    head, data = [struct.pack(">H", len(entries))], []
    for tag, kind, count, raw in entries:
        if len(raw) <= 4:
            head.append(struct.pack(">HHI", tag, kind, count) + raw.ljust(4, b"\0"))
        else:
            head.append(struct.pack(">HHII", tag, kind, count, data_at))
            data.append(raw + (b"\0" if len(raw) % 2 else b""))
            data_at += len(data[-1])
    head.append(struct.pack(">I", next_ifd))
    return b"".join(head) + b"".join(data)


def ifd_size(entries):
    extra = sum(len(r) + len(r) % 2 for _, _, _, r in entries if len(r) > 4)
    return 2 + 12 * len(entries) + 4 + extra


def rational_dms(degrees):
    """Degrees as the three EXIF rationals degrees, minutes, seconds (1/100 s)."""
    d = int(degrees)
    m = int((degrees - d) * 60)
    s = round(((degrees - d) * 60 - m) * 60 * 100)
    return [(d, 1), (m, 1), (s, 100)]


def exif_app1(meta):
    """The APP1 segment holding `meta`'s tags, big-endian TIFF as most cameras write."""
    ifd0 = [
        entry(0x010F, ASCII, meta["make"]),
        entry(0x0110, ASCII, meta["model"]),
        entry(0x011A, RATIONAL, [(72, 1)]),
        entry(0x011B, RATIONAL, [(72, 1)]),
        entry(0x0128, SHORT, 2),
        entry(0x0132, ASCII, meta["date"]),
        entry(0x0213, SHORT, 1),
    ]
    if meta["orientation"] is not None:
        ifd0.append(entry(0x0112, SHORT, meta["orientation"]))
    exif = [
        entry(0x9000, UNDEFINED, b"0232"),
        entry(0x9003, ASCII, meta["date"]),
        entry(0x9101, UNDEFINED, [1, 2, 3, 0]),
        entry(0xA000, UNDEFINED, b"0100"),
        entry(0xA001, SHORT, 1),
        entry(0xA002, LONG, meta["width"]),
        entry(0xA003, LONG, meta["height"]),
    ]
    gps = []
    if meta.get("gps"):
        lat, lon, alt = meta["gps"]
        gps = [
            entry(0x0000, BYTE, [2, 3, 0, 0]),
            entry(0x0001, ASCII, "N" if lat >= 0 else "S"),
            entry(0x0002, RATIONAL, rational_dms(abs(lat))),
            entry(0x0003, ASCII, "E" if lon >= 0 else "W"),
            entry(0x0004, RATIONAL, rational_dms(abs(lon))),
            entry(0x0005, BYTE, [0]),
            entry(0x0006, RATIONAL, [(alt, 10)]),
        ]
    # Pointers are LONGs, so IFD0's size is known before their values are.
    pointers = [entry(0x8769, LONG, 0)] + ([entry(0x8825, LONG, 0)] if gps else [])
    exif_at = 8 + ifd_size(ifd0 + pointers)
    gps_at = exif_at + ifd_size(exif)
    pointers = [entry(0x8769, LONG, exif_at)] + ([entry(0x8825, LONG, gps_at)] if gps else [])
    tiff = b"MM\0\x2a" + struct.pack(">I", 8) + ifd(ifd0 + pointers, 8) + ifd(exif, exif_at)
    if gps:
        tiff += ifd(gps, gps_at)
    body = b"Exif\0\0" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def with_exif(jpeg, app1):
    """`jpeg` with its APP0 (JFIF) segment replaced by `app1`, as a camera's file starts."""
    if jpeg[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    rest = jpeg[2:]
    if rest[:2] == b"\xff\xe0":
        rest = rest[2 + struct.unpack(">H", rest[2:4])[0]:]
    return b"\xff\xd8" + app1 + rest


# --------------------------------------------------------------------------- pictures


def plan(seed, i):
    """Everything random about picture `i`, from its own generator so pictures are independent
    of the order (and the number of workers) they are made in."""
    rng = Random(seed * 1_000_003 + i)
    w, h = rng.choice(SENSORS)
    total = sum(layout[0] for layout in LAYOUTS)
    pick = rng.uniform(0, total)
    for weight, orientation, upright_portrait, stored_portrait in LAYOUTS:
        pick -= weight
        if pick <= 0:
            break
    # Upright size: what a viewer shows after applying the orientation.
    uw, uh = (h, w) if upright_portrait else (w, h)
    sw, sh = (h, w) if stored_portrait else (w, h)
    if orientation in (6, 8):
        sw, sh = uh, uw
    c1, c2 = rng.sample(PALETTE, 2)
    shapes = []
    for _ in range(rng.randint(2, 6)):
        color = rng.choice(PALETTE)
        alpha = rng.uniform(0.25, 0.7)
        r, g, b = (int(color[k:k + 2], 16) for k in (1, 3, 5))
        fill = f"rgba({r},{g},{b},{alpha:.2f})"
        x, y = rng.randint(0, sw), rng.randint(0, sh)
        size = rng.randint(min(sw, sh) // 12, min(sw, sh) // 3)
        if rng.random() < 0.5:
            shapes += ["-fill", fill, "-draw", f"circle {x},{y} {x + size},{y}"]
        else:
            x2, y2 = x + rng.randint(size // 3, size * 2), y + rng.randint(size // 3, size * 2)
            shapes += ["-fill", fill, "-draw", f"rectangle {x},{y} {x2},{y2}"]
    date = (f"{rng.randint(2012, 2025)}:{rng.randint(1, 12):02}:{rng.randint(1, 28):02} "
            f"{rng.randint(6, 21):02}:{rng.randint(0, 59):02}:{rng.randint(0, 59):02}")
    gps = None
    if rng.random() < 0.4:
        gps = (rng.uniform(-55, 70), rng.uniform(-180, 180), rng.randint(0, 25000))
    return {
        "upright": (uw, uh), "stored": (sw, sh), "orientation": orientation,
        "plasma": f"{c1}-{c2}", "sky": rng.choice(SKIES), "ground": rng.choice(GROUNDS),
        "grain": rng.uniform(0.3, 0.6), "quality": rng.randint(80, 92), "shapes": shapes,
        "im_seed": rng.randint(1, 2**31 - 1),
        "meta": {"make": "Kiosque", "model": f"Bench Camera {rng.randint(1, 9)}",
                 "date": date, "orientation": orientation, "width": sw, "height": sh,
                 "gps": gps},
    }


def make(convert, seed, outdir, name, i):
    p = plan(seed, i)
    uw, uh = p["upright"]
    sw, sh = p["stored"]
    lw, lh = max(uw // DETAIL, 16), max(uh // DETAIL, 16)
    # The texture is made upright (sky at the top) and small, turned the way the camera stored
    # it, enlarged, then shapes are drawn: a viewer applying the orientation sees the sky on top.
    cmd = convert + [
        "-seed", str(p["im_seed"]),
        "-size", f"{lw}x{lh}", f"plasma:{p['plasma']}",
        "(", "-size", f"{lw}x{lh}", f"gradient:{p['sky']}-{p['ground']}", ")",
        "-compose", "softlight", "-composite",
        "-attenuate", f"{p['grain']:.2f}", "+noise", "Gaussian",
        "-rotate", str(STORE_ROTATION[p["orientation"]]),
        "-filter", "Triangle", "-resize", f"{sw}x{sh}!",
        *p["shapes"],
        "-strip", "-sampling-factor", "2x2", "-quality", str(p["quality"]),
        "jpg:-",
    ]
    # One thread per convert: the workers are the parallelism, and ImageMagick's noise is
    # only reproducible from its seed on a single thread.
    env = dict(os.environ, MAGICK_THREAD_LIMIT="1")
    out = subprocess.run(cmd, capture_output=True, env=env)
    if out.returncode != 0 or not out.stdout:
        raise RuntimeError(f"convert failed for {name}: {out.stderr.decode(errors='replace')}")
    data = with_exif(out.stdout, exif_app1(p["meta"]))
    path = os.path.join(outdir, name)
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)
    return len(data), p["orientation"], p["meta"]["gps"] is not None


def main():
    ap = argparse.ArgumentParser(description="Generate photo-like JPEGs with EXIF for benchmarks.")
    ap.add_argument("n", type=int, nargs="?", default=2000, help="number of photos (default 2000)")
    ap.add_argument("outdir", help="output folder")
    ap.add_argument("--seed", type=int, default=42, help="random seed (default: 42)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="parallel convert processes (default: the number of cores)")
    args = ap.parse_args()
    if args.n < 0:
        ap.error("N must be >= 0")
    if args.jobs < 1:
        ap.error("--jobs must be >= 1")

    convert = find_convert()
    os.makedirs(args.outdir, exist_ok=True)
    digits = max(4, len(str(args.n - 1)))
    names = [f"p{i:0{digits}d}.jpg" for i in range(args.n)]

    t0 = time.perf_counter()
    total, oriented, located, done = 0, {}, 0, 0
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(make, convert, args.seed, args.outdir, name, i)
                   for i, name in enumerate(names)]
        for fut in futures:
            size, orientation, gps = fut.result()
            total += size
            oriented[orientation] = oriented.get(orientation, 0) + 1
            located += gps
            done += 1
            if done % 200 == 0:
                print(f"gen_photos: {done}/{args.n} in {time.perf_counter() - t0:.1f}s",
                      file=sys.stderr)

    dt = time.perf_counter() - t0
    mean = total / args.n / 1e6 if args.n else 0
    tags = ", ".join(f"{'none' if k is None else k}: {v}"
                     for k, v in sorted(oriented.items(), key=lambda kv: kv[0] or 0))
    print(f"gen_photos: {args.n} photos, {total / 1e6:.1f} MB (mean {mean:.2f} MB), "
          f"orientation {{{tags}}}, GPS on {located}, seed {args.seed}, {args.jobs} jobs, "
          f"{dt:.1f}s ({args.n / dt if dt else 0:.1f} photos/s) -> {os.path.abspath(args.outdir)}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
