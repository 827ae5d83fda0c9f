"""A print job's booklet: every printed page in one PDF, written out as it grows."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf


class Booklet:
    """The booklet's pages, each added as it is printed; blank backs on request.

    Joined with qpdf (pikepdf), which copies a page in a few milliseconds. qpdf keeps
    each page's own PDF open (with its structure tree) until it writes the pages out, so
    every CHUNK pages are written to a file in folder, and the files joined at the end:
    memory does not grow with the size of the batch.
    """

    CHUNK = 25

    def __init__(self, title: str, blank_backs: bool, folder: Path) -> None:
        self.title, self.blank_backs, self.folder = title, blank_backs, folder
        self.chunk = pikepdf.new()
        self.sources: list[pikepdf.Pdf] = []
        self.chunks: list[Path] = []
        self.pages = 0

    def add(self, pdf: bytes) -> None:
        """Add one profile's page, and a blank page behind it for double-sided printing."""
        source = pikepdf.open(io.BytesIO(pdf))
        self.sources.append(source)
        page = source.pages[0]
        self.chunk.pages.append(page)
        if self.blank_backs:
            box = page.mediabox
            self.chunk.add_blank_page(page_size=(float(box[2]), float(box[3])))
        self.pages += 1
        if len(self.sources) >= self.CHUNK:
            self.write_chunk()

    def write_chunk(self) -> None:
        """Write the pages added since the last chunk to a file, and let go of them."""
        path = self.folder / f"{len(self.chunks)}.pdf"
        self.chunk.save(path)
        self.close()
        self.chunks.append(path)
        self.chunk = pikepdf.new()

    def close(self) -> None:
        """Let go of the pages not yet written to a chunk."""
        for source in self.sources:
            source.close()
        self.sources = []
        self.chunk.close()

    def finish(self) -> bytes | None:
        """The whole booklet as one PDF; None when no page could be printed."""
        if self.sources:
            self.write_chunk()
        self.close()
        if not self.pages:
            return None
        chunks = [pikepdf.open(path) for path in self.chunks]
        try:
            with pikepdf.new() as booklet:
                booklet.docinfo["/Title"] = self.title
                for chunk in chunks:
                    booklet.pages.extend(chunk.pages)
                out = io.BytesIO()
                booklet.save(out)
                return out.getvalue()
        finally:
            for chunk in chunks:
                chunk.close()
