"""What the demo meetings say: for each topic a lead paper, the contributions, the speeches
and what the chair concludes, written as a cell would write them (DOMAIN.md §5, §6, §12).

Texts are wrapped in the source; `paragraphs()` joins a paragraph's lines and keeps blank
lines as paragraph breaks, so every text stored is a few real paragraphs.
"""

import textwrap
from dataclasses import dataclass, field

OFFICE = "office"
RESIDENTIAL = "residential"


def paragraphs(text: str) -> str:
    """Unwrap source lines: one line per paragraph, paragraphs separated by a blank line."""
    blocks = textwrap.dedent(text).strip().split("\n\n")
    return "\n\n".join(" ".join(line.strip() for line in block.splitlines() if line.strip()) for block in blocks)


@dataclass(frozen=True)
class Piece:
    """A contribution or a speech: what it is about (`point`, used by the author's response
    and the conclusion) and what was said."""

    point: str
    text: str
    subject: str = ""  # a contribution's assigned subject


@dataclass(frozen=True)
class TopicText:
    key: str
    kind: str  # OFFICE or RESIDENTIAL
    title: str
    group: int
    purpose: str
    lead_paper: str
    lead_summary: str
    contributions: tuple[Piece, ...]
    speeches: tuple[Piece, ...]
    adopted: str
    orientation: str
    directed: bool = False
    extra: dict = field(default_factory=dict)


def _topic(**kwargs) -> TopicText:
    for name in ("purpose", "lead_paper", "lead_summary", "adopted", "orientation"):
        kwargs[name] = paragraphs(kwargs[name])
    for name in ("contributions", "speeches"):
        kwargs[name] = tuple(Piece(p.point, paragraphs(p.text), p.subject) for p in kwargs[name])
    return TopicText(**kwargs)
