"""Django's {# … #} comment ends at the end of its line: one that runs over two lines is printed on the page
(it happened on the printed incident sheet). Longer comments use {% comment %}."""

import re

from django.conf import settings


def test_no_template_comment_runs_over_a_line(db):  # db: the suite sets up its data once for every test
    broken = []
    for template in sorted((settings.BASE_DIR / "templates").rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for start in (match.start() for match in re.finditer(r"\{#", text)):
            end = text.find("#}", start)
            if end == -1 or "\n" in text[start:end]:
                broken.append(f"{template.relative_to(settings.BASE_DIR)}:{text.count(chr(10), 0, start) + 1}")
    assert broken == []
