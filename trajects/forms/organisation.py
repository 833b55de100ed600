"""The choice of period and business unit on the organisation page, kept in the URL's query
string."""

import datetime

from django import forms
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trajects.reports.figures import Period, add_quarter, quarter_name
from wpo import access
from wpo.forms import date_field
from wpo.models import BusinessUnit, Department

CUSTOM = "custom"
LONGEST_PERIOD_DAYS = 10 * 366


def period_choices(today: datetime.date) -> list[tuple[str, str]]:
    """This year and last, their quarters up to now (newest first), or dates of one's own."""
    this_year, last_year = today.year, today.year - 1
    quarters = []
    first = datetime.date(last_year, 1, 1)
    while first <= today:
        quarters.insert(0, (f"{first.year}-Q{(first.month - 1) // 3 + 1}", quarter_name(first)))
        first = add_quarter(first)
    return [
        (str(this_year), _("This year (%(year)s)") % {"year": this_year}),
        (str(last_year), _("Last year (%(year)s)") % {"year": last_year}),
        *quarters,
        (CUSTOM, _("From and until (the dates)")),
    ]


def visible_units(user):
    """The business units with a department `user` may see."""
    return BusinessUnit.objects.filter(
        departments__in=Department.objects.visible_to(user)
    ).distinct()


def parse_period(value: str) -> Period:
    """A choice of `period_choices`: "2026" or "2026-Q1"."""
    year, _sep, quarter = value.partition("-Q")
    if not quarter:
        return Period(datetime.date(int(year), 1, 1), datetime.date(int(year), 12, 31), year)
    first = datetime.date(int(year), 3 * int(quarter) - 2, 1)
    return Period(first, add_quarter(first) - datetime.timedelta(days=1), quarter_name(first))


class ReportForm(forms.Form):
    """The period and business unit, kept in the URL's query string. Every field may stay empty:
    the page then shows this year for the whole organisation."""

    period = forms.ChoiceField(label=gettext_lazy("Period"), required=False)
    start = date_field(gettext_lazy("From"), required=False)
    end = date_field(gettext_lazy("Until"), required=False)
    unit = forms.ModelChoiceField(
        BusinessUnit.objects.none(),
        label=gettext_lazy("Business unit"),
        required=False,
        empty_label=gettext_lazy("All business units"),
    )

    def __init__(self, *args, user, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["period"].choices = period_choices(today)
        self.fields["unit"].queryset = visible_units(user)

    def clean(self):
        data = super().clean()
        chosen = data.get("period") or str(self.today.year)
        if chosen != CUSTOM:
            data["report_period"] = parse_period(chosen)
            return data
        if "start" in self.errors or "end" in self.errors:
            return data
        end = data.get("end") or self.today
        start = data.get("start") or end.replace(month=1, day=1)
        if start > end:
            self.add_error("start", _("The from date must be on or before the until date."))
        elif (end - start).days > LONGEST_PERIOD_DAYS:
            self.add_error("start", _("Choose a period of at most ten years."))
        else:
            label = _("%(start)s to %(end)s") % {
                "start": formats.date_format(start),
                "end": formats.date_format(end),
            }
            data["report_period"] = Period(start, end, label)
        return data

    def query(self, *, without=()) -> list[tuple[str, str]]:
        """The filter as typed, for the download links and the PDF form."""
        return [
            (name, self.data[name])
            for name in self.fields
            if self.data.get(name) and name not in without
        ]


class PdfForm(forms.Form):
    names = forms.BooleanField(
        label=gettext_lazy("Include participant names (for use within the organisation)"),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not access.may_name_participants(user):
            del self.fields["names"]
