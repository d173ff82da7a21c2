#!/usr/bin/env python3
"""What writing a built site costs on this disk, with nothing rendered.

Reads every file of a built output folder into memory, then writes the same folders and files
into an empty folder with one process per core, as a build's writing threads do, and prints
how long the writing took. `scripts/bench.sh` runs it on each cold build's output (the
`write-only` row): the part of a build's time that no rendering work can take back.

    scripts/write_floor.py --from target/bench/corpus-10000-s42/kiosque-public-10000 \
        --to /tmp/floor [--processes 2] [--span FILE]

With --span, the start and end of the writing (seconds since the epoch) go to FILE, so that a
caller times the writing alone, not the reading before it.
"""

import argparse
import os
import sys
import time


def read_tree(root):
    """Every regular file under root: (path relative to root, bytes)."""
    files = []
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            if os.path.isfile(path) and not os.path.islink(path):
                with open(path, "rb") as f:
                    files.append((os.path.relpath(path, root), f.read()))
    return files


def in_processes(count, work):
    """Runs work(k) for k in 0..count in forked processes; fails if one fails."""
    pids = []
    for k in range(count):
        pid = os.fork()
        if pid == 0:
            try:
                work(k)
            except BaseException as error:  # the child must not return into the parent's code
                print(f"write_floor: {error}", file=sys.stderr)
                os._exit(1)
            os._exit(0)
        pids.append(pid)
    failed = [pid for pid in pids if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) != 0]
    if failed:
        sys.exit(f"write_floor: {len(failed)} of {count} writing processes failed")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="source", required=True, help="a built output folder")
    parser.add_argument("--to", dest="target", required=True, help="a folder to create")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--span", help="file to write the writing's start and end to")
    args = parser.parse_args()
    if os.path.exists(args.target):
        sys.exit(f"write_floor: {args.target} exists; give a folder to create")
    if args.processes < 1:
        sys.exit("write_floor: --processes must be at least 1")

    files = read_tree(args.source)
    if not files:
        sys.exit(f"write_floor: no files under {args.source}")
    folders = sorted({os.path.dirname(path) for path, _ in files})
    count = args.processes

    def make_folders(k):
        for i, folder in enumerate(folders):
            if i % count == k:
                os.makedirs(os.path.join(args.target, folder), exist_ok=True)

    def write_files(k):
        for i, (path, data) in enumerate(files):
            if i % count == k:
                with open(os.path.join(args.target, path), "wb") as f:
                    f.write(data)

    before = os.times()
    start = time.time()
    in_processes(count, make_folders)
    in_processes(count, write_files)
    end = time.time()
    after = os.times()
    if args.span:
        with open(args.span, "w") as f:
            f.write(f"{start} {end}\n")
    size = sum(len(data) for _, data in files)
    user = after.children_user - before.children_user
    system = after.children_system - before.children_system
    print(
        f"wrote {len(files)} files in {len(folders)} folders ({size / 1e6:.0f} MB) "
        f"with {count} processes in {end - start:.2f} s "
        f"(user {user:.2f} s, system {system:.2f} s)"
    )


if __name__ == "__main__":
    main()
