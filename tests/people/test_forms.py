"""Every form a production writes a listed person's name in is matched, and words that only
look like a surname are not."""
from __future__ import annotations

import pytest

from reviewer.names.forms import parse, people_regex
from reviewer.pdf.search import _spans


def _found(names, text):
    rx = people_regex(names)
    return [text[a:b] for a, b in _spans(rx, text)]


@pytest.mark.parametrize("listed, text, want", [
    # surname first, capitals, initials, possessive (the "'s" stays), no accents
    ("María Elena García-López",
     "GARCIA-LOPEZ, Maria Elena met M. García-López and M.E. Garcia Lopez; García-López's car",
     ["GARCIA-LOPEZ, Maria Elena", "M. García-López", "M.E. Garcia Lopez", "García-López"]),
    ("Maria Garcia", "María García, GARCÍA, Maria, Garcia's file, GARCIA stated, Garci\u0301a",
     ["María García", "GARCÍA, Maria", "Garcia", "GARCIA", "Garci\u0301a"]),
    # a double surname typed without a hyphen: one of them, both, surname first
    ("Ana Lucía Martínez Ruiz", "Ana Martínez; MARTINEZ RUIZ, Ana Lucia; Ruiz; Martínez Ruiz",
     ["Ana Martínez", "MARTINEZ RUIZ, Ana Lucia", "Ruiz", "Martínez Ruiz"]),
    ("Martínez Ruiz, Ana", "Sra. Martínez and Ruiz", ["Martínez", "Ruiz"]),
    # a name that is also a word is boxed alone only written as a name
    ("John Price", "the price was paid; Price signed; PRICE; John Price", ["Price", "PRICE", "John Price"]),
    ("Patrick O'Brien", "Patrick O’Brien; O'BRIEN said; P. OBrien", ["Patrick O’Brien", "O'BRIEN", "P. OBrien"]),
    # not inside other words or other hyphenated names; a dash of any kind inside the name
    ("Jose Perez", "Perezoso, Perez-Ruiz, Jose P\u00e9rez, Jos\u00e9 Perez, J.\u00a0Perez",
     ["Jose P\u00e9rez", "Jos\u00e9 Perez", "J.\u00a0Perez"]),
    ("Jorge Flores-Vega", "Jorge Flores\u2013Vega and Jorge Flores-\nVega", ["Jorge Flores\u2013Vega", "Jorge Flores-\nVega"]),
])
def test_forms(listed, text, want):
    assert _found([listed], text) == want


def test_short_surnames_are_not_boxed_alone():
    assert _found(["Wei Ng"], "Ng said; Wei Ng; NG, WEI") == ["Wei Ng", "NG, WEI"]


def test_typed_names_are_parsed_either_way():
    assert parse("Garcia Lopez, Maria Elena").surnames == ("Garcia", "Lopez")
    assert parse("Maria Elena Garcia-Lopez").given == ("Maria", "Elena")
    assert parse("  ,  ") is None and parse("123") is None
