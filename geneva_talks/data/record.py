"""The validation record: Frictionless is by far the slowest stage, so ``load()`` skips it
for bytes it has passed before. A small file under the user's cache folder is keyed on the
SHA-256 of every file the package uses and of the validating code (this package's modules
and the Frictionless release), never on paths or modification times."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import tempfile
from pathlib import Path


def validation_records_dir() -> Path | None:
    """Where load() records the packages Frictionless has passed (one small file each):
    ``$XDG_CACHE_HOME/geneva_talks/validated``, by default under ``~/.cache``; None when
    there is no home folder to put it in."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None
    return Path(base) / "geneva_talks" / "validated"


_VALIDATOR: str | None = None


def _validator() -> str:
    """A fingerprint of the validating code: this package's modules and the Frictionless release
    (read from its installed metadata folder's name, without importing it)."""
    global _VALIDATOR
    if _VALIDATOR is None:
        digest = hashlib.sha256()
        for module in sorted(Path(__file__).parent.glob("*.py")):
            digest.update(module.read_bytes())
        spec = importlib.util.find_spec("frictionless")
        if spec is not None and spec.origin:
            site = Path(spec.origin).resolve().parent.parent
            digest.update(" ".join(sorted(p.name for p in site.glob("frictionless-*.dist-info")))
                          .encode("utf-8"))
        _VALIDATOR = digest.hexdigest()
    return _VALIDATOR


def validation_record(raw: dict[str, bytes]) -> Path | None:
    """The record that says Frictionless passed exactly these bytes with this code (it may not
    exist yet); None when there is no usable cache folder."""
    folder = validation_records_dir()
    if folder is None:
        return None
    return folder / hashlib.sha256(f"{_validator()}\0{digest(raw)}".encode("ascii")).hexdigest()


def remember(record: Path | None, raw: dict[str, bytes]) -> None:
    """Write ``record`` (atomically; a read-only or missing cache folder is not an error)."""
    if record is None:
        return
    files = {name: hashlib.sha256(data).hexdigest() for name, data in sorted(raw.items())}
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=record.parent, delete=False,
                                         encoding="utf-8", suffix=".tmp") as handle:
            json.dump({"passed": "frictionless", "validator": _validator(), "files": files},
                      handle, indent=1)
        os.replace(handle.name, record)
    except OSError:
        pass


def digest(raw: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(raw):
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(raw[name]).digest())
    return digest.hexdigest()
