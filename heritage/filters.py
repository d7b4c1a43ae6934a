"""Filters offered on index pages: their query-string names are public URLs and stay stable."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .models.taxonomy import Period, Village


@dataclass
class EntryFilter:
    """One filter: the query-string parameter, what it filters on and the options it offers."""

    param: str
    label: str
    lookup: str
    options: object  # callable(queryset) -> [(value, label)]
    distinct: bool = False


@dataclass
class ActiveFilter:
    param: str
    label: str
    options: list
    selected: str = ""
    values: set = field(default_factory=set)


def village_options(entries):
    ids = entries.exclude(village=None).values_list("village", flat=True).distinct()
    return [(str(village.pk), village.name) for village in Village.objects.filter(pk__in=ids).order_by("name")]


def period_options(entries):
    ids = entries.exclude(period=None).values_list("period", flat=True).distinct()
    return [(str(period.pk), period.name) for period in Period.objects.filter(pk__in=ids)]


def choice_options(choices):
    return lambda entries: [(str(value), str(label)) for value, label in choices]


def common_filters():
    return [
        EntryFilter("village", _("Village"), "village", village_options),
        EntryFilter("period", _("Period"), "period", period_options),
    ]


def apply_filters(entries, filters, query):
    """Filter ``entries`` by the valid values in ``query``; unknown values are ignored, never an error."""
    active = []
    filtered = entries
    for entry_filter in filters:
        options = entry_filter.options(entries)
        valid = {value for value, _label in options}
        selected = query.get(entry_filter.param, "")
        if selected in valid:
            filtered = filtered.filter(**{entry_filter.lookup: selected})
            if entry_filter.distinct:
                filtered = filtered.distinct()
        else:
            selected = ""
        active.append(ActiveFilter(entry_filter.param, entry_filter.label, options, selected))
    return filtered, active
