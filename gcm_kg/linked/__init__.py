"""Linked-data representations: the published context, resource descriptions, framed
JSON-LD, collections, the dataset description and dumps. No Flask here."""
