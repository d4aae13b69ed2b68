"""The four seed articles that specify the models, in one table every citation refers to.

The seed articles are the text files in ``../shared/seeds/`` beside the project; a model,
design or instrument cites them as ``file:lines`` (``001_0ff89a4813f73384.txt:2411-2444``),
so that a reader can open the file at the line. Code builds those citations from the
constants here (``f"{BANKS}:2411-2444"``: a :class:`Seed` formats as its file name), so a
file name is spelled once.

Authors, years and titles are those the files state; where a file does not state them,
:attr:`Seed.note` says where they come from. The data sets in ``datasets/`` cite the same
files by name in their ``source`` columns (data, checked by the tests against the seed
lines).

Examples
--------
>>> f"{BANKS}:2411-2444"
'001_0ff89a4813f73384.txt:2411-2444'
>>> BARENBERG.author, BARENBERG.year
('Mark Barenberg', '2009')
>>> SEEDS[BANKS.file] is BANKS
True
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Seed:
    """One seed article: its file in ``../shared/seeds/`` and what it is."""

    file: str
    author: str
    year: str
    title: str
    venue: str = ""
    note: str = ""

    def __str__(self) -> str:
        return self.file

    def cite(self, lines: str) -> str:
        """A citation of ``lines`` of this article, ``"file:lines"``.

        >>> LECLERCQ.cite("L526-560")
        '003_2bd722cc361fa659.txt:L526-560'
        """
        return f"{self.file}:{lines}"


MENASHE = Seed(
    "000_cdb709224d31b41b.txt",
    "Maayan Menashe",
    "c. 2025",
    "How International Labor Law Is Actually Enforced and Why It Matters",
    "Harvard International Law Journal",
    note="the file states title and author; the journal and the year come from the "
    "project's research notes (the year inferred from its latest citations)",
)
BANKS = Seed(
    "001_0ff89a4813f73384.txt",
    "Kevin Banks",
    "c. 2010",
    "Trade, Labor and International Governance: An Inquiry into the Potential "
    "Effectiveness of the New International Labor Law",
    "manuscript (SSRN 1657745); published in Berkeley Journal of Employment and Labor Law 32 (2011)",
    note="the file carries no title or author name; the author is identified by its "
    "self-citations, the title and venue are those of the probable published version",
)
BARENBERG = Seed(
    "002_fe9755c5db777969.txt",
    "Mark Barenberg",
    "2009",
    "Sustaining Workers' Bargaining Power in an Age of Globalization: Institutions for the "
    "Meaningful Enforcement of International Labor Rights",
    "Economic Policy Institute, Briefing Paper 246 (October 9, 2009)",
)
LECLERCQ = Seed(
    "003_2bd722cc361fa659.txt",
    "Desirée LeClercq",
    "c. 2023",
    "A Worker-Centered Trade Policy",
    "Columbia Journal of Transnational Law",
    note="the file states title, author and journal; the year is inferred from the "
    "2022 workshops it thanks",
)

#: Every seed by file name, in file order.
SEEDS: dict[str, Seed] = {s.file: s for s in (MENASHE, BANKS, BARENBERG, LECLERCQ)}

__all__ = ["BANKS", "BARENBERG", "LECLERCQ", "MENASHE", "SEEDS", "Seed"]
