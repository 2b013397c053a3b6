"""The data dictionary (an appendix page): tables and columns as datapackage.json describes
them."""

from __future__ import annotations

import pandas as pd

from .dataset import Dataset, load
from .reading import as_list


def dictionary_overview(data: Dataset | None = None) -> pd.DataFrame:
    """One row per table of datapackage.json: file, rows, primary key, links, description."""
    data = data if data is not None else load()
    rows = []
    for resource in data.package["resources"]:
        schema = resource["schema"]
        links = [f"{', '.join(fk['fields'])} → "
                 f"{fk['reference'].get('resource') or resource['name']}."
                 f"{', '.join(fk['reference']['fields'])}"
                 for fk in schema.get("foreignKeys", [])]
        rows.append({
            "table": resource["name"],
            "file": f"data/{resource['path']}",
            "rows": len(getattr(data, resource["name"])),
            "primary key": ", ".join(as_list(schema.get("primaryKey"))),
            "links to": "; ".join(links),
            "description": resource.get("description", ""),
        })
    return pd.DataFrame(rows)


def dictionary_tables(data: Dataset | None = None) -> dict[str, pd.DataFrame]:
    """For each table, one row per column: type, whether required or unique, the allowed
    values or other constraints, the table it links to, and the description."""
    data = data if data is not None else load()
    tables = {}
    for resource in data.package["resources"]:
        schema = resource["schema"]
        primary = as_list(schema.get("primaryKey"))
        links = {}
        for fk in schema.get("foreignKeys", []):
            target = fk["reference"].get("resource") or resource["name"]
            for own, theirs in zip(as_list(fk["fields"]), as_list(fk["reference"]["fields"]),
                                   strict=True):
                links[own] = f"{target}.{theirs}"
        rows = []
        for spec in schema["fields"]:
            constraints = dict(spec.get("constraints", {}))
            enum = constraints.pop("enum", None)
            required = constraints.pop("required", False) or spec["name"] in primary
            unique = constraints.pop("unique", False)
            kind = spec.get("type", "string")
            if spec.get("format") and kind != "date":
                kind += f" ({spec['format']})"
            rows.append({
                "column": spec["name"],
                "type": kind,
                "required": "yes" if required else "no",
                "key": "primary" if spec["name"] in primary else ("unique" if unique else ""),
                "allowed values": " | ".join(enum) if enum else "",
                "other constraints": "; ".join(f"{k} {v}" for k, v in constraints.items()),
                "links to": links.get(spec["name"], ""),
                "description": spec.get("description", ""),
            })
        tables[resource["name"]] = pd.DataFrame(rows)
    return tables
