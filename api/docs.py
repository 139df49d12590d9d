"""The API's documentation page: the OpenAPI schema the code generates, read into a page of the
site (its styles, its policy, its accessibility), so nothing in it is written twice."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from api.main import api


def _type(schema: dict[str, Any]) -> str:
    """A schema in a few words: "integer", "string (date)", "CheckInOut", "string or null"."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(_type(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {_type(schema.get('items', {}))}"
    kind = str(schema.get("type", "object"))
    return f"{kind} ({schema['format']})" if "format" in schema else kind


def _body(content: dict[str, Any]) -> str:
    return next((_type(media.get("schema", {})) for media in content.values()), "")


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            rows.append(
                {
                    "id": op["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "tag": (op.get("tags") or [""])[0],
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "public": not op.get("security"),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "type": _type(p["schema"]),
                        }
                        for p in op.get("parameters", [])
                    ],
                    "body": _body(op.get("requestBody", {}).get("content", {})),
                    "responses": [
                        {
                            "status": status,
                            "description": r.get("description", ""),
                            "body": _body(r.get("content", {})),
                        }
                        for status, r in sorted(op["responses"].items(), key=lambda item: str(item[0]))
                    ],
                }
            )
    return rows


def docs_page(request: HttpRequest) -> HttpResponse:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    components = [
        {
            "name": name,
            "fields": [
                {"name": field, "type": _type(spec), "required": field in component.get("required", [])}
                for field, spec in component.get("properties", {}).items()
            ],
            "values": component.get("enum", []),
        }
        for name, component in sorted(schema["components"]["schemas"].items())
    ]
    context = {"info": schema["info"], "openapi": schema["openapi"], "operations": _operations(schema)}
    return render(request, "api/docs.html", {**context, "components": components})
