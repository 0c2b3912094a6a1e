"""The OpenAPI 3 description of the portal API, generated from the collection table and frames.

Member schemas come from the frames and the context's terms, so the description says exactly
which keys each JSON-LD object always has and what their values may be.
"""

from __future__ import annotations

from typing import Any

from gcm_kg.linked import frames
from gcm_kg.linked.context import Term, load
from gcm_kg.linked.listing import LISTINGS

JSON = dict[str, Any]
JSONLD = "application/ld+json"
MAX_PAGE = 1_000_000
MAX_PER_PAGE = 100

FRAME_OF = {
    "objectives": frames.OBJECTIVE,
    "principles": frames.PRINCIPLE,
    "round-tables": frames.ROUND_TABLE,
    "paragraphs": frames.PARAGRAPH,
    "actors": frames.ACTOR,
    "pledges": frames.PLEDGE,
    "commitments": frames.COMMITMENT,
    "actions": frames.ACTION,
}
_XSD = "http://www.w3.org/2001/XMLSchema#"


def _ref(name: str) -> JSON:
    return {"$ref": f"#/components/schemas/{name}"}


def _literal_schema(term: Term) -> JSON:
    if term.coerce == _XSD + "integer":
        return {"type": "integer"}
    if term.coerce == _XSD + "boolean":
        return {"type": "boolean"}
    return {"type": "string"}


def _term_schema(term: Term) -> JSON:
    one = _ref("NodeOrReference") if term.is_link else _literal_schema(term)
    item = {"anyOf": [one, _ref("ValueObject")]}
    if term.many:
        return {"type": "array", "items": item}
    return {"anyOf": [one, _ref("ValueObject"), {"type": "null"}, {"type": "array", "items": item}]}


def _frame_schema(frame: frames.Frame) -> JSON:
    ctx = load()
    props: JSON = {"id": {"type": "string"}, "type": {"type": "array", "items": {"type": "string"}}}
    for key in frame.keys:
        props[key] = _term_schema(ctx.terms[key])
    return {
        "type": "object",
        "required": ["id", "type", *frame.keys],
        "properties": props,
        "additionalProperties": True,
    }


def _problem(description: str) -> JSON:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": _ref("Problem")}},
    }


def _ok(schema: JSON, description: str) -> JSON:
    return {
        "description": description,
        "content": {JSONLD: {"schema": schema}, "application/json": {"schema": schema}},
    }


LANG: JSON = {
    "name": "lang",
    "in": "query",
    "required": False,
    "description": "The language of names (en, fr, es; others fall back to English); wins over "
    "Accept-Language. Without either, every language the data has is kept.",
    "schema": {"type": "string", "pattern": "^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$"},
    "example": "fr",
}


def _collection_path(kind: str) -> JSON:
    spec = LISTINGS[kind]
    params = [
        {
            "name": f.name,
            "in": "query",
            "required": False,
            "description": f.description,
            "schema": f.schema,
            "example": f.example,
        }
        for f in spec.filters
    ]
    params += [
        {
            "name": "page",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
        },
        {
            "name": "per_page",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 20},
        },
        LANG,
    ]
    name = "".join(p.title() for p in kind.split("-"))
    return {
        "get": {
            "operationId": f"list{name}",
            "summary": spec.title,
            "parameters": params,
            "responses": {
                "200": _ok(_collection_schema(FRAME_OF[kind].name), "One page of the collection"),
                "400": _problem("A parameter is unknown, repeated or has a bad value"),
                "404": _problem(
                    "The page is past the last page, or a filter names something the graph "
                    "does not have (an unknown actor, kind or section)"
                ),
                "406": _problem("No acceptable media type"),
            },
        }
    }


def _collection_schema(frame_name: str) -> JSON:
    nullable_url = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    return {
        "type": "object",
        "required": ["@context", "id", "type", "totalItems", "member", "view"],
        "properties": {
            "@context": {"type": "string"},
            "id": {"type": "string"},
            "type": {"const": "Collection"},
            "totalItems": {"type": "integer", "minimum": 0},
            "member": {"type": "array", "items": _ref(_schema_name(frame_name))},
            "view": {
                "type": "object",
                "required": ["id", "type", "first", "last", "next", "previous"],
                "properties": {
                    "id": {"type": "string"},
                    "type": {"const": "PartialCollectionView"},
                    "first": {"type": "string"},
                    "last": {"type": "string"},
                    "next": nullable_url,
                    "previous": nullable_url,
                },
            },
        },
    }


def _schema_name(frame_name: str) -> str:
    return "".join(p.title() for p in frame_name.split("-"))


def _resource_path(template: str, param: JSON, summary: str) -> JSON:
    rdf = {"schema": {"type": "string"}}
    return {
        "get": {
            "summary": summary,
            "description": "Content negotiation via Accept or the format parameter.",
            "parameters": [
                param,
                {
                    "name": "format",
                    "in": "query",
                    "required": False,
                    "schema": {
                        "type": "string",
                        "enum": [
                            "html",
                            "turtle",
                            "jsonld",
                            "ntriples",
                            "rdfxml",
                            "trig",
                            "nquads",
                        ],
                    },
                },
            ],
            "responses": {
                "200": {
                    "description": "The resource",
                    "content": {
                        JSONLD: {"schema": {"type": "object"}},
                        "text/turtle": rdf,
                        "text/html": rdf,
                        "application/n-triples": rdf,
                        "application/rdf+xml": rdf,
                        "application/trig": rdf,
                        "application/n-quads": rdf,
                    },
                },
                "400": _problem("Unknown or repeated format parameter"),
                "404": {
                    "description": "No such resource",
                    "content": {
                        "application/problem+json": {"schema": _ref("Problem")},
                        **{"text/html": rdf, "text/plain": rdf},
                    },
                },
                "406": _problem("No acceptable media type"),
            },
        }
    }


def _id_paths() -> JSON:
    number = {"name": "n", "in": "path", "required": True, "schema": {"type": "integer"}}
    slug = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
    return {
        "/id/objective/{n}": _resource_path("objective", number, "An objective"),
        "/id/round-table/{n}": _resource_path("round-table", number, "A round table"),
        "/id/declaration/imrf-2022/paragraph/{n}": _resource_path(
            "paragraph", number, "A paragraph of the Progress Declaration"
        ),
        "/id/principle/{slug}": _resource_path("principle", slug, "A guiding principle"),
        "/id/actor/{slug}": _resource_path("actor", slug, "An actor"),
        "/id/pledge/{slug}": _resource_path("pledge", slug, "A pledge"),
    }


def components() -> JSON:
    schemas: JSON = {
        "Problem": {
            "type": "object",
            "required": ["title", "status", "detail"],
            "properties": {
                "type": {"type": "string"},
                "title": {"type": "string"},
                "status": {"type": "integer"},
                "detail": {"type": "string"},
            },
        },
        "ValueObject": {
            "type": "object",
            "required": ["@value"],
            "properties": {
                "@value": {"type": ["string", "number", "boolean"]},
                "@language": {"type": "string"},
                "@type": {"type": "string"},
            },
        },
        "NodeOrReference": {
            "type": "object",
            "description": "A referenced resource (id, label, prefLabel, and code for SDG "
            "targets) or an embedded node (qualified links, commitment text).",
            "required": ["id"],
            "properties": {"id": {"type": "string"}},
            "additionalProperties": True,
        },
    }
    for frame in FRAME_OF.values():
        schemas[_schema_name(frame.name)] = _frame_schema(frame)
    return {"schemas": schemas}


def _changes_path() -> JSON:
    activity = {
        "type": "object",
        "required": ["id", "type", "published", "summary", "object", "target"],
        "properties": {
            "id": {"type": "string"},
            "type": {"enum": ["Create", "Delete", "Update"]},
            "published": {"type": "string", "format": "date-time"},
            "summary": {"type": "string"},
            "object": {
                "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
            },
            "target": {"type": "string"},
            "generated": {"type": "array", "items": {"type": "string"}},
            "invalidated": {"type": "array", "items": {"type": "string"}},
        },
    }
    body = {
        "type": "object",
        "required": ["@context", "id", "type", "totalItems"],
        "properties": {
            "type": {"enum": ["OrderedCollection", "OrderedCollectionPage"]},
            "totalItems": {"type": "integer", "minimum": 0},
            "orderedItems": {"type": "array", "items": activity},
        },
    }
    content = {
        m: {"schema": body} for m in (JSONLD, "application/activity+json", "application/json")
    }
    return {
        "get": {
            "operationId": "getChanges",
            "summary": "The change feed: accepted writes, retractions and rebuilds, newest first "
            "(ActivityStreams 2.0 OrderedCollection; without page, the collection with its "
            "first and last pages)",
            "parameters": [
                {
                    "name": "page",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                },
                {
                    "name": "since",
                    "in": "query",
                    "description": "Only activities published at or after this time (ISO 8601)",
                    "schema": {"type": "string", "format": "date-time"},
                },
            ],
            "responses": {
                "200": {"description": "The collection or one page of it", "content": content},
                "304": {"description": "Not modified (If-None-Match / If-Modified-Since)"},
                "400": _problem("A bad page number or time"),
                "404": _problem("A page past the last"),
                "406": _problem("No acceptable media type"),
            },
        }
    }


def document(server_url: str) -> JSON:
    paths: JSON = {kind: _collection_path(kind) for kind in LISTINGS}
    paths = {f"/api/{kind}": spec for kind, spec in paths.items()}
    one = {
        "name": "n",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1, "maximum": 23},
    }
    paths["/api/objectives/{n}"] = {
        "get": {
            "operationId": "getObjective",
            "summary": "One objective, framed (same JSON-LD as /id/objective/{n})",
            "parameters": [one, LANG],
            "responses": {
                "200": _ok(_ref("Objective"), "The objective"),
                "400": _problem("The number is not a whole number"),
                "404": _problem("No such objective"),
                "406": _problem("No acceptable media type"),
            },
        }
    }
    paths["/context.jsonld"] = {
        "get": {
            "operationId": "getContext",
            "summary": "The published JSON-LD context",
            "responses": {
                "200": {
                    "description": "The context",
                    "content": {JSONLD: {"schema": {"type": "object", "required": ["@context"]}}},
                }
            },
        }
    }
    paths["/changes"] = _changes_path()
    paths.update(_id_paths())
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "gcm-kg linked data API",
            "version": "0.1.0",
            "description": "JSON-LD for partner portals: the Global Compact for Migration, the "
            "2022 IMRF Progress Declaration, pledges and actors. Every response uses the "
            "published context /context.jsonld. Data licence: CC BY 4.0.",
            "license": {
                "name": "CC BY 4.0 (data)",
                "url": "https://creativecommons.org/licenses/by/4.0/",
            },
        },
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": components(),
    }
