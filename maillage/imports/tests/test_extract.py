"""Extraction on messy reports written differently from the samples."""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from maillage.core.text import normalise
from maillage.imports import review
from maillage.imports.extract import extract

MESSY_FORUM = """Forum ouvert des acteurs du Lauragais
Rencontre annuelle - Castelnaudary, 3 octobre 2024

COMPTE RENDU DU GROUPE N° 2 : Mobilités douces
Constats
- peu de pistes cyclables entre villages

Compte rendu groupe 4 : « Tiers-lieux »
Idées
Un annuaire des tiers-lieux

Suites à donner : 6 personnes inscrites
- Jean Dupont - jean.dupont@example.org - 06.12.34.56.78
- Amélie Roux (Tiers-lieu La Fabrique) Tél : 05 61 00 00 00
- Jean Dupont
- BERNARD Lucie, lucie.bernard@example.net
- Karim Saïdi : karim.saidi@example.org ; 07 00 00 00 01

mailto:jean.dupont@example.org
mailto:lucie.bernrd@example.net
mailto:karim.saidi@example.org

Compte-rendu  Groupe 9  : Habitat partagé
Le réseau peut ou doit continuer     Le réseau ne doit pas aller plus loin     Peut faire avec
Accompagner les projets              Non rempli                                 ADIL, CAUE

Suites à donner
4 à 5 personnes inscrites
Claire Petit claire.petit@example.org
"""


def _group(draft, number):
    return next(g for g in draft["groups"] if review.value(g["number"]) == number)


def _text_of(draft_text: str, line: int) -> str:
    return draft_text.split("\n")[line - 1]


def test_irregular_group_headings():
    draft = extract(MESSY_FORUM)
    assert draft["kind"] == "open_forum_synthesis"
    assert [review.value(g["number"]) for g in draft["groups"]] == [2, 4, 9]
    assert review.value(_group(draft, 2)["title"]) == "Mobilités douces"
    assert review.value(_group(draft, 4)["title"]) == "Tiers-lieux"
    assert review.value(_group(draft, 9)["title"]) == "Habitat partagé"
    assert review.value(draft["event"]["date"]) == "2024-10-03"
    assert review.value(draft["event"]["place"]) == "Castelnaudary"


def test_contacts_with_phones_duplicates_and_mailto_typos():
    draft = extract(MESSY_FORUM)
    group = _group(draft, 4)
    contacts = [review.contact_fields(c) for c in group["follow_up"]]
    assert [c["name"] for c in contacts] == [
        "Jean Dupont",
        "Amélie Roux",
        "Lucie Bernard",  # « BERNARD Lucie »: the surname written first, in capitals
        "Karim Saïdi",
    ]
    jean, amelie, lucie, karim = contacts
    assert jean["email"] == "jean.dupont@example.org"
    assert jean["phone"] == "06.12.34.56.78"
    assert amelie["organisation"] == "Tiers-lieu La Fabrique"
    assert amelie["phone"] == "05 61 00 00 00"
    assert amelie["email"] == ""
    assert lucie["email"] == "lucie.bernard@example.net"
    assert karim["phone"] == "07 00 00 00 01"
    # Jean Dupont, listed twice, is one contact that keeps both lines.
    assert len(group["follow_up"][0]["lines"]) == 2
    # The misspelt mailto: address creates nobody and is pointed out to the reviewer.
    emails = {review.contact_fields(c)["email"] for c in review.contacts(draft)}
    assert "lucie.bernrd@example.net" not in emails
    questions = [review.question_text(q) for q in draft["reviewer_questions"]]
    typo = next(q for q in draft["reviewer_questions"] if q["code"] == "mailto_typo")
    assert typo["params"] == {
        "line": 20,
        "address": "lucie.bernrd@example.net",
        "listed": "lucie.bernard@example.net",
    }
    assert any("lucie.bernrd@example.net" in q and "faute de frappe" in q for q in questions)
    assert {i["reason"] for i in draft["ignored"]} == {"mailto_repeat", "mailto_unknown"}
    # 6 announced, 4 listed: the reviewer sees both.
    assert review.value(group["follow_up_declared"]) == 6
    assert any("Groupe 4" in q and "4 contact" in q for q in questions)


def test_role_of_the_network_and_empty_cells():
    group = _group(extract(MESSY_FORUM), 9)
    role = {part: [review.value(i) for i in group["role"][part]] for part in review.ROLE_PARTS}
    # « Non rempli » is an empty cell, not an item.
    assert role == {"continue": ["Accompagner les projets"], "stop": [], "with": ["ADIL, CAUE"]}
    assert group["role"]["uncertain"] is False
    assert review.value(group["follow_up_declared"]) == "4 à 5"


def test_every_value_comes_from_its_lines():
    draft = extract(MESSY_FORUM)
    for _key, node in review.walk(draft):
        value = node.get("value")
        if isinstance(value, str) and node["lines"] and "@" in value:
            source = " ".join(_text_of(MESSY_FORUM, n) for n in node["lines"])
            assert value in source.lower()
    for contact in review.contacts(draft):
        assert contact["lines"]


def test_lines_nobody_placed_are_listed():
    text = MESSY_FORUM.replace("Idées\n", "Idées\n\nUne remarque entendue à la pause\n\nIdées\n")
    draft = extract(text + "\nMerci à toutes et à tous\n")
    unplaced = {u["text"] for u in draft["unplaced"]}
    assert "Merci à toutes et à tous" not in {
        review.text(n) for _k, n in review.walk(draft) if "value" in n
    }
    assert "Rencontre annuelle - Castelnaudary, 3 octobre 2024" not in unplaced


def test_pdf_style_text_without_blank_lines_or_column_spacing():
    flattened = "\n".join(
        " ".join(line.split()) for line in MESSY_FORUM.split("\n") if line.strip()
    )
    draft = extract(flattened)
    assert [review.value(g["number"]) for g in draft["groups"]] == [2, 4, 9]
    assert len(_group(draft, 4)["follow_up"]) == 4
    assert draft["stats"]["distinct_emails"] == 4
    # The three columns ran together: the empty cell (« Non rempli ») is what tells them
    # apart, and nothing of the header is an item.
    role = {p: [review.value(i) for i in _group(draft, 9)["role"][p]] for p in review.ROLE_PARTS}
    assert role == {"continue": ["Accompagner les projets"], "stop": [], "with": ["ADIL, CAUE"]}


def test_a_flattened_role_table_without_a_clue_asks_the_reviewer():
    flattened = MESSY_FORUM.replace("Non rempli", "Rien de plus").replace("     ", " ")
    group = _group(extract(flattened), 9)
    assert group["role"]["uncertain"] is True
    draft = extract(flattened)
    assert {"code": "role_columns", "params": {"group": 9}} in draft["reviewer_questions"]
    questions = [review.question_text(q) for q in draft["reviewer_questions"]]
    assert any("colonnes" in q for q in questions)


def test_a_document_of_unknown_kind_keeps_its_lines_for_the_reviewer():
    draft = extract("Liste de courses\nPain\nLait\n")
    assert draft["kind"] == "unknown"
    assert review.value(draft["event"]["title"]) == "Liste de courses"
    assert {u["text"] for u in draft["unplaced"]} == {"Pain", "Lait"}


def test_names_in_capitals_are_the_same_people():
    draft = extract(
        "Atelier 5 - Énergie\n\nPorteurs\n\nJeanne MARTIN-DUPRÉ et Luc PETIT\n\n"
        "Participants\n\nJeanne Martin-Dupré, Omar\n"
    )
    (group,) = draft["groups"]
    carriers = [normalise(review.value(c)) for c in group["carriers"]]
    participants = [normalise(review.value(p)) for p in group["participants"]]
    assert carriers == ["jeanne martin dupre", "luc petit"]
    assert participants == ["jeanne martin dupre", "omar"]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=600))
def test_any_text_gives_a_draft_pointing_to_real_lines(text):
    draft = extract(text)
    count = len(text.split("\n"))
    for _key, node in review.walk(draft):
        assert all(1 <= n <= count for n in node.get("lines", []))
    for line in draft["unplaced"]:
        assert 1 <= line["line"] <= count


_FORM_KEYS = ["v-v1", "v-v2", "v-v3", "v-v5", "seen-v1", "keep-v2", "v-x", "seen-g4"]
_FORM_KEYS += ["action", "merge-c30", "merge-c31", "to-v12"]


@settings(max_examples=80, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(_FORM_KEYS),
        st.one_of(
            st.text(max_size=50),
            st.sampled_from(["move:v12>stop", "move:v12>s3", "split:c30", "confirm:c31", "c31"]),
        ),
    )
)
@example({"v-v1": "²"})  # a Unicode digit: isdigit() says yes, int() says no
def test_any_review_form_gives_a_draft_or_errors(data):
    draft = extract(MESSY_FORUM)
    corrected, errors = review.apply(draft, data)
    assert isinstance(errors, list)
    for _key, node in review.walk(corrected):
        assert isinstance(node.get("dropped", False), bool)


def test_two_structures_in_one_phrase_are_two_participants():
    draft = extract(
        "RÉSEAU DES COMMUNES\nWebinaire « Les cafés de village »\n5 février 2025\n\n"
        "Participants\n- Commune de Lavaur et Association Le Comptoir\n"
        "- Syndicat des eaux ; CCAS de Millau\n- Maison de la nature et de l'environnement\n"
        "\nRetours d'expérience\n"
    )
    assert draft["kind"] == "webinar_report"
    assert [review.value(p["organisation"]) for p in draft["participants"]] == [
        "Commune de Lavaur",
        "Association Le Comptoir",
        "Syndicat des eaux",
        "CCAS de Millau",
        # « et » inside one structure's name does not cut it.
        "Maison de la nature et de l'environnement",
    ]
