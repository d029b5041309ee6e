"""Conventions of the templates that a browser test would only catch page by page."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_every_select_sits_in_the_kern_wrapper_that_draws_its_box_and_arrow():
    # KERN UX draws the border, background and chevron of a select on its wrapper; a bare select reads as plain
    # text, and people do not see that they can choose.
    bare = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text()
        for match in re.finditer(r"<select\b", text):
            if not re.search(r'<div class="kern-form-input__select-wrapper">\s*$', text[: match.start()]):
                bare.append(f"{path.relative_to(TEMPLATES)}:{text.count(chr(10), 0, match.start()) + 1}")
    assert bare == []
    assert any("<select" in path.read_text() for path in TEMPLATES.rglob("*.html"))
