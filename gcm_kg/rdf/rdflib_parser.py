"""The lock around rdflib's SPARQL parser, for call sites that hold it explicitly.

It is the same re-entrant lock that ``gcm_kg.rdf.rdflib_threads`` puts around the grammar's entry
points (which also covers parses made inside pyshacl and rdflib); see there for why.
"""

from __future__ import annotations

from gcm_kg.rdf.rdflib_threads import PARSE_LOCK as PARSER_LOCK

__all__ = ["PARSER_LOCK"]
