"""Maps and places: coordinates, geocoding, photo positions, distances, GeoJSON and the public maps.

Nothing here imports a content app: the located kinds are found among the subclasses of
``HeritagePage`` that carry ``GeoLocationMixin``, and a festival takes the place of the relic it is
"held at" through the core's ``EntryLink``.
"""
