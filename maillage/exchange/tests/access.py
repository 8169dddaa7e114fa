"""Access-matrix rows of exchange (gathered by maillage/core/tests/test_access_matrix.py).

The owner posted the ad of the world and received a reply to it; the initiative of the
base world is carried by the owner.
"""

from maillage.core.tests.matrix import (
    ALL_OK,
    FACILITATORS_OK,
    FACILITATORS_POST_ONLY,
    LOGIN,
    MEMBERS_OK,
    MEMBERS_POST_ONLY,
    OWNER_OK,
    POST_ONLY,
    roles,
)


def world(owner, base) -> dict:
    from maillage.accounts.tests.factories import UserFactory
    from maillage.exchange.models import AdReply, AdReport

    from .factories import AdFactory

    ad = AdFactory(author=owner, commune=base["carcassonne"])
    sender = UserFactory()
    reply = AdReply.objects.create(ad=ad, sender=sender, message="Bonjour, je suis intéressée.")
    report = AdReport.objects.create(ad=ad, message="Doublon ?")
    other = UserFactory()
    return {"ad": ad, "reply": reply, "report": report, "other": other}


def _ad(w):
    return {"pk": w["exchange"]["ad"].pk}


MATRIX = {
    "exchange:ads": ({}, ALL_OK),
    "exchange:ad_create": ({}, MEMBERS_OK),
    "exchange:ad": (_ad, ALL_OK),
    "exchange:ad_edit": (_ad, OWNER_OK),
    "exchange:ad_close": (_ad, POST_ONLY),
    # The author is sent back to the ad: one does not answer one's own ad.
    "exchange:ad_reply": (_ad, roles(LOGIN, 200, 302, 200, 200)),
    "exchange:ad_report": (_ad, ALL_OK),
    # Only the ad's author reads the replies (not even facilitators).
    "exchange:reply_answer": (
        lambda w: {"pk": w["exchange"]["reply"].pk},
        roles(LOGIN, 404, 200, 404, 404),
    ),
    "exchange:moderation": ({}, FACILITATORS_OK),
    "exchange:report_decide": (
        lambda w: {"pk": w["exchange"]["report"].pk},
        FACILITATORS_POST_ONLY,
    ),
    "exchange:dashboard": ({}, MEMBERS_OK),
    "exchange:dismiss": ({"pk": 1}, MEMBERS_POST_ONLY),
    "exchange:initiative_suggestions": (lambda w: {"pk": w["initiative"].pk}, OWNER_OK),
    "exchange:preferences": ({}, MEMBERS_OK),
    "exchange:notifications": ({}, MEMBERS_OK),
    "exchange:introductions": ({}, FACILITATORS_OK),
    "exchange:introduce": (
        lambda w: {"a": w["person"].pk, "b": w["join_request"].person.pk},
        FACILITATORS_OK,
    ),
    "exchange:atlas": ({}, ALL_OK),
    "exchange:atlas_data": ({}, ALL_OK),
}
