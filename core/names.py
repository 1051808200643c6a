"""Vietnamese name order, as offices list people: by given name (tên, the last word), then family name (họ),
then middle names (tên đệm), letter by letter in the Vietnamese alphabet (a ă â b c d đ e ê g h i k l m n o ô ơ
p q r s t u ư v x y), tone marks deciding only between names otherwise equal.

Code-point order puts "Đặng" after "Vũ" and "Ánh" after "Yến"; a database collation cannot be relied upon
(PostgreSQL's depends on the server's locale, SQLite has none). So the key is a string of digits, which every
collation orders the same way, stored on the person and indexed (team.User.name_sort_key).
"""

import unicodedata

# Two digits per letter; "00" ends a word, so "An" comes before "Anh". f, j, w, z (foreign names) sit where
# the Latin alphabet puts them; digits come before letters ("Cán bộ Số 5").
ALPHABET = "0123456789aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
LETTER_CODES = {letter: f"{index + 1:02d}" for index, letter in enumerate(ALPHABET)}
UNKNOWN_LETTER = "99"
END_OF_WORD = "00"

# The letter-making marks stay with the letter (ă, â, ê, ô, ơ, ư); the tone marks are the secondary order:
# no mark, huyền, hỏi, ngã, sắc, nặng (a à ả ã á ạ), as dictionaries list them.
LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
TONE_DIGITS = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}


def _letters(word: str) -> list[tuple[str, str]]:
    """(letter, tone digit) pairs of a word: "Ấn" → [("â", "4"), ("n", "0")]."""
    letters = []
    for char in unicodedata.normalize("NFD", word.lower()):
        if char in TONE_DIGITS and letters:
            letters[-1] = (letters[-1][0], TONE_DIGITS[char])
        elif char in LETTER_MARKS and letters:
            letters[-1] = (unicodedata.normalize("NFC", letters[-1][0] + char), letters[-1][1])
        elif unicodedata.category(char).startswith(("L", "N")):
            letters.append((char, "0"))
        # anything else (hyphens, dots, other marks) does not count
    return letters


def name_order(full_name: str) -> list[str]:
    """The words of a name in the order they are sorted by: given name, family name, middle names."""
    words = full_name.split()
    if len(words) < 2:
        return words
    return [words[-1], words[0], *words[1:-1]]


def name_sort_key(full_name: str) -> str:
    """A string of digits that sorts names the Vietnamese way under any collation.

    Word by word: its letters, then its tones, so every "Anh" comes before every "Ánh", and both before "Ao".
    """
    key = []
    for word in name_order(full_name):
        letters = _letters(word)
        key += [LETTER_CODES.get(letter, UNKNOWN_LETTER) for letter, _tone in letters]
        key.append(END_OF_WORD)
        # Words with equal letters have equal lengths, so their tones line up.
        key += [tone for _letter, tone in letters]
    return "".join(key)
