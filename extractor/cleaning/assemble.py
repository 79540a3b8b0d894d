"""Join the kept segments into the cleaned text and record where each character came from.

Every character of the cleaned text is copied from the source, so ``OffsetMap.to_source`` maps
it to an equal character, with one exception: a newline *inserted* between two pieces of one
glued source line ("$45/hr" | "Posted Sep 15, 2025") maps to the first character of the piece
after it. Line breaks between lines are the source's own newlines; a blank line in the source
between two kept segments (even with dropped ones in between) becomes one blank line.
"""

from __future__ import annotations

from extractor.cleaning.segments import Segment
from extractor.document import OffsetMap

__all__ = ["assemble"]


class _Builder:
    def __init__(self, source: str) -> None:
        self.source = source
        self.parts: list[str] = []
        self.offsets = OffsetMap()
        self.pos = 0
        self.next_source = -1  # source offset right after the last copied character

    def copy(self, start: int, end: int) -> None:
        if start != self.next_source:
            self.offsets.add_run(self.pos, start)
        self.parts.append(self.source[start:end])
        self.pos += end - start
        self.next_source = end

    def insert_newline(self, maps_to: int) -> None:
        self.offsets.add_run(self.pos, maps_to)
        self.parts.append("\n")
        self.pos += 1
        self.next_source = -1

    def text(self) -> str:
        return "".join(self.parts)


def assemble(source: str, segments: list[Segment], keep: list[bool]) -> tuple[str, OffsetMap]:
    """The cleaned text made of the segments with ``keep[i]`` set, and its offset map."""
    builder = _Builder(source)
    prev: Segment | None = None
    for seg, kept in zip(segments, keep, strict=True):
        if not kept:
            continue
        if prev is not None:
            if seg.line_start == prev.line_start:
                builder.insert_newline(seg.start)
            else:
                builder.copy(prev.line_end, prev.line_end + 1)
                if seg.blank_nl > prev.line_end:
                    builder.copy(seg.blank_nl, seg.blank_nl + 1)
        builder.copy(seg.start, seg.end)
        prev = seg
    return builder.text(), builder.offsets
