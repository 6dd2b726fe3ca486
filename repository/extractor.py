"""Text extraction, run as `python -m repository.extractor PATH MIME` in a child process.

Imports nothing from Django. Hard limits on memory and CPU time are set before any file is
opened; output is one JSON object {"text": ..., "error": ...} on stdout. Error codes:
"damaged" (cannot be parsed), "too_big" (expands beyond the limits).
"""

import json
import re
import sys
import zipfile
from html.parser import HTMLParser

MAX_TEXT = 1_000_000  # characters kept
MAX_XML = 50 * 1024 * 1024  # bytes of one XML part read from an office file
MAX_PAGES = 2000
MEMORY_LIMIT = 1024 * 1024 * 1024
CPU_SECONDS = 15


class TooBig(Exception):
    pass


def _limit():
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not on every platform
        pass


def _pdf(path):
    from pypdf import PdfReader

    reader = PdfReader(path, strict=False)
    if reader.is_encrypted:
        return ""
    parts, length = [], 0
    for number, page in enumerate(reader.pages):
        if number >= MAX_PAGES or length > MAX_TEXT:
            break
        text = page.extract_text() or ""
        parts.append(text)
        length += len(text)
    return "\n".join(parts)


def _read_part(archive, name):
    """One zip entry, read in bounded chunks whatever size it claims."""
    out = bytearray()
    with archive.open(name) as part:
        while chunk := part.read(65536):
            out += chunk
            if len(out) > MAX_XML:
                raise TooBig
    return bytes(out)


def _xml_text(data, paragraph_tags):
    from defusedxml import ElementTree

    root = ElementTree.fromstring(data)
    lines = []
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1]
        if local in paragraph_tags:
            text = "".join(element.itertext()).strip()
            if text:
                lines.append(text)
    return "\n".join(lines)


def _docx(path):
    with zipfile.ZipFile(path) as archive:
        return _xml_text(_read_part(archive, "word/document.xml"), {"p"})


def _odt(path):
    with zipfile.ZipFile(path) as archive:
        return _xml_text(_read_part(archive, "content.xml"), {"p", "h"})


class _Stripper(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _read_text(path):
    with open(path, "rb") as handle:
        data = handle.read(MAX_TEXT * 4)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _html(path):
    stripper = _Stripper()
    stripper.feed(_read_text(path))
    return " ".join(stripper.parts)


READERS = {
    "application/pdf": _pdf,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _docx,
    "application/vnd.oasis.opendocument.text": _odt,
    "text/html": _html,
    "text/plain": _read_text,
    "text/csv": _read_text,
}


def extract(path, mime):
    reader = READERS.get(mime)
    if reader is None:
        return {"text": "", "error": ""}
    try:
        text = reader(path)
    except TooBig:
        return {"text": "", "error": "too_big"}
    except MemoryError:
        return {"text": "", "error": "too_big"}
    except Exception:  # noqa: BLE001 - any parser failure means a damaged file
        return {"text": "", "error": "damaged"}
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r"\n\s*\n+", "\n\n", text).strip()
    return {"text": text[:MAX_TEXT], "error": ""}


if __name__ == "__main__":
    _limit()
    sys.stdout.write(json.dumps(extract(sys.argv[1], sys.argv[2])))
