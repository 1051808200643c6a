"""Form widgets every app uses: the browser's own date and date-time pickers (phones show their calendar).

The values travel as ISO (yyyy-mm-dd, yyyy-mm-ddThh:mm), which config.formats accepts besides dd/mm/yyyy.
"""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")
