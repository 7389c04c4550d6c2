"""Import policy for raw bytes.

- UTF-8, strictly; a leading UTF-8 BOM is removed.
- UTF-16 (LE or BE) only with a BOM, which is removed.
- NUL bytes, invalid UTF-8 and control characters typical of binary files are refused
  with the byte offset of the first offending byte.
- Nothing else is changed: line endings (LF, CRLF, CR) stay as they are and there is no
  Unicode normalisation, so offsets computed by other tools on the same file stay valid.
"""

from __future__ import annotations

import codecs
import re

from annotator.core.errors import InputError

# NUL and the C0 controls other than TAB, LF, VT, FF, CR and ESC almost never occur in
# text and almost always in binary content.
_BINARY_CONTROL = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def decode_text(data: bytes, where: str) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return _utf8(data, len(codecs.BOM_UTF8), where)
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _utf16(data, len(bom), codec, where)
    return _utf8(data, 0, where)


def _utf8(data: bytes, skip: int, where: str) -> str:
    nul = data.find(b"\x00", skip)
    if nul >= 0:
        raise InputError(where, f"byte {nul}", "NUL byte: this looks like a binary file, not UTF-8 text")
    try:
        text = data[skip:].decode("utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise InputError(
            where, f"byte {skip + exc.start}", f"invalid UTF-8 ({exc.reason}, byte 0x{data[skip + exc.start]:02x})"
        ) from None
    _refuse_binary_controls(text, data, skip, where, "utf-8")
    return text


def _utf16(data: bytes, skip: int, codec: str, where: str) -> str:
    body = data[skip:]
    if len(body) % 2:
        raise InputError(where, f"byte {len(data) - 1}", "UTF-16 text with an odd number of bytes")
    try:
        text = body.decode(codec, errors="strict")
    except UnicodeDecodeError as exc:
        raise InputError(where, f"byte {skip + exc.start}", f"invalid UTF-16 ({exc.reason})") from None
    _refuse_binary_controls(text, data, skip, where, codec)
    return text


def binary_control(text: str) -> tuple[int, str] | None:
    """(code-point offset, description) of the first character the import policy refuses
    in a text, or None: the same policy for a .txt file and a JSONL record's text."""
    m = _BINARY_CONTROL.search(text)
    if m is None:
        return None
    return m.start(), "NUL character" if m.group() == "\x00" else f"control character U+{ord(m.group()):04X}"


def _refuse_binary_controls(text: str, data: bytes, skip: int, where: str, codec: str) -> None:
    found = binary_control(text)
    if found:
        offset = skip + len(text[: found[0]].encode(codec))
        raise InputError(where, f"byte {offset}", f"{found[1]}: this looks like a binary file, not text")
