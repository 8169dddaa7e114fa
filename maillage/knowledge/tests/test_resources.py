"""The resource library: uploads checked by content and capped, stored under random
names and served as attachments after the visibility check; videos embedded from known
platforms only; licences shown everywhere; a working group's resource invisible to
everyone else — in lists, pages, downloads, search and counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maillage.accounts.tests.factories import UserFactory
from maillage.directory.tests.factories import ThemeFactory
from maillage.forums.tests.factories import accepted_group
from maillage.knowledge.embeds import video_embed
from maillage.knowledge.models import Resource
from maillage.search.query import Filters, Search, Viewer

from .factories import (
    PDF_BYTES,
    CollectionFactory,
    ResourceFactory,
    SheetFactory,
    add_to_collection,
    docx_bytes,
    odt_bytes,
    pdf_file,
    png_bytes,
    zip_bytes,
)

pytestmark = pytest.mark.django_db


def _post(**extra) -> dict:
    data = {
        "kind": "document",
        "title": "Guide du compostage partagé",
        "description": "Pas à pas.",
        "url": "",
        "author": "Compost'Aude",
        "published_on": "2025-04-02",
        "licence": "cc-by-sa",
        "visibility": "public",
        "territories_search": "",
    }
    data.update(extra)
    return data


def _upload(client, name: str, content: bytes, **extra):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(reverse("knowledge:resource_create"), _post(document=upload, **extra))


@pytest.mark.parametrize(
    ("name", "content", "file_type"),
    [
        ("guide.pdf", PDF_BYTES, "pdf"),
        ("photo.png", png_bytes(), "jpg"),
        ("compte-rendu.docx", docx_bytes(), "docx"),
        ("compte-rendu.odt", odt_bytes(), "odt"),
    ],
)
def test_accepted_documents_are_stored_under_random_names(client, member, name, content, file_type):
    client.force_login(member)
    response = _upload(client, name, content)
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.file_type == file_type
    assert resource.file_name.split(".")[0] == name.split(".")[0]
    stored = resource.file.name
    assert stored.startswith("bibliotheque/") and name.split(".")[0] not in stored
    assert len(stored.split("/")[-1]) == 32  # a uuid4, no extension


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("faux.pdf", b"<html><script>alert(1)</script></html>"),
        ("faux.png", b"%PDF-1.4 not an image"),
        ("faux.docx", zip_bytes({"word/autre.xml": b"<x/>"})),
        ("faux.docx", b"PK\x03\x04 broken zip"),
        ("faux.odt", zip_bytes({"mimetype": b"application/zip"})),
        ("faux.xlsx", docx_bytes()),
    ],
)
def test_content_that_does_not_match_the_type_is_refused(client, member, name, content):
    client.force_login(member)
    response = _upload(client, name, content)
    assert response.status_code == 200
    assert "ne correspond pas à son type" in str(response.context["form"].errors["document"])
    assert not Resource.objects.exists()


def test_unknown_types_and_oversized_files_are_refused(client, member, settings):
    client.force_login(member)
    response = _upload(client, "script.exe", b"MZ...")
    assert "Type de fichier non accepté" in str(response.context["form"].errors["document"])
    settings.LIBRARY_MAX_UPLOAD_BYTES = 100
    response = _upload(client, "gros.pdf", PDF_BYTES + b"0" * 200)
    assert "taille maximale" in str(response.context["form"].errors["document"])
    assert not Resource.objects.exists()


def test_download_is_an_attachment_after_the_visibility_check(client, member, owner):
    client.force_login(owner)
    _upload(client, "Guide été.pdf", PDF_BYTES, visibility="members")
    resource = Resource.objects.get()
    url = reverse("knowledge:resource_download", args=[resource.pk])
    client.logout()
    assert client.get(url).status_code == 404
    assert client.get(resource.get_absolute_url()).status_code == 404
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Guide" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF_BYTES
    # The page never links to the stored file itself.
    page = client.get(resource.get_absolute_url()).content.decode()
    assert resource.file.name not in page and url in page
    link = ResourceFactory(kind="link")
    assert client.get(reverse("knowledge:resource_download", args=[link.pk])).status_code == 404


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        (
            "https://www.dailymotion.com/video/x8abcd1",
            "https://www.dailymotion.com/embed/video/x8abcd1",
        ),
        ("https://dai.ly/x8abcd1", "https://www.dailymotion.com/embed/video/x8abcd1"),
        (
            "https://peertube.example.org/w/9c9de5e8-0a1e-484a-b099-e80766180a6d",
            "https://peertube.example.org/videos/embed/9c9de5e8-0a1e-484a-b099-e80766180a6d",
        ),
        ("https://www.youtube.com/watch?v=<script>", None),
        ("javascript:alert(1)//youtube.com/watch?v=dQw4w9WgXcQ", None),
        ("http://peertube.example.org/w/abcdefgh12", None),
        ("https://evil.example.org/page", None),
        ("https://user:pw@youtu.be/dQw4w9WgXcQ", None),
        ("https://[::1", None),
    ],
)
def test_video_embed_urls_are_built_from_the_parsed_url(url, embed):
    found = video_embed(url)
    assert (found.url if found else None) == embed


def test_video_page_frames_only_that_player(client, member):
    client.force_login(member)
    response = client.post(
        reverse("knowledge:resource_create"),
        _post(kind="video", url="https://vimeo.com/76979871", licence="cc-by"),
    )
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.embed_url == "https://player.vimeo.com/video/76979871"
    page = client.get(resource.get_absolute_url())
    assert 'src="https://player.vimeo.com/video/76979871"' in page.content.decode()
    assert "frame-src https://player.vimeo.com" in page["Content-Security-Policy"]
    response = client.post(
        reverse("knowledge:resource_create"), _post(kind="video", url="https://example.org/v")
    )
    assert "url" in response.context["form"].errors


def test_licence_is_shown_everywhere_the_resource_is(client, member, facilitator):
    sheet = SheetFactory(title="Une fiche avec ressource")
    resource = ResourceFactory(title="Carte des fermes", licence="odbl", sheet=sheet)
    collection = CollectionFactory()
    add_to_collection(collection, sheet)
    collection.resources.add(resource)
    pages = [
        reverse("knowledge:resources"),
        reverse("knowledge:home"),
        resource.get_absolute_url(),
        sheet.get_absolute_url(),
        reverse("knowledge:sheet_print", args=[sheet.pk]),
        collection.get_absolute_url(),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "Carte des fermes" in html, url
        assert "ODbL" in html and "opendatacommons.org/licenses/odbl" in html, url
    from maillage.core.documents import pdf_text

    booklet = client.get(reverse("knowledge:collection_booklet", args=[collection.pk])).content
    assert pdf_text(booklet).count("ODbL") >= 2  # in the booklet's list and under the sheet
    sheet_pdf = client.get(reverse("knowledge:sheet_pdf", args=[sheet.pk])).content
    assert "ODbL" in pdf_text(sheet_pdf)
    results = client.get(reverse("search:results"), {"q": "fermes"}).content.decode()
    # The search snippet leads with the licence (the title's words come highlighted).
    assert resource.get_absolute_url() in results and "Licence : ODbL" in results


def test_a_working_group_resource_is_invisible_to_others(client, member, facilitator):
    insider = UserFactory(display_name="Inès Groupe")
    group = accepted_group(proposer=insider)
    theme = ThemeFactory()
    secret = ResourceFactory(
        title="Notes confidentielles du groupe", visibility="group", group=group, created_by=None
    )
    secret.themes.add(theme)
    public = ResourceFactory(title="Notes publiques du groupe", group=group)
    public.themes.add(theme)
    lists = reverse("knowledge:resources")

    def sees(user) -> tuple[set, int, int]:
        client.logout()
        if user:
            client.force_login(user)
        response = client.get(lists, {"theme": theme.slug})
        titles = {r.title for r in response.context["page"]}
        return (
            titles,
            response.context["page"].paginator.count,
            client.get(secret.get_absolute_url()).status_code,
        )

    assert sees(None) == ({"Notes publiques du groupe"}, 1, 404)
    assert sees(member) == ({"Notes publiques du groupe"}, 1, 404)
    assert sees(insider) == (
        {"Notes publiques du groupe", "Notes confidentielles du groupe"},
        2,
        200,
    )
    assert sees(facilitator)[1:] == (2, 200)
    # Search: never found, never counted — not even for the group (it is not indexed).
    for viewer in (Viewer(), Viewer(member=True, user_id=member.pk), Viewer(facilitator=True)):
        search = Search("notes", viewer=viewer, filters=Filters(kind="resource"))
        assert ("resource", secret.pk) not in search.document_ids()
        assert search.facets().kind.get("resource", 0) == 1
    client.force_login(member)
    html = client.get(reverse("search:results"), {"q": "confidentielles"}).content.decode()
    assert "Notes confidentielles" not in html
    # A member outside the group cannot pick the group as visibility either.
    form = client.get(reverse("knowledge:resource_create")).context["form"]
    assert "group" not in form.fields
    assert "group" not in dict(form.fields["visibility"].choices)
    response = client.post(
        reverse("knowledge:resource_create"),
        _post(kind="link", url="https://example.org", visibility="group", group=str(group.pk)),
    )
    assert response.status_code == 200 and not Resource.objects.filter(url="https://example.org")
    # Inside the group, one can share for the group only.
    client.force_login(insider)
    response = client.post(
        reverse("knowledge:resource_create"),
        _post(kind="link", url="https://example.org/pad", visibility="group", group=str(group.pk)),
    )
    assert response.status_code == 302
    assert Resource.objects.get(url="https://example.org/pad").group == group


def test_resource_list_query_count(client, member, django_assert_max_num_queries):
    theme = ThemeFactory()
    for _ in range(15):
        ResourceFactory().themes.add(theme)
    client.force_login(member)
    # 13: 12 for the list, 1 for the header's notification badge (then cached).
    with django_assert_max_num_queries(13):
        response = client.get(reverse("knowledge:resources"))
    assert len(response.context["page"].object_list) == 15


def test_resource_list_filters(client):
    ResourceFactory(title="Vidéo", kind="video", url="https://vimeo.com/1", licence="cc-by")
    ResourceFactory(title="Lien", kind="link", licence="odbl")
    url = reverse("knowledge:resources")
    assert [r.title for r in client.get(url, {"type": "video"}).context["page"]] == ["Vidéo"]
    assert [r.title for r in client.get(url, {"licence": "odbl"}).context["page"]] == ["Lien"]
    assert client.get(url, {"type": "exe", "licence": "x" * 500}).status_code == 200


def test_only_the_depositor_and_facilitators_edit_or_delete(client, member, owner):
    resource = ResourceFactory(created_by=owner)
    client.force_login(member)
    assert client.post(reverse("knowledge:resource_delete", args=[resource.pk])).status_code == 403
    client.force_login(owner)
    response = client.post(
        reverse("knowledge:resource_edit", args=[resource.pk]),
        _post(kind="link", url="https://example.org/v2", title="Nouveau titre"),
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.title == "Nouveau titre"
    assert client.post(reverse("knowledge:resource_delete", args=[resource.pk])).status_code == 302
    assert not Resource.objects.exists()


def test_attach_from_a_sheet_page(client, member):
    sheet = SheetFactory(created_by=member, status="draft")
    client.force_login(member)
    form = client.get(reverse("knowledge:resource_create"), {"fiche": sheet.pk}).context["form"]
    assert form.initial["sheet"] == sheet.pk
    assert client.get(reverse("knowledge:resource_create"), {"fiche": "9" * 40}).status_code == 200
    response = client.post(
        reverse("knowledge:resource_create"),
        _post(kind="link", url="https://example.org", sheet=str(sheet.pk), document=pdf_file()),
    )
    assert response.status_code == 302
    assert Resource.objects.get().sheet == sheet
