"""Sphinx's page assets (the entries of ``script_files`` and ``css_files``), read and copied.

Sphinx's asset classes are private and frozen, so the extensions that change a page's
assets (book_tools.page_speed, book_tools.widget_loading) never import them: they read an
asset's file name here, and make a changed copy with the asset's own class.
"""

from __future__ import annotations


def asset_filename(asset) -> str:
    """The file an asset loads, without Sphinx's ``?v=`` cache-buster ("" for inline code)."""
    return str(getattr(asset, "filename", asset) or "").split("?")[0]


def with_attributes(asset, **attributes):
    """A copy of a (frozen) Sphinx asset with ``attributes`` added or replaced."""
    return type(asset)(asset.filename, priority=asset.priority,
                       **{**asset.attributes, **attributes})
