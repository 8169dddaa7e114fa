"""The directory through HTTP: privacy, ownership, moderation, duplicates, merge, filters."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from maillage.core.models import AuditEntry
from maillage.directory.duplicates import find_duplicates
from maillage.directory.models import ErrorReport, Initiative, Membership, Organisation, Person
from maillage.directory.services import person_for_user, records_merge
from maillage.directory.tests.factories import (
    InitiativeFactory,
    OrganisationFactory,
    PersonFactory,
    ThemeFactory,
    aude_and_herault,
)

pytestmark = pytest.mark.django_db


# --- Privacy -------------------------------------------------------------------------


def _person_with_contacts(**visibilities):
    fields = {
        "email": "claire.duval@example.org",
        "phone": "06 12 34 56 78",
        "address": "3 rue des Tilleuls, 81000 Albi",
    }
    return PersonFactory(
        name="Claire Duval",
        visibility="public",
        **fields,
        **{f"{k}_visibility": v for k, v in visibilities.items()},
    )


def test_contacts_are_private_by_default(client, member):
    person = PersonFactory(email="secret@example.org", phone="0600000000", address="Rue X")
    assert (
        person.email_visibility == person.phone_visibility == person.address_visibility == "private"
    )
    for viewer in (None, member):
        if viewer:
            client.force_login(viewer)
        html = client.get(person.get_absolute_url()).content.decode()
        assert "secret@example.org" not in html and "0600000000" not in html and "Rue X" not in html


def test_each_contact_field_has_its_own_visibility(client, member):
    person = _person_with_contacts(email="public", phone="members", address="private")
    anonymous = client.get(person.get_absolute_url()).content.decode()
    assert "claire.duval@example.org" in anonymous
    assert "06 12 34 56 78" not in anonymous and "Tilleuls" not in anonymous
    client.force_login(member)
    as_member = client.get(person.get_absolute_url()).content.decode()
    assert "06 12 34 56 78" in as_member and "Tilleuls" not in as_member


def test_owner_sees_their_own_private_contacts(client, owner, world):
    person = world["person"]
    person.address = "12 chemin du Moulin"
    person.save()
    client.force_login(owner)
    assert "12 chemin du Moulin" in client.get(person.get_absolute_url()).content.decode()


def test_private_profile_is_invisible_to_visitors_and_members(client, member):
    hidden = PersonFactory(name="Zoé Cachée", visibility="private")
    members_only = PersonFactory(name="Marc Membres", visibility="members")
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(members_only.get_absolute_url()).status_code == 404
    listing = client.get(reverse("directory:people")).content.decode()
    assert "Zoé Cachée" not in listing and "Marc Membres" not in listing
    client.force_login(member)
    listing = client.get(reverse("directory:people")).content.decode()
    assert "Zoé Cachée" not in listing and "Marc Membres" in listing


def test_json_ld_only_carries_visible_contacts(client):
    person = _person_with_contacts(email="private", phone="private", address="private")
    html = client.get(person.get_absolute_url()).content.decode()
    assert '"@type": "Person"' in html
    assert "claire.duval@example.org" not in html


# --- Ownership -----------------------------------------------------------------------


def test_a_member_cannot_edit_someone_elses_records(client, member, world):
    client.force_login(member)
    org, initiative = world["organisation"], world["initiative"]
    for url in (
        reverse("directory:organisation_edit", args=[org.pk]),
        reverse("directory:initiative_edit", args=[initiative.pk]),
    ):
        assert client.post(url, {"name": "Piraté", "title": "Piraté"}).status_code == 403
    org.refresh_from_db()
    initiative.refresh_from_db()
    assert org.name != "Piraté" and initiative.title != "Piraté"
    # The profile page only ever edits one's own profile.
    client.post(reverse("directory:profile_edit"), {"name": "Piraté", "visibility": "public"})
    world["person"].refresh_from_db()
    assert world["person"].name != "Piraté"


def test_member_fills_their_profile(client, member):
    client.force_login(member)
    response = client.post(
        reverse("directory:profile_edit"),
        {
            "name": "Camille Membre",
            "drives": "Relier les villages",
            "seeks": "Une animatrice",
            "offers": "Cartographie libre",
            "visibility": "public",
            "email_visibility": "private",
            "phone_visibility": "private",
            "address_visibility": "private",
            "website_visibility": "public",
            "social_links_visibility": "private",
            "email": "camille@example.org",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(user=member)
    assert person.drives == "Relier les villages"
    assert AuditEntry.objects.filter(action="person.update", object_id=str(person.pk)).exists()
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Relier les villages" in page


# --- Proposals and moderation ------------------------------------------------------


def _org_form(name="Mairie de Lavaur", **extra):
    data = {
        "name": name,
        "kind": "collectivite",
        "siren": "",
        "website_visibility": "public",
        "email_visibility": "private",
        "phone_visibility": "private",
        "address_visibility": "private",
        "social_links_visibility": "private",
    }
    data.update(extra)
    return data


def test_a_visitor_proposal_waits_for_validation(client, facilitator):
    response = client.post(reverse("directory:organisation_create"), _org_form("Les Amis du Tarn"))
    assert response.status_code == 302
    org = Organisation.objects.get(name="Les Amis du Tarn")
    assert org.status == "proposed" and org.created_by is None
    assert "Les Amis du Tarn" not in client.get(reverse("directory:organisations")).content.decode()
    assert client.get(org.get_absolute_url()).status_code == 404

    client.force_login(facilitator)
    assert "Les Amis du Tarn" in client.get(reverse("directory:moderation")).content.decode()
    client.post(reverse("directory:moderate", args=["structure", org.pk]), {"decision": "accept"})
    client.logout()
    assert "Les Amis du Tarn" in client.get(reverse("directory:organisations")).content.decode()


def test_a_rejected_proposal_disappears(client, member, facilitator):
    client.force_login(member)
    client.post(reverse("directory:organisation_create"), _org_form("Projet douteux"))
    org = Organisation.objects.get(name="Projet douteux")
    assert "Projet douteux" in client.get(reverse("directory:organisations")).content.decode()
    client.force_login(facilitator)
    client.post(reverse("directory:moderate", args=["structure", org.pk]), {"decision": "reject"})
    for viewer in (member, facilitator):
        client.force_login(viewer)
        assert (
            "Projet douteux" not in client.get(reverse("directory:organisations")).content.decode()
        )
        assert client.get(org.get_absolute_url()).status_code == 404


def test_a_facilitator_publishes_directly(client, facilitator):
    client.force_login(facilitator)
    client.post(reverse("directory:organisation_create"), _org_form("Réseau Sud"))
    assert Organisation.objects.get(name="Réseau Sud").status == "published"


# --- Duplicates and merge ----------------------------------------------------------


def test_duplicate_detection_folds_case_and_spacing():
    from maillage.directory.tests.factories import place

    places = aude_and_herault()
    pennautier = place(
        "commune",
        "11277",
        "Pennautier",
        departement=places["aude"],
        latitude=43.245,
        longitude=2.317,
    )
    existing = OrganisationFactory(name="Mairie de Lavaur", commune=places["carcassonne"])
    found = find_duplicates(Organisation, name="Mairie  de lavaur", commune=pennautier)
    assert found == [(existing, ["same_name", "neighbouring_commune"])]
    found = find_duplicates(Organisation, name="Mairie de Lavaur", commune=places["carcassonne"])
    assert found == [(existing, ["same_name", "same_commune"])]
    # Limoux is 22 km away: the same name there is another town hall's namesake, not a twin.
    found = find_duplicates(Organisation, name="Mairie de Lavaur", commune=places["limoux"])
    assert found == [(existing, ["same_name"])]
    assert find_duplicates(Organisation, name="Mairie de Gaillac") == []


def test_duplicates_by_website_and_siren():
    existing = OrganisationFactory(
        name="Énergies citoyennes", siren="732829320", website="https://www.ec.example.org/"
    )
    by_site = find_duplicates(Organisation, name="EC", website="http://ec.example.org/contact")
    by_siren = find_duplicates(Organisation, name="Autre nom", siren="732829320")
    assert by_site[0][0] == existing and "same_website" in by_site[0][1]
    assert by_siren[0][0] == existing and by_siren[0][1] == ["same_siren"]


def test_creation_warns_about_duplicates_before_saving(client, member):
    OrganisationFactory(name="Mairie de Lavaur")
    client.force_login(member)
    response = client.post(reverse("directory:organisation_create"), _org_form("Mairie  de lavaur"))
    assert response.status_code == 200
    assert "existe peut-être déjà" in response.content.decode()
    assert Organisation.objects.count() == 1
    response = client.post(
        reverse("directory:organisation_create"),
        _org_form("Mairie  de lavaur", confirm_not_duplicate="1"),
    )
    assert response.status_code == 302
    assert Organisation.objects.count() == 2


def test_merge_keeps_every_link(client, facilitator):
    theme_a, theme_b = ThemeFactory(), ThemeFactory()
    survivor = OrganisationFactory(name="Mairie de Lavaur")
    duplicate = OrganisationFactory(name="Mairie  de lavaur", siren="732829320")
    survivor.themes.add(theme_a)
    duplicate.themes.add(theme_a, theme_b)
    alice, bob = PersonFactory(), PersonFactory()
    Membership.objects.create(person=alice, organisation=survivor, role="Maire")
    Membership.objects.create(person=alice, organisation=duplicate, role="Maire")
    Membership.objects.create(person=bob, organisation=duplicate, role="Secrétaire")
    initiative = InitiativeFactory()
    initiative.carrier_organisations.add(duplicate)
    ErrorReport.objects.create(
        record_type="organisation", record_id=duplicate.pk, record_repr="x", message="faute"
    )
    from maillage.core.audit import log_action

    log_action(actor=None, action="organisation.update", obj=duplicate)

    client.force_login(facilitator)
    page = client.get(reverse("directory:merge", args=["structure", survivor.pk]))
    assert "Mairie  de lavaur" in page.content.decode()
    response = client.post(
        reverse("directory:merge", args=["structure", survivor.pk]),
        {"other": duplicate.pk, "confirm": "1"},
    )
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    survivor.refresh_from_db()
    assert set(survivor.themes.all()) == {theme_a, theme_b}
    assert set(survivor.memberships.values_list("person_id", "role")) == {
        (alice.pk, "Maire"),
        (bob.pk, "Secrétaire"),
    }
    assert list(initiative.carrier_organisations.all()) == [survivor]
    assert survivor.siren == "732829320"
    assert ErrorReport.objects.get().record_id == survivor.pk
    history = AuditEntry.objects.for_object(survivor).values_list("action", flat=True)
    assert "organisation.update" in history and "organisation.merge" in history


def test_merge_refuses_a_record_with_itself():
    org = OrganisationFactory()
    with pytest.raises(ValueError):
        records_merge(survivor=org, duplicate=org, actor=None)


# --- Filters and lists -------------------------------------------------------------


def test_everything_in_the_aude_includes_its_communes(client):
    places = aude_and_herault()
    in_carcassonne = InitiativeFactory(title="Régie de Carcassonne")
    in_carcassonne.territories.add(places["carcassonne"])
    whole_aude = InitiativeFactory(title="Plan vélo audois")
    whole_aude.territories.add(places["aude"])
    in_beziers = InitiativeFactory(title="Tiers-lieu de Béziers")
    in_beziers.territories.add(places["beziers"])
    assert set(Initiative.objects.in_territory(places["aude"])) == {in_carcassonne, whole_aude}
    assert set(Initiative.objects.in_territory(places["occitanie"])) == {
        in_carcassonne,
        whole_aude,
        in_beziers,
    }
    html = client.get(
        reverse("directory:initiatives"), {"territoire": places["aude"].pk}
    ).content.decode()
    assert "Régie de Carcassonne" in html and "Tiers-lieu de Béziers" not in html


def test_filters_combine_and_stay_in_the_url(client):
    food, energy = (
        ThemeFactory(name="Alimentation", slug="alimentation"),
        ThemeFactory(name="Énergie", slug="energie"),
    )
    a = InitiativeFactory(title="Cantine bio", progress="ongoing")
    a.themes.add(food)
    b = InitiativeFactory(title="Centrale solaire", progress="ongoing")
    b.themes.add(energy)
    c = InitiativeFactory(title="Marché paysan", progress="idea")
    c.themes.add(food)
    html = client.get(
        reverse("directory:initiatives"), {"theme": "alimentation", "avancement": "ongoing"}
    ).content.decode()
    assert "Cantine bio" in html and "Centrale solaire" not in html and "Marché paysan" not in html
    assert "1 résultat" in html


def test_htmx_request_gets_only_the_results_fragment(client):
    InitiativeFactory(title="Repair café")
    response = client.get(reverse("directory:initiatives"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Repair café" in html
    assert "<html" not in html and 'id="results"' in html


def test_bad_filter_values_never_fail(client):
    for params in (
        {"territoire": "pas-un-nombre"},
        {"territoire": "999999999"},
        {"theme": "\x00"},
        {"avancement": "n'importe"},
        {"q": "x" * 5000},
        {"page": "-1"},
        {"type": "<script>"},
    ):
        for name in ("directory:initiatives", "directory:organisations", "directory:people"):
            assert client.get(reverse(name), params).status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "directory:initiatives",
        "directory:organisations",
        "directory:people",
        "directory:resource_people",
        "directory:networks",
    ],
)
def test_list_pages_run_a_constant_number_of_queries(client, name):
    places = aude_and_herault()
    theme = ThemeFactory()

    def add(n):
        for _ in range(n):
            i = InitiativeFactory(commune=places["limoux"])
            i.themes.add(theme)
            i.territories.add(places["carcassonne"])
            o = OrganisationFactory(kind="reseau", commune=places["carcassonne"])
            o.themes.add(theme)
            o.territories.add(places["aude"])
            p = PersonFactory(is_resource_person=True)
            p.themes.add(theme)
            p.territories.add(places["limoux"])
            Membership.objects.create(person=p, organisation=o)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name)).status_code == 200
        return len(queries)

    add(2)
    few = count()
    add(15)
    assert count() == few


# --- Initiatives: joining ----------------------------------------------------------


def test_join_an_initiative_and_carriers_accept(client, member, owner, world):
    initiative = world["initiative"]
    client.force_login(member)
    client.post(
        reverse("directory:initiative_join", args=[initiative.pk]), {"message": "Je peux aider"}
    )
    join_request = initiative.join_requests.get(person__user=member)
    assert join_request.state == "pending"
    # Another member cannot decide; the carrier can.
    assert (
        client.post(
            reverse("directory:join_decide", args=[join_request.pk]), {"decision": "accept"}
        ).status_code
        == 403
    )
    client.force_login(owner)
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "Je peux aider" in page
    client.post(reverse("directory:join_decide", args=[join_request.pk]), {"decision": "accept"})
    assert initiative.participants.filter(user=member).exists()


def test_initiative_shows_its_engagement_charter(client, owner):
    client.force_login(owner)
    person_for_user(user=owner)
    response = client.post(
        reverse("directory:initiative_create"),
        {
            "title": "Jardin partagé du Castelet",
            "summary": "Un jardin ouvert à tous",
            "progress": "ongoing",
            "charter_tasks": "Arroser une fois par semaine",
            "charter_time": "Deux heures par mois",
            "charter_limits": "Pas pendant les vacances",
            "charter_leaving": "Un message suffit",
        },
    )
    assert response.status_code == 302
    initiative = Initiative.objects.get(title="Jardin partagé du Castelet")
    assert initiative.status == "proposed"
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "Arroser une fois par semaine" in page and "Un message suffit" in page


# --- Validation --------------------------------------------------------------------


def test_siren_is_validated(client, facilitator):
    client.force_login(facilitator)
    bad = client.post(reverse("directory:organisation_create"), _org_form("Bad", siren="123456789"))
    assert bad.status_code == 200 and "SIREN" in bad.content.decode()
    good = client.post(
        reverse("directory:organisation_create"), _org_form("Good", siren="732 829 320")
    )
    assert good.status_code == 302
    assert Organisation.objects.get(name="Good").siren == "732829320"


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (2400, 1200), "green")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (43.0, 36.0, 0.0)}  # GPSInfo
    exif[0x010F] = "Appareil Secret"  # camera maker
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_profile_photo_is_reencoded_without_metadata(client, member):
    client.force_login(member)
    upload = SimpleUploadedFile("moi.png", _jpeg_with_gps(), content_type="image/png")
    response = client.post(
        reverse("directory:profile_edit"),
        {
            "name": "Camille",
            "visibility": "public",
            "photo": upload,
            "email_visibility": "private",
            "phone_visibility": "private",
            "address_visibility": "private",
            "website_visibility": "private",
            "social_links_visibility": "private",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    person = Person.objects.get(user=member)
    with Image.open(person.photo.path) as stored:
        assert max(stored.size) <= 1600
        assert not stored.getexif()
        assert b"Appareil Secret" not in person.photo.read()


@pytest.mark.parametrize(
    "content",
    [b"", b"not an image at all", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, b"%PDF-1.4 fake"],
)
def test_bad_images_are_refused_with_a_message(client, member, content):
    client.force_login(member)
    upload = SimpleUploadedFile("photo.jpg", content, content_type="image/jpeg")
    response = client.post(
        reverse("directory:profile_edit"),
        {
            "name": "Camille",
            "visibility": "public",
            "photo": upload,
            "email_visibility": "private",
            "phone_visibility": "private",
            "address_visibility": "private",
            "website_visibility": "private",
            "social_links_visibility": "private",
        },
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    person = Person.objects.filter(user=member).first()
    assert person is None or not person.photo


def test_anyone_can_report_an_error(client, world):
    org = world["organisation"]
    response = client.post(
        reverse("directory:report_error", args=["structure", org.pk]),
        {"message": "Le site a changé"},
    )
    assert response.status_code == 302
    report = ErrorReport.objects.get()
    assert report.record_id == org.pk and report.reporter is None


def test_facilitators_manage_themes(client, facilitator):
    client.force_login(facilitator)
    client.post(reverse("directory:themes"), {"name": "Low-tech", "description": "", "position": 5})
    from maillage.directory.models import Theme

    theme = Theme.objects.get(name="Low-tech")
    assert theme.slug == "low-tech"
    client.post(
        reverse("directory:theme_edit", args=[theme.pk]),
        {"name": "Basses technologies", "position": 5},
    )
    theme.refresh_from_db()
    assert theme.name == "Basses technologies"
    client.post(reverse("directory:theme_edit", args=[theme.pk]), {"delete": "1"})
    assert not Theme.objects.filter(pk=theme.pk).exists()


# --- Memberships and editing by facilitators ---------------------------------------


def test_a_member_says_they_belong_to_an_organisation_and_can_leave(client, member, world):
    org = world["organisation"]
    client.force_login(member)
    client.post(reverse("directory:organisation_join", args=[org.pk]), {"role": "Bénévole"})
    membership = Membership.objects.get(organisation=org, person__user=member)
    assert membership.role == "Bénévole" and not membership.is_admin
    # Another member cannot remove someone else's link; the person themselves can.
    other = world["membership"]
    assert client.post(reverse("directory:membership_remove", args=[other.pk])).status_code == 403
    client.post(reverse("directory:membership_remove", args=[membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert Membership.objects.filter(pk=other.pk).exists()


def test_a_facilitator_corrects_someone_elses_profile(client, facilitator, world):
    person = world["person"]
    client.force_login(facilitator)
    response = client.post(
        reverse("directory:person_edit", args=[person.pk]),
        {
            "name": "Olivia Porteuse (corrigé)",
            "visibility": "members",
            "email_visibility": "private",
            "phone_visibility": "private",
            "address_visibility": "private",
            "website_visibility": "private",
            "social_links_visibility": "private",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "Olivia Porteuse (corrigé)"
    entry = AuditEntry.objects.for_object(person).first()
    assert entry.actor == facilitator and entry.action == "person.update"


def test_whoever_proposes_an_initiative_carries_it(client, member):
    client.force_login(member)
    client.post(
        reverse("directory:initiative_create"),
        {"title": "Atelier vélo", "summary": "Réparer ensemble", "progress": "idea"},
    )
    initiative = Initiative.objects.get(title="Atelier vélo")
    assert list(initiative.carrier_people.values_list("user", flat=True)) == [member.pk]
    assert initiative.is_carried_by(member)


def test_an_unresolved_territory_keeps_the_other_criteria(client):
    food = ThemeFactory(name="Alimentation", slug="alimentation")
    a = InitiativeFactory(title="Cantine bio")
    a.themes.add(food)
    InitiativeFactory(title="Centrale solaire")
    html = client.get(
        reverse("directory:initiatives"),
        {"theme": "alimentation", "territoire_search": "Zzzyx-sur-Rien"},
    ).content.decode()
    assert "Cantine bio" in html and "Centrale solaire" not in html
    assert "Aucun territoire ne correspond" in html


@pytest.mark.parametrize("form_name", ["ProfileForm", "OrganisationForm", "InitiativeForm"])
def test_sectioned_forms_show_every_field(form_name, member):
    from maillage.directory import forms

    form_class = getattr(forms, form_name)
    form = form_class() if form_name == "ProfileForm" else form_class(actor=member)
    shown = [bf.name for _title, _help, fields in form.fieldsets() for bf in fields]
    shown += [bf.name for pair in form.contact_rows() for bf in pair]
    assert sorted(shown) == sorted(form.fields)


# --- Lists: totals --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("directory:initiatives", lambda: InitiativeFactory()),
        ("directory:organisations", lambda: OrganisationFactory()),
        ("directory:people", lambda: PersonFactory(visibility="public")),
    ],
)
def test_small_lists_count_exactly(client, name, make):
    for _ in range(7):
        make()
    InitiativeFactory(status="proposed")  # never counted for a visitor
    PersonFactory(visibility="private")
    OrganisationFactory(status="rejected")
    response = client.get(reverse(name))
    assert response.context["page"].paginator.count == 7
    assert not response.context["page"].paginator.estimated
    assert "7 résultats" in response.content.decode()


def test_beyond_the_limit_the_total_stays_right_on_sqlite_and_close_on_postgresql(
    client, monkeypatch
):
    from maillage.directory import querysets

    monkeypatch.setattr(querysets, "EXACT_COUNT_LIMIT", 5)
    InitiativeFactory.create_batch(30)
    InitiativeFactory.create_batch(3, status="proposed")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's statistics, as autovacuum keeps them
    paginator = client.get(reverse("directory:initiatives")).context["page"].paginator
    if connection.vendor == "postgresql":
        assert paginator.estimated
        assert 20 <= paginator.count <= 45  # the planner's estimate, from the statistics
    else:
        assert (paginator.count, paginator.estimated) == (30, False)
    # A narrow criterion stays under the limit: exact, whatever the database.
    InitiativeFactory(title="Recyclerie du Razès")
    InitiativeFactory(title="Recyclerie de Limoux")
    narrow = client.get(reverse("directory:initiatives"), {"q": "recyclerie"})
    assert (narrow.context["page"].paginator.count, narrow.context["page"].paginator.estimated) == (
        2,
        False,
    )


def test_a_territory_criterion_is_estimated_from_a_sample_on_postgresql(client, monkeypatch):
    """The planner cannot estimate a territory criterion (a semi-join on skewed data):
    beyond the exact limit, PostgreSQL counts a sample of the table. With the sample
    set to the whole table, the estimate must be the true figure."""
    from maillage.directory import querysets

    monkeypatch.setattr(querysets, "EXACT_COUNT_LIMIT", 5)
    monkeypatch.setattr(querysets, "SAMPLE_PERCENT", 100)
    places = aude_and_herault()
    for initiative in InitiativeFactory.create_batch(12):
        initiative.territories.add(places["carcassonne"])
    for initiative in InitiativeFactory.create_batch(4):
        initiative.territories.add(places["beziers"])  # in the Hérault: not counted
    InitiativeFactory(status="proposed").territories.add(places["limoux"])  # not public
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    params = {"territoire": places["aude"].pk}
    paginator = client.get(reverse("directory:initiatives"), params).context["page"].paginator
    assert paginator.count == 12
    assert paginator.estimated == (connection.vendor == "postgresql")
    # The pages of one list share the estimate for a few minutes (it is cached) …
    InitiativeFactory().territories.add(places["limoux"])
    again = client.get(reverse("directory:initiatives"), {**params, "page": 2})
    expected = 12 if connection.vendor == "postgresql" else 13  # SQLite counts exactly
    assert again.context["page"].paginator.count == expected
