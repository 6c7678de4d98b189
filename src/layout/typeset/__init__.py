"""The Chinese typesetting layer used by the PDF writer.

WeasyPrint breaks lines well enough (Pango follows UAX #14) but justifies only spaces,
has no punctuation squeezing, no Han–Latin spacing and no protection against
one-character last lines.  This package adds them:

- :mod:`.markup` adds spans and break opportunities to the text (squeezed marks,
  Han–Latin runs, unbreakable "——"/"……", breaks beside quotation marks, the last two
  characters of a paragraph kept together); the CSS for them is in
  ``templates/page.css.j2``;
- :mod:`.justify` spreads each justified line's slack between its characters.

Switch it off with ``layout build --no-typeset`` (the benchmark compares both).
"""

from .justify import InternalsChanged, check_internals, install, justification
from .markup import headline_markup, typeset_markup

__all__ = [
    "InternalsChanged", "check_internals", "headline_markup", "install", "justification",
    "typeset_markup",
]
