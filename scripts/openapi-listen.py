#!/usr/bin/env python3
"""Writes http/openapi_listen.json, the Listen API half of Hark's OpenAPI document, from the
official Listen API spec (../shared/contracts/listen-api-v2.openapi.yaml, or the path given).

Only the interface is kept: paths, methods, operation ids, summaries, parameter and form field
names with their types, and status codes. The response bodies are named after the spec's
schemas. The operations the spec lacks (search_episode_titles and the playlist writes, which the
official Python client's contract has) are added by hand below. Hark's own operations are
written in http/openapi.go."""
import json
import sys

import yaml

KEEP = ("type", "enum", "default", "minimum", "maximum", "format")


def schema(s, spec):
    if "$ref" in s:
        s = resolve(s["$ref"], spec)
    out = {k: s[k] for k in KEEP if k in s}
    if "items" in s:
        out["items"] = schema(s["items"], spec)
    return out


def resolve(ref, spec):
    node = spec
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


def param(p, spec):
    if "$ref" in p:
        p = resolve(p["$ref"], spec)
    if p["in"] == "header":
        return None  # the API key header is the security scheme
    return {"name": p["name"], "in": p["in"], "required": bool(p.get("required")), "schema": schema(p.get("schema", {}), spec)}


def form(body, spec):
    s = body["content"]["application/x-www-form-urlencoded"]["schema"]
    if "$ref" in s:
        s = resolve(s["$ref"], spec)
    props = {k: schema(v, spec) for k, v in s.get("properties", {}).items()}
    out = {"type": "object", "properties": props}
    if s.get("required"):
        out["required"] = s["required"]
    return {"required": bool(body.get("required")), "content": {"application/x-www-form-urlencoded": {"schema": out}}}


def responses(rs):
    out = {}
    for code, r in rs.items():
        code = "500" if code == "5XX" else code
        desc = "OK" if code.startswith("2") else "Error"
        entry = {"description": desc}
        try:
            ref = r["content"]["application/json"]["schema"]["$ref"]
            entry["content"] = {"application/json": {"schema": {"type": "object", "description": "Listen API v2 " + ref.rsplit("/", 1)[1]}}}
        except (KeyError, TypeError):
            entry["content"] = {"application/json": {"schema": {"type": "object"}}}
        out[code] = entry
    return out


def op(o, spec):
    params = [x for x in (param(p, spec) for p in o.get("parameters", [])) if x]
    out = {"operationId": o["operationId"], "summary": o.get("summary", ""), "tags": ["Listen API"], "parameters": params,
           "responses": responses(o["responses"])}
    if "requestBody" in o:
        out["requestBody"] = form(o["requestBody"], spec)
    return out


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "../shared/contracts/listen-api-v2.openapi.yaml"
    spec = yaml.safe_load(open(path))
    paths = {}
    for p, ops in spec["paths"].items():
        for m, o in ops.items():
            if m in ("get", "post", "put", "delete"):
                paths.setdefault(p, {})[m] = op(o, spec)
    ok = {"200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}},
          "400": {"description": "Error"}, "401": {"description": "Error"}, "404": {"description": "Error"},
          "429": {"description": "Error"}, "500": {"description": "Error"}}
    str_ = {"type": "string"}

    def q(name, required=False, s=str_):
        return {"name": name, "in": "query", "required": required, "schema": s}

    def pathp(name):
        return {"name": name, "in": "path", "required": True, "schema": str_}

    def body(props, required):
        return {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
            "type": "object", "properties": {k: str_ for k in props}, "required": required}}}}

    def extra(opid, summary, params, rb=None, status="200"):
        o = {"operationId": opid, "summary": summary, "tags": ["Listen API"], "parameters": params, "responses": dict(ok)}
        if status != "200":
            o["responses"][status] = o["responses"].pop("200")
        if rb:
            o["requestBody"] = rb
        return o

    paths["/search_episode_titles"] = {"get": extra("searchEpisodeTitles", "Search episode titles", [q("q", True), q("podcast_id", True)])}
    paths["/playlists"]["post"] = extra("createPlaylist", "Create a playlist", [], body(["name", "description", "visibility", "type"], ["name"]), "201")
    paths["/playlists/{id}"]["put"] = extra("updatePlaylist", "Update a playlist", [pathp("id")], body(["name", "description", "visibility"], []))
    paths["/playlists/{id}"]["delete"] = extra("deletePlaylist", "Delete a playlist", [pathp("id")])
    paths["/playlists/{id}/items"] = {"post": extra("addPlaylistItem", "Add an item to a playlist", [pathp("id")], body(["episode_id", "podcast_id", "notes"], []), "201")}
    paths["/playlists/{id}/items/{item_id}"] = {
        "put": extra("updatePlaylistItem", "Update a playlist item's notes", [pathp("id"), pathp("item_id")], body(["notes"], ["notes"])),
        "delete": extra("deletePlaylistItem", "Delete a playlist item", [pathp("id"), pathp("item_id")]),
    }
    json.dump({"paths": dict(sorted(paths.items()))}, open("http/openapi_listen.json", "w"), indent=1, sort_keys=True)
    open("http/openapi_listen.json", "a").write("\n")


main()
