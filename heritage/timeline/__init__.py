"""The timeline for students: dated events of every kind of entry, drawn on one axis.

``events`` holds the contract the page models fill (no model imports, so ``heritage.models`` can
use it); ``collect`` gathers the events of a site's live entries with a fixed number of queries.
"""
