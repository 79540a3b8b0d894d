"""Build the part of the hostile-input corpus that cannot be committed: a 50 MB file, a file
over the input token budget, very long lines, a symlink loop, an unreadable file and a folder
named like a file. ``make_corpus(folder)`` copies the committed files beside them.

    python tests/data/bad/generate.py /tmp/bad     # to look at it by hand
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIG_BYTES = 50 * 1024 * 1024
LINE = "Forklift operators load trucks safely and keep the dock tidy. "


def write_big(path: Path, size: int = BIG_BYTES) -> None:
    """A plain-text file of ``size`` bytes, written in 1 MB blocks (never held whole)."""
    block = (("Warehouse Associate\n" + LINE * 16 + "\n") * 1200).encode()[: 1 << 20]
    with path.open("wb") as out:
        left = size
        while left > 0:
            out.write(block[:left])
            left -= len(block)


def make_corpus(folder: Path) -> Path:
    """The committed files plus the generated ones, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(HERE.glob("*.txt")):
        shutil.copyfile(path, folder / path.name)
    write_big(folder / "huge_50mb.txt")
    # ~380 kB, ~66,000 tokens: over the 24,000-token input budget of the LLM backend.
    (folder / "over_token_budget.txt").write_text("Dock Worker\n" + LINE * 6_000)
    # One 1 MB line (no newline at all) and a posting whose list is one 200 kB line.
    (folder / "one_long_line.txt").write_text(LINE * 16_000)
    (folder / "long_lines.txt").write_text(
        "Truck Driver\nAcme Freight\nDallas, TX\n$24/hr\n" + "- " + "CDL-A, " * 30_000 + "\n"
    )
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "dangling.txt").symlink_to(folder / "no-such-file")
    unreadable = folder / "unreadable.txt"
    unreadable.write_text("Line Cook\nDiner\n")
    unreadable.chmod(0)
    (folder / "x.txt").mkdir()  # a folder named like a file: walked, its posting taken
    (folder / "x.txt" / "inside.md").write_text("Barista\nBean There Cafe\nPortland, OR\n")
    return folder


def unreadable_is_unreadable(folder: Path) -> bool:
    """False when running as root (chmod 000 does not stop root), so tests can say so."""
    return not os.access(folder / "unreadable.txt", os.R_OK)


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1].startswith("-"):
        sys.exit("usage: python tests/data/bad/generate.py FOLDER")
    print(make_corpus(Path(sys.argv[1])))
