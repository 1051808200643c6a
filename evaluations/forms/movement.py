from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.services.movement import Row, points, score_error

NOT_A_NUMBER = _("Line %(line)s: enter the score as a number, e.g. 2.5.")


class ScoreSheetForm(forms.Form):
    """One score and one note per line to score. Each field carries the value the person saw
    (show_hidden_initial), so only the lines he changed are saved and a colleague's change to
    another line, made meanwhile, is kept."""

    def __init__(self, rows: list[Row], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {}
        for row in rows:
            if row.is_parent:
                continue
            item = row.item
            self.items[item.pk] = item
            self.fields[f"score-{item.pk}"] = forms.DecimalField(
                label=_("Self-score of line %(line)s") % {"line": item.code},
                required=False,
                initial=points(row.self_score),
                show_hidden_initial=True,
                error_messages={"invalid": NOT_A_NUMBER % {"line": item.code}},
                widget=forms.NumberInput(
                    attrs={
                        "min": 0,
                        "max": points(item.max_points),
                        "step": "0.01",
                        "class": "form-control form-control-sm score-input",
                    }
                ),
            )
            self.fields[f"note-{item.pk}"] = forms.CharField(
                label=_("Note on line %(line)s") % {"line": item.code},
                required=False,
                initial=row.note,
                show_hidden_initial=True,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 1, "class": "form-control form-control-sm"}),
            )

    def clean(self):
        data = super().clean()
        for item_id, item in self.items.items():
            name = f"score-{item_id}"
            problem = score_error(item, data.get(name)) if name in data else None
            if problem:
                self.add_error(name, problem)
        return data

    def score_field(self, item_id: int):
        return self[f"score-{item_id}"]

    def note_field(self, item_id: int):
        return self[f"note-{item_id}"]

    def changed_lines(self) -> dict[int, tuple[Decimal | None, str]]:
        """{item pk: (score, note)} of the lines whose score or note differs from what the page showed."""
        changed = set(self.changed_data)
        return {
            item_id: (self.cleaned_data.get(f"score-{item_id}"), self.cleaned_data.get(f"note-{item_id}", ""))
            for item_id in self.items
            if f"score-{item_id}" in changed or f"note-{item_id}" in changed
        }

    def error_list(self) -> list[str]:
        return [str(error) for errors in self.errors.values() for error in errors]
