"""Text repair at ingest: every loader path passes its strings through `repair_text`, so a name that a source
double-encoded (UTF-8 bytes read as Latin-1 or cp1252 and written again: "Nikola JokiÄ\\x87", "Armel TraorÃ©") is
stored as written ("Nikola Jokić", "Armel Traoré"), and the same name from two sources is the same string (NFC).

The rule is a re-decode, not a guess: text whose Latin-1 bytes form valid UTF-8 is that UTF-8 (a Latin-1 letter is
never a UTF-8 continuation byte, so a name written in letters is never touched); the cp1252 reading is taken only
when the text also holds one of cp1252's punctuation marks ("â€™"), since its 0x80-0x9F range holds letters (Š, ž)
that a correct name may have. Repeated up to three times (a name encoded twice over).
"""

from __future__ import annotations

import unicodedata

# cp1252's non-letter characters of 0x80-0x9F: only mojibake puts them next to accented capitals.
_CP1252_MARKS = frozenset(c for c in bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore") if not c.isalpha())


def _redecode(text: str) -> str:
    codecs = ("latin-1", "cp1252") if _CP1252_MARKS.intersection(text) else ("latin-1",)
    for codec in codecs:
        try:
            return text.encode(codec).decode("utf-8")
        except UnicodeError:
            continue  # not this codec's image of UTF-8
    return text


def repair_text(value: str) -> str:
    """`value` with mojibake undone and composed (NFC); ASCII is returned as is (the common, fast case)."""
    if value.isascii():
        return value
    text = value
    for _ in range(3):
        fixed = _redecode(text)
        if fixed == text:
            break
        text = fixed
    return unicodedata.normalize("NFC", text)
