"""Form fields shared by every app."""

from django import forms
from django.core.exceptions import ValidationError

# The largest primary key the databases store (a 64-bit signed integer). A larger number
# sent by a client would make SQLite raise OverflowError: refuse it as an invalid choice.
MAX_ID = 2**63 - 1


def _valid_id(value) -> bool:
    text = str(value).strip()
    return text.isdigit() and int(text) <= MAX_ID


class SafeModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField on the primary key that refuses impossible ids cleanly."""

    def to_python(self, value):
        if value not in self.empty_values and not self.to_field_name and not _valid_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField on the primary key that refuses impossible ids cleanly."""

    def _check_values(self, value):
        if not self.to_field_name:
            for pk in value:
                if not _valid_id(pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": str(pk)[:20]},
                    )
        return super()._check_values(value)
