"""Linked-data representations: the published context, resource descriptions, framed JSON-LD, collections, dataset description."""
