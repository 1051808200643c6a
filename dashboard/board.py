"""The dashboard's panels: each figure as a table (always) and a chart (drawn in the browser), with every
number and every bar linked to the list behind it — the incident queue with the same filters.

Only presentation: the figures come from dashboard.figures, the labels are put in the reader's words here.
"""

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dashboard.figures import Filters
from dashboard.periods import Period, month_end
from incidents.models import ExternalReport, Severity
from team.selectors import iso_week

# Long lists (a hundred rooms) chart their largest few; the table lists every row, the rest folded.
CHARTED = 10


@dataclass
class Cell:
    value: object
    url: str = ""
    wraps: bool = False  # numbers and their units stay on one line

    @property
    def text(self) -> str:
        """As the reader writes numbers: 99.991 in Vietnamese, 99,991 in English."""
        if isinstance(self.value, int):
            return number_format(self.value, force_grouping=True)
        return str(self.value)


@dataclass
class Panel:
    key: str
    title: str
    columns: list[str]
    rows: list[tuple[str, list[Cell]]]  # (row heading, cells)
    chart: dict | None = None
    note: str = ""
    empty: str = ""
    wide: bool = False

    @property
    def first_rows(self):
        return self.rows[:CHARTED] if self.folds else self.rows

    @property
    def more_rows(self):
        return self.rows[CHARTED:] if self.folds else []

    @property
    def folds(self) -> bool:
        # Month and department tables stay whole: a year has 13 months, an office a dozen departments.
        return self.key in FOLDED and len(self.rows) > CHARTED + 2


FOLDED = {"category", "place"}


@dataclass
class Board:
    period: Period
    summary: list[tuple[str, str, Cell]]  # (testid, label, number)
    panels: list[Panel] = field(default_factory=list)

    @property
    def charts(self) -> list[tuple[str, dict]]:
        return [(f"chart-{panel.key}", panel.chart) for panel in self.panels if panel.chart]


class Links:
    """Addresses of the incident queue narrowed like the dashboard, and to a part of the period."""

    def __init__(self, period: Period, filters: Filters):
        self.period, self.filters = period, filters

    def queue(self, start: date | None = None, end: date | None = None, **params) -> str:
        start, end = start or self.period.start, end or self.period.end
        query = {"since": start.isoformat(), "until": end.isoformat(), **self.filters.queue_params(), **params}
        return f"{reverse('incidents:list')}?{urlencode(query)}"

    def month(self, first: date, *, year_before: bool = False) -> str:
        period = self.period.year_before() if year_before else self.period
        return self.queue(*period.clip(first, month_end(first)))


def build(figures: dict, period: Period, filters: Filters) -> Board:
    links = Links(period, filters)
    summary = figures["summary"]
    board = Board(
        period=period,
        summary=[
            ("filed", pgettext("dashboard", "Filed"), Cell(summary.filed, links.queue())),
            ("open", _("Still open"), Cell(summary.open, links.queue(status="open"))),
            ("overdue", _("Overdue"), Cell(summary.overdue, links.queue(overdue="on"))),
            ("escalated", _("Escalated"), Cell(summary.escalated, links.queue(status="escalated"))),
            ("unacknowledged", _("Not yet acknowledged"), Cell(summary.unacknowledged, links.queue(status="new"))),
        ],
    )
    board.panels = [
        _months(figures["by_month"], links),
        _shares(
            "category",
            _("By category"),
            figures["by_category"],
            lambda share: links.queue(category=share.key),
            _("Category"),
        ),
        _shares(
            "severity",
            _("By severity"),
            figures["by_severity"],
            lambda share: links.queue(severity=share.key),
            _("Severity"),
            name=lambda share: str(Severity(share.key).label),
        ),
        _shares(
            "place",
            _("By place"),
            figures["by_place"],
            lambda share: links.queue(place=share.key) if share.key is not None else "",
            _("Place"),
            name=lambda share: share.name or _("No place given"),
        ),
        *_times(figures["response_times"], links),
        _shares(
            "escalations",
            _("Escalations by level reached"),
            figures["escalations"],
            lambda share: links.queue(escalation_level=share.key),
            _("Level"),
            name=lambda share: _("Level %(level)s") % {"level": share.key} + (f" · {share.name}" if share.name else ""),
            empty=_("No escalation chain is set up."),
        ),
        _shares(
            "authorities",
            _("Reported to the authorities"),
            figures["authorities"],
            lambda share: links.queue(agency=share.key),
            _("Authority"),
            name=lambda share: _agency(share.key),
            empty=_("No incident of the period was reported to the authorities."),
        ),
        _coverage(figures["coverage"], period),
        _duty(figures["duty_gaps"], period),
    ]
    return board


def _chart(kind: str, labels: list[str], datasets: list[tuple[str, list, list[str]]], **options) -> dict:
    """What static/js/dashboard.js draws: labels, and per dataset its label, values and the link of each bar."""
    return {
        "type": kind,
        "labels": labels,
        "datasets": [{"label": label, "data": values, "links": urls} for label, values, urls in datasets],
        **options,
    }


def _months(months, links: Links) -> Panel:
    this_label, before_label = _("This period"), _("Same months a year before")
    rows, labels = [], []
    current, before = ([], []), ([], [])
    for month in months:
        label = f"{month.month:%m/%Y}"
        labels.append(label)
        now_cell = Cell(month.count, links.month(month.month))
        then_cell = Cell(month.last_year, links.month(month.month, year_before=True))
        rows.append((label, [now_cell, then_cell]))
        for (values, urls), cell in ((current, now_cell), (before, then_cell)):
            values.append(cell.value)
            urls.append(cell.url)
    return Panel(
        key="months",
        title=_("Incidents by month"),
        columns=[_("Month"), this_label, before_label],
        rows=rows,
        chart=_chart("bar", labels, [(this_label, *current), (before_label, *before)]),
        wide=True,
    )


def _shares(key, title, shares, url_of, heading, *, name=None, empty="") -> Panel:
    name = name or (lambda share: share.name)
    rows = [(name(share), [Cell(share.count, url_of(share))]) for share in shares]
    charted = rows[:CHARTED]
    chart = None
    if any(share.count for share in shares):
        chart = _chart(
            "bar",
            [label for label, _cells in charted],
            [
                (
                    pgettext("dashboard", "Incidents"),
                    [cells[0].value for _label, cells in charted],
                    [cells[0].url for _label, cells in charted],
                )
            ],
            horizontal=len(charted) > 4,
        )
    return Panel(
        key=key,
        title=title,
        columns=[heading, pgettext("dashboard", "Incidents")],
        rows=rows,
        chart=chart,
        empty=empty or _("No incident in this period."),
    )


def _agency(code: str) -> str:
    try:
        return str(ExternalReport.Agency(code).label)
    except ValueError:
        return code


def _percent(value: float) -> str:
    return f"{number_format(value, 1)}\u00a0%"


def _minutes(value) -> str:
    if value is None:
        return "—"
    if value >= 120:
        return _("%(hours)s h") % {"hours": number_format(value / 60, 1)}
    return _("%(minutes)s min") % {"minutes": number_format(value, 0)}


def _times(groups, links: Links) -> list[Panel]:
    panels = []
    for key, title, clock_of in (
        ("acknowledge", _("Time to acknowledge"), lambda times: times.acknowledge),
        ("resolve", _("Time to resolve"), lambda times: times.resolve),
    ):
        rows, labels, medians, p90s, targets, urls = [], [], [], [], [], []
        for times in groups:
            clock = clock_of(times)
            label = str(Severity(times.severity).label) if times.severity is not None else _("All severities")
            url = links.queue(severity=times.severity) if times.severity is not None else links.queue()
            share = "—" if clock.percent_in_time is None else _percent(clock.percent_in_time)
            rows.append(
                (
                    label,
                    [
                        Cell(clock.count, url),
                        Cell(_minutes(clock.median)),
                        Cell(_minutes(clock.p90)),
                        Cell(_minutes(clock.target)),
                        Cell(share, url if clock.percent_in_time is not None else ""),
                    ],
                )
            )
            if times.severity is not None:
                labels.append(label)
                medians.append(clock.median)
                p90s.append(clock.p90)
                targets.append(clock.target)
                urls.append(url)
        panels.append(
            Panel(
                key=key,
                title=title,
                columns=[
                    _("Severity"),
                    pgettext("dashboard", "Incidents"),
                    _("Median"),
                    _("90th percentile"),
                    _("Service level"),
                    _("Within the service level"),
                ],
                rows=rows,
                chart=_chart(
                    "bar",
                    labels,
                    [
                        (_("Median (minutes)"), medians, urls),
                        (_("90th percentile (minutes)"), p90s, urls),
                        (_("Service level (minutes)"), targets, urls),
                    ],
                )
                if any(value is not None for value in medians)
                else None,
                note=_(
                    "Counted from the filing. The share within the service level counts the incidents whose "
                    "clock stopped or whose deadline has passed."
                ),
            )
        )
    return panels


def _coverage(rows, period: Period) -> Panel:
    url = reverse("campaigns:year_coverage", args=[period.end.year])
    table = [
        (
            name,
            [
                Cell(figures.staff, url),
                Cell(figures.briefed, url),
                Cell(_percent(figures.percent), url),
            ],
        )
        for _pk, name, figures in rows
    ]
    chart = None
    if rows:
        chart = _chart(
            "bar",
            [name for _pk, name, _figures in rows],
            [(_("Briefed (%)"), [figures.percent for _pk, _name, figures in rows], [url] * len(rows))],
            horizontal=len(rows) > 4,
            max=100,
        )
    return Panel(
        key="coverage",
        title=_("Campaign coverage by department"),
        columns=[_("Department"), _("Staff"), _("Briefed"), _("Share")],
        rows=table,
        chart=chart,
        note=_("Staff reached by a campaign that counts for TT 124 within the period."),
        empty=_("No coverage figures for this period."),
    )


def _duty(days: list[date], period: Period) -> Panel:
    team = reverse("team:team")
    per_month: dict[date, list[date]] = {first: [] for first in period.months()}
    for day in days:
        per_month[day.replace(day=1)].append(day)
    rows, labels, counts, urls = [], [], [], []
    for first, gaps in per_month.items():
        url = f"{team}?week={iso_week(gaps[0])}#week-duty" if gaps else ""
        label = f"{first:%m/%Y}"
        first_gaps = ", ".join(f"{gap:%d/%m}" for gap in gaps[:6]) + (" …" if len(gaps) > 6 else "")
        rows.append((label, [Cell(len(gaps), url), Cell(first_gaps, wraps=True)]))
        labels.append(label)
        counts.append(len(gaps))
        urls.append(url)
    return Panel(
        key="duty",
        title=_("Days without anyone on duty"),
        columns=[_("Month"), _("Days"), _("Which")],
        rows=rows,
        chart=_chart("bar", labels, [(_("Days without a duty shift"), counts, urls)]) if any(counts) else None,
        note=_("Days of the period on which no duty shift of the team starts; each links to that week's roster."),
    )
