"""The built-in search index: one row per entry and an inverted index of its terms.

Both tables are derived data. ``rebuild_search_index`` recreates them from the pages, so they
may be emptied at any time; nothing links to them.
"""

from django.db import models


class SearchEntry(models.Model):
    """What a result shows of an entry, and what the search filters and scopes on.

    Kept short: a search reads this row for every matching entry. The long texts, needed only for
    the snippets of one page of results, are in ``SearchText``.
    """

    # The page's id; not a foreign key, so the index never holds up deleting a page.
    id = models.BigIntegerField(primary_key=True)
    type = models.CharField(max_length=32)
    path = models.CharField(max_length=255, db_index=True)  # tree path, for scoping to a commune
    published_at = models.DateTimeField(null=True, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)
    # "name<TAB>value<TAB>label" lines: cheaper to read per candidate than JSON.
    facets = models.TextField(blank=True)
    title = models.CharField(max_length=255)
    source_id = models.CharField(max_length=64)
    url_path = models.TextField()

    def __str__(self):
        return self.title


class SearchText(models.Model):
    """The texts of an entry that snippets and suggestions quote."""

    entry = models.OneToOneField(SearchEntry, on_delete=models.CASCADE, primary_key=True, related_name="texts")
    names = models.TextField(blank=True)  # other names, one a line
    summary = models.TextField(blank=True)
    text = models.TextField(blank=True)  # passages, one a line

    def __str__(self):
        return self.summary[:50]


class SearchTerm(models.Model):
    """One term of one entry, with its weight summed over the fields it occurs in.

    Terms are folded syllables ("dinh"), accented syllables where they differ ("đình"), folded
    bigrams ("dinh_dong"), runs of syllables written together ("tranhungdao"), and, for titles
    and other names only, whole names ("=tranhungdao") and beginnings (">tr", "^tranhu") for
    suggestions as the visitor types.
    """

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=100)
    weight = models.FloatField()
    fields = models.PositiveSmallIntegerField()  # bit mask of the fields it occurs in (see search.builtin)

    class Meta:
        # Covers the candidate query (term, entry, weight, fields) without reading the table.
        indexes = [models.Index(fields=["term", "entry", "weight", "fields"], name="search_term_lookup")]

    def __str__(self):
        return self.term


class SearchIndexState(models.Model):
    """A token that changes with every write to the index, so processes know when their cache is stale.

    A random token rather than a counter: a rolled-back write restores the previous token together
    with the previous content, and no later write can reuse it.
    """

    name = models.CharField(max_length=32, primary_key=True)
    token = models.CharField(max_length=32)

    def __str__(self):
        return f"{self.name}: {self.token}"
