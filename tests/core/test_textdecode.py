import codecs
import unicodedata

import pytest

from annotator.core.errors import InputError
from annotator.core.textdecode import decode_text
from tests.conftest import TRICKY


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_utf8_text_is_kept_exactly(name):
    text = TRICKY[name]
    assert decode_text(text.encode("utf-8"), "f.txt") == text


def test_no_silent_normalisation():
    nfd = TRICKY["vi_nfd"]
    assert unicodedata.normalize("NFC", nfd) != nfd
    assert decode_text(nfd.encode(), "f.txt") == nfd


def test_crlf_is_kept():
    assert decode_text(b"a\r\nb\rc\n", "f.txt") == "a\r\nb\rc\n"


def test_utf8_bom_is_stripped():
    assert decode_text(codecs.BOM_UTF8 + "ক্ষমতা".encode(), "f.txt") == "ক্ষমতা"


@pytest.mark.parametrize("codec,bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_utf16_with_bom_is_decoded(codec, bom):
    text = TRICKY["emoji_zwj"] + TRICKY["bengali"]
    assert decode_text(bom + text.encode(codec), "f.txt") == text


def test_invalid_utf8_names_file_and_byte():
    with pytest.raises(InputError) as err:
        decode_text("ক্ষ".encode() + b"\xff\xfe rest", "dir/bad.txt")
    assert err.value.where == "dir/bad.txt"
    assert err.value.place == "byte 9"
    assert "invalid UTF-8" in str(err.value) and "0xff" in str(err.value)


def test_truncated_multibyte_sequence_is_refused():
    with pytest.raises(InputError, match="byte 3"):
        decode_text(b"abc\xe0\xa6", "cut.txt")


def test_nul_byte_means_binary():
    with pytest.raises(InputError) as err:
        decode_text(b"PK\x03\x04\x00\x00zip", "archive.txt")
    assert err.value.place in ("byte 2", "byte 4")
    assert "binary" in str(err.value)


def test_binary_control_characters_are_refused_with_their_offset():
    with pytest.raises(InputError) as err:
        decode_text("é".encode() + b"ok\x01", "ctrl.txt")
    assert err.value.place == "byte 4"


def test_utf16_lone_surrogate_is_refused():
    with pytest.raises(InputError, match="invalid UTF-16"):
        decode_text(codecs.BOM_UTF16_LE + b"a\x00\x00\xd8b\x00", "s.txt")
