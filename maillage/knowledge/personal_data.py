"""A member's writing in the library, for the personal-data export and erasure.

Sheets and resources are contributions to the network's shared memory: on account
deletion they stay, detached from the account (their author becomes anonymous), as
reports do. Assessments are personal opinions: they are deleted.
"""

from maillage.accounts import personal_data

from .models import Assessment, Collection, EvaluationGrid, ExperienceSheet, Resource


def export(user) -> dict:
    return {
        "sheets": [
            {"title": s.title, "status": s.status, "created_at": s.created_at.isoformat()}
            for s in ExperienceSheet.objects.filter(created_by=user).order_by("created_at")
        ],
        "resources": [
            {"title": r.title, "kind": r.kind, "created_at": r.created_at.isoformat()}
            for r in Resource.objects.filter(created_by=user).order_by("created_at")
        ],
        "assessments": [
            {
                "sheet": a.sheet.title,
                "grid": a.grid.name,
                "comment": a.comment,
                "ratings": [
                    {"criterion": r.criterion.name, "level": r.level, "comment": r.comment}
                    for r in a.ratings.select_related("criterion")
                ],
            }
            for a in Assessment.objects.filter(assessor=user).select_related("sheet", "grid")
        ],
    }


def erase(user) -> None:
    Assessment.objects.filter(assessor=user).delete()
    ExperienceSheet.objects.filter(created_by=user).update(created_by=None)
    Resource.objects.filter(created_by=user).update(created_by=None)
    EvaluationGrid.objects.filter(defined_by=user).update(defined_by=None)
    Collection.objects.filter(curated_by=user).update(curated_by=None)


personal_data.register("bibliotheque", export, erase)
