"""Form widgets every app uses: the browser's own date and date-time pickers (phones show their calendar).

The values travel as ISO (yyyy-mm-dd, yyyy-mm-ddThh:mm), which config.formats accepts besides dd/mm/yyyy.
"""

import copy

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class PromptSelect(forms.Select):
    """A select whose empty choice reads as a prompt ("— Chọn loại vụ việc —") rather than "---------".

    The prompt sits on the widget, not in the choices, so a form may still replace the choices after
    SelectPromptsMixin has run (QueueFilter fills its statuses in __init__).
    """

    prompt = None

    @classmethod
    def taking_over(cls, select: forms.Select, prompt) -> "PromptSelect":
        widget = copy.copy(select)  # keeps attrs, choices and what the field set (is_required, ...)
        widget.__class__ = cls
        widget.prompt = prompt
        return widget

    def create_option(self, name, value, label, *args, **kwargs):
        if self.prompt is not None and value in ("", None):
            label = self.prompt
        return super().create_option(name, value, label, *args, **kwargs)
