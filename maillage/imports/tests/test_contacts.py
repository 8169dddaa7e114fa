"""One line of a sign-up list into fields: the cases real reports write."""

import pytest

from maillage.imports.contacts import edit_distance, find_phones, parse_line, person_name


@pytest.mark.parametrize(
    ("line", "fields"),
    [
        (
            "Tom (Thomas Lacombe) contact@garage.example.org",
            {"name": "Thomas Lacombe", "also_known_as": "Tom",
             "emails": ["contact@garage.example.org"]},
        ),
        (
            "Romain Esteve (Tiers-lieu La Fabrique) romain@fabrique.example.org",
            {"name": "Romain Esteve", "organisation": "Tiers-lieu La Fabrique"},
        ),
        (
            "collectif@tierslieux.example.org",
            {"name": "", "organisation": "", "emails": ["collectif@tierslieux.example.org"]},
        ),
        (
            "lucie.f@example.org (cantines, groupements de commandes)",
            {"name": "", "interests": "cantines, groupements de commandes"},
        ),
        (
            "Association Bio Garonne bio@example.org ; coordination@bio.example.org",
            {"name": "", "organisation": "Association Bio Garonne",
             "emails": ["bio@example.org", "coordination@bio.example.org"]},
        ),
        (
            "Élodie Fournier elodie@example.org / elodie@watts.example.org",
            {"emails": ["elodie@example.org", "elodie@watts.example.org"]},
        ),
        (
            "ARDEL : contact@ardel.example.org et formation@ardel.example.org",
            {"name": "", "organisation": "ARDEL"},
        ),
        (
            "Jean-Marc Vigouroux (07 00 00 00 17) jm@example.net",
            {"name": "Jean-Marc Vigouroux", "phone": "07 00 00 00 17", "organisation": ""},
        ),
        (
            "Kenza Aït-Ouali, Mission locale des Causses kenza@example.org",
            {"name": "Kenza Aït-Ouali", "organisation": "Mission locale des Causses"},
        ),
        ("P. Ribeiro", {"name": "P. Ribeiro", "emails": []}),
        ("J.-P. Marty", {"name": "J.-P. Marty", "surname_first": False}),
        ("Bastien", {"name": "Bastien"}),
    ],
)  # fmt: skip
def test_parse_line(line, fields):
    parsed = parse_line(line)
    assert parsed is not None
    for key, wanted in fields.items():
        assert getattr(parsed, key) == wanted, key


@pytest.mark.parametrize(
    "line",
    [
        "Les cantines ne trouvent pas assez de légumes locaux",
        "6 personnes inscrites pour poursuivre les échanges",
        "",
    ],
)
def test_prose_is_not_a_contact(line):
    assert parse_line(line) is None


def test_an_address_broken_by_spaces_is_reported_not_guessed():
    parsed = parse_line("Amandine Roques amandine.roques@example.f  r")
    assert parsed.name == "Amandine Roques"
    assert parsed.emails == []
    assert parsed.broken_email == "amandine.roques@example.f  r"


@pytest.mark.parametrize(
    ("written", "name", "swapped"),
    [
        ("Lacoste Hervé", "Hervé Lacoste", True),
        ("DUPONT Marie", "Marie Dupont", True),
        ("DE LA TOUR Anne", "Anne de La Tour", True),
        ("Hoarau Jean-Claude", "Jean-Claude Hoarau", True),
        ("Marie DUPONT", "Marie Dupont", False),
        ("Martin Paul", "Martin Paul", False),  # both could be first names: left as written
        ("Samir Belkacem", "Samir Belkacem", False),
    ],
)
def test_person_name_order(written, name, swapped):
    assert person_name(written) == (name, swapped)


@pytest.mark.parametrize(
    "text",
    [
        "06 00 00 00 42",
        "06.12.34.56.78",
        "+33 (0)6 12 34 56 78",
        "0033 6 12 34 56 78",
        "0596 00 00 31",  # Martinique
        "0262 00 00 47",  # La Réunion
        "0690 00 00 58",  # Guadeloupe, mobile
    ],
)
def test_phones_in_french_and_overseas_formats(text):
    found = find_phones(f"Nom Prénom {text} nom@example.org")
    assert [raw for raw, _start, _end in found] == [text]


def test_numbers_that_are_not_phones():
    assert find_phones("6 personnes inscrites le 23/11/2024, 38 participant·es") == []


def test_edit_distance_stops_early():
    assert edit_distance("contact@garage-solidaire.org", "contact@garage-solidare.org") == 1
    assert edit_distance("a@example.org", "quelquun.dautre@example.net", limit=2) == 3


def test_first_names_are_read_from_a_file_once_folded(tmp_path, monkeypatch):
    """The folded list is kept in the temporary folder; later processes read it."""
    from maillage.imports import contacts

    monkeypatch.setattr(contacts.tempfile, "gettempdir", lambda: str(tmp_path))
    contacts.first_names.cache_clear()
    try:
        names = contacts.first_names()
        (kept,) = tmp_path.glob("maillage-first-names-*.txt")
        assert {"herve", "gaelle", "jean claude"} <= names
        assert "lacoste" not in names
        # The next process trusts the file: what it says is what is used.
        kept.write_text("\n".join(["zzprenom", *sorted(names)]), encoding="utf-8")
        contacts.first_names.cache_clear()
        assert "zzprenom" in contacts.first_names()
    finally:
        contacts.first_names.cache_clear()
