"""The light-page tooling on its own, without a build: the icon stylesheet (book_tools.icons),
and the rules that take what the first view does not need out of its way, in the asset lists
and in the written pages (book_tools.page_speed)."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from sphinx.builders.html._assets import _CascadingStyleSheet, _JavaScript

from book_tools import icons, page_speed


def test_every_icon_is_a_well_formed_svg_data_url():
    for name in icons.ICONS:
        url = icons.icon_url(name)
        assert url.startswith('url("data:image/svg+xml,') and url.endswith('")'), name
        inside = url[len('url("'):-2]
        assert not set('"#<>') & set(inside), f"{name}: unescaped character in {inside[:60]}"
        svg = unquote(inside.split(",", 1)[1])
        assert svg.startswith("<svg xmlns=") and svg.endswith("</svg>"), name
        width, height, path = icons.ICONS[name]
        assert f"viewBox='0 0 {width} {height}'" in svg and path in svg


def test_the_stylesheet_draws_every_icon_and_never_the_font():
    css = icons.icons_css()
    for name in icons.ICONS:
        assert re.search(rf"^\.fa-{re.escape(name)} {{ --geneva-icon: url", css, re.M), name
    used = set(icons.PSEUDO_ICONS.values()) | {n for n in icons.ADMONITIONS.values() if n}
    assert used <= set(icons.ICONS), used - set(icons.ICONS)
    assert "Font Awesome" not in css.split("*/", 1)[1]
    assert css.count("{") == css.count("}")


def test_an_icon_without_a_path_shows_nothing_rather_than_a_box():
    assert f"var(--geneva-icon, {icons.NOTHING})" in icons.mask()


def test_icon_names_reads_the_icons_a_page_asks_for():
    page = ('<i class="theme-switch fa-solid fa-sun fa-lg"></i><span class="fa-solid fa-bars">'
            '</span><i class="fas fa-file-pdf"></i><p class="fancy no-fa-here">')
    assert icons.icon_names(page) == {"sun", "bars", "file-pdf"}


HEAD = """<head>
  <link href="../_static/styles/theme.css?digest=abc" rel="stylesheet" />
  <!-- So that users can add custom icons -->
  <script defer src="../_static/scripts/fontawesome.js?digest=55c26ed414f5f8a31ebb"></script>
  <script src="../_static/doctools.js?v=9a2dae69"></script>
    <script src="../_static/searchtools.js"></script>
    <script src="../_static/language_data.js"></script>
    <script src="../searchindex.js"></script>
</head>"""
SEARCH_FILES = ("searchtools.js", "language_data.js", "searchindex.js")


def test_fontawesome_js_is_dropped_and_nothing_else():
    light = page_speed.drop_fontawesome("chapters/a.html", HEAD)
    assert "fontawesome.js" not in light
    assert "doctools.js" in light and "theme.css" in light
    assert page_speed.drop_fontawesome("chapters/a.html", light) == light


def test_the_search_tools_stay_on_the_search_page_only():
    light = page_speed.search_tools_on_the_search_page("chapters/a.html", HEAD)
    assert not any(name in light for name in SEARCH_FILES), light
    assert "doctools.js" in light and "fontawesome.js" in light
    root = HEAD.replace("../", "")
    assert not any(name in page_speed.search_tools_on_the_search_page("intro.html", root)
                   for name in SEARCH_FILES)
    assert page_speed.search_tools_on_the_search_page("search.html", root) == root


@pytest.mark.parametrize("rule", page_speed.RULES, ids=lambda r: r.__name__)
def test_every_rule_changes_nothing_the_second_time(rule):
    for page in ("intro.html", "search.html", "chapters/classroom/explorer.html"):
        once = rule(page, HEAD)
        assert rule(page, once) == once


def test_lighten_pages_rewrites_only_the_pages_that_change(tmp_path):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "a.html").write_text(HEAD, encoding="utf-8")
    (tmp_path / "b.html").write_text("<head></head>", encoding="utf-8")
    assert page_speed.lighten_pages(tmp_path) == ["chapters/a.html"]
    assert page_speed.lighten_pages(tmp_path) == []


def css_assets() -> list:
    return [_CascadingStyleSheet("_static/book.css"),
            _CascadingStyleSheet("_static/print.css?v=1"),
            _CascadingStyleSheet("_static/sphinx-design.min.css?v=2")]


def js_assets() -> list:
    return [_JavaScript("_static/documentation_options.js"),
            _JavaScript("_static/doctools.js?v=1"),
            _JavaScript(None, body="let toggleHintShow = 'Click to show';"),
            _JavaScript("_static/design-tabs.js"),
            _JavaScript("../mathjax/tex-mml-chtml.js", defer="defer"),
            _JavaScript(None, type="application/vnd.jupyter.widget-state+json", body="{}"),
            _JavaScript("_static/../widgets/require.js")]


def test_print_styles_are_for_print_only():
    media = {a.filename: a.attributes.get("media")
             for a in page_speed.print_styles_for_print(css_assets())}
    assert media == {"_static/book.css": None, "_static/print.css?v=1": "print",
                     "_static/sphinx-design.min.css?v=2": None}


def test_scripts_are_deferred_unless_they_must_run_in_place():
    deferred = {str(a.filename) for a in page_speed.defer_scripts(js_assets())
                if a.attributes.get("defer")}
    assert deferred == {"_static/doctools.js?v=1", "_static/design-tabs.js",
                        "../mathjax/tex-mml-chtml.js"}
    assert len(page_speed.defer_scripts(js_assets())) == len(js_assets())


def test_sphinx_design_goes_where_it_is_used():
    names = [str(a.filename) for a in page_speed.without_sphinx_design(
        css_assets() + js_assets())]
    assert not any("sphinx-design" in n or "design-tabs" in n for n in names), names
    assert page_speed.USES_SPHINX_DESIGN.search('<details class="sd-sphinx-override sd-card">')
    assert not page_speed.USES_SPHINX_DESIGN.search('<p class="lead">sd-card in prose</p>')


def test_pages_link_basic_css_where_they_linked_the_theme_css_that_imports_it():
    tag = '<link href="../_static/styles/theme.css?digest=55c2" rel="stylesheet" />'
    light = page_speed.link_basic_css("chapters/a.html", tag)
    assert light == '<link href="../_static/basic.css" rel="stylesheet" />'
    other = '<link rel="stylesheet" href="../_static/styles/sphinx-book-theme.css?v=3" />'
    assert page_speed.link_basic_css("chapters/a.html", other) == other


def test_the_hop_is_skipped_only_while_theme_css_is_the_bare_import(tmp_path):
    styles = tmp_path / "_static" / "styles"
    styles.mkdir(parents=True)
    (styles / "theme.css").write_text('/* basic */\n@import "../basic.css";\n', "utf-8")
    assert page_speed.link_basic_css in page_speed.site_rules(tmp_path)
    (styles / "theme.css").write_text('@import "../basic.css";\nbody { color: red; }\n')
    assert page_speed.link_basic_css not in page_speed.site_rules(tmp_path)


def test_only_the_glyph_rules_leave_the_theme_stylesheet():
    css = ('.fa-solid{font-weight:900}.fa-a:before{content:"\\f001"}'
           '.fa-b:before,.fa-c:before{content:"\\f002"}i.fa-d:before{content:"\\f003"}'
           '.fa-lg{font-size:1.25em}.x .fa-e:before{content:var(--y)}')
    assert page_speed.strip_glyph_rules(css) == (
        '.fa-solid{font-weight:900}i.fa-d:before{content:"\\f003"}'
        '.fa-lg{font-size:1.25em}.x .fa-e:before{content:var(--y)}')


def test_images_of_the_build_get_their_sizes(tmp_path):
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 64"></svg>', "utf-8")
    (tmp_path / "_static" / "dot.png").write_bytes(
        b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" + (3).to_bytes(4, "big") + (2).to_bytes(4, "big"))
    rule = page_speed.size_images(tmp_path)
    page = ('<img src="../_static/logo.svg" class="logo"/><img src="../_static/dot.png"/>'
            '<img src="../_static/gone.svg"/><img width="9" height="9" src="../_static/dot.png"/>')
    assert rule("chapters/a.html", page) == (
        '<img src="../_static/logo.svg" class="logo" width="240" height="64"/>'
        '<img src="../_static/dot.png" width="3" height="2"/>'
        '<img src="../_static/gone.svg"/><img width="9" height="9" src="../_static/dot.png"/>')
    assert rule("chapters/a.html", rule("chapters/a.html", page)) == rule("chapters/a.html", page)
