"""Reads on imports: `DocumentImport.objects.for_list()`."""

from django.db import models


class DocumentImportQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("created_by", "event").defer("text", "draft", "result")

    def awaiting_review(self):
        return self.filter(status="review")
