"""Search text without Vietnamese diacritics, so "trom cap" finds "Trộm cắp"."""

import unicodedata


def fold(text: str) -> str:
    # đ/Đ is a letter of its own, not d + a combining mark, so NFD alone leaves it.
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
