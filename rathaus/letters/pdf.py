"""HTML to PDF/A-3b, the archive format of every document Rathaus issues (receipts, decision letters)."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from fontTools.ttLib import TTFont
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse


@lru_cache(maxsize=32)
def _woff2_as_ttf(path: str) -> bytes:
    # KERN UX ships its fonts as WOFF2. Decompressing them costs WeasyPrint about half a second per document;
    # done once per process, a letter renders in a few hundredths of a second.
    font = TTFont(path)
    font.flavor = None
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


class LocalFetcher(URLFetcher):
    """Files of the front-end packages only: a document never fetches anything over the network."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file"})

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        path = Path(unquote(urlsplit(url).path)).resolve()
        if not path.is_relative_to(Path(settings.NODE_MODULES).resolve()):
            raise ValueError(f"documents may only use files of the front-end packages, not {path}")
        if path.suffix == ".woff2":
            return URLFetcherResponse(url, _woff2_as_ttf(str(path)), {"Content-Type": "font/ttf"})
        return super().fetch(url, headers)


def html_to_pdf_a(*, html: str, title: str | None = None, author: str | None = None) -> bytes:
    """`html` as PDF/A-3b bytes; page size comes from its @page rule. `title`, `author` override the HTML's own."""
    # Fonts and images resolve against node_modules (KERN UX ships Fira Sans).
    base = Path(settings.NODE_MODULES).resolve().as_uri() + "/"
    document = HTML(string=html, base_url=base, url_fetcher=LocalFetcher()).render()
    if title is not None:
        document.metadata.title = title
    if author is not None:
        document.metadata.authors = [author]
    return document.write_pdf(pdf_variant="pdf/a-3b")
