"""Recompute every import's fingerprint: `content_hash` now hashes the text's letters and
digits only (accents and case folded), and `folded_length` counts them.

The folding is copied here, frozen: a later change to `services.fold` must come with a
migration of its own. Two imports that were different before and are the same text now
(the same report in two formats, imported before this change) cannot share the unique
hash: the older takes the new hash, the newer keeps its old one, and both stay.
"""

import hashlib
import unicodedata

from django.db import migrations


def _fold(text: str) -> str:
    text = (text or "").replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in plain.casefold() if c.isalnum())


def recompute(apps, schema_editor):
    DocumentImport = apps.get_model("imports", "DocumentImport")
    rows = DocumentImport.objects.order_by("created_at", "pk").only("pk", "text", "content_hash")
    planned = []
    taken = set()
    for document in rows.iterator(chunk_size=200):
        folded = _fold(document.text)
        digest = hashlib.sha256(folded.encode("utf-8")).hexdigest()
        for choice in (digest, document.content_hash):
            if choice not in taken:
                break
        else:
            choice = hashlib.sha256(f"{document.content_hash}:{document.pk}".encode()).hexdigest()
        taken.add(choice)
        planned.append((document.pk, choice, len(folded)))
    # Two passes, so that no row takes a hash another row still holds from before.
    for pk, _digest, _length in planned:
        DocumentImport.objects.filter(pk=pk).update(content_hash=f"migrating-{pk}")
    for pk, digest, length in planned:
        DocumentImport.objects.filter(pk=pk).update(content_hash=digest, folded_length=length)


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0002_folded_length"),
    ]

    operations = [
        migrations.RunPython(recompute, migrations.RunPython.noop),
    ]
