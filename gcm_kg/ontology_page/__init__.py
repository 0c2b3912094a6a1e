"""The ontology as a page people read (``document``) with its class diagram (``diagram``),
served by ``web/ontology.py`` beside the linked-data views."""
