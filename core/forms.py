"""What every form of the app shares."""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.widgets import PromptSelect

ANY = _("— All —")


def _choose(label) -> str:
    text = str(label)
    return gettext("— Choose %(thing)s —") % {"thing": text[:1].lower() + text[1:]}


# Lazy: the label is put into words in the language of the request that renders the form.
choose_prompt = lazy(_choose, str)


class SelectPromptsMixin:
    """Empty choices of single selects say what to pick: "— Chọn địa điểm —", or "— Tất cả —" in a filter.

    `select_prompts` names a prompt for a field whose label does not make one.
    """

    is_filter = False  # in a filter, the empty choice means "any"
    select_prompts: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if not isinstance(widget, forms.Select) or isinstance(
                widget, forms.SelectMultiple | forms.NullBooleanSelect
            ):
                continue
            prompt = self.select_prompts.get(name) or (ANY if self.is_filter else choose_prompt(field.label or name))
            field.widget = PromptSelect.taking_over(widget, prompt)
