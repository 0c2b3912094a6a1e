"""RDF terms and documents below every other layer: the rdflib ↔ pyoxigraph converters, the
screening every outside document passes, canonical N-Quads, and rdflib's parser lock."""
