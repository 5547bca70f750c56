#!/usr/bin/env python3
"""Trim the NL Design System (Utrecht) component CSS to the classes Gastvrij uses.

Run after `npm install @utrecht/component-library-css` in a scratch folder (never in the repo):

    python3 crates/web/static/nlds/vendor.py /tmp/nlds/node_modules crates/web/static/nlds/tokens.css \\
        crates/web/static/nlds

It writes utrecht.css (every page) and utrecht-werkplek.css (table and status badge, staff
pages only).

A rule survives when every `utrecht-*` class in one of its selectors is in KEEP below: forced
state classes (`--hover`, `--focus-visible`), `--html-*` variants and components we do not use
are dropped. Add a class to KEEP when a template needs it and run this again. The design
tokens are not vendored (they are Gemeente Utrecht's own brand); see `thema.css`.
"""
import json
import re
import sys

COMPONENTS = [
    "page", "page-header", "page-footer", "skip-link", "heading-1", "heading-2", "heading-3", "heading-4",
    "heading-5", "heading-6", "paragraph", "link", "button", "form-field", "form-label", "form-fieldset",
    "textbox", "textarea", "select", "checkbox", "radio-button", "form-field-description",
    "form-field-error-message", "alert", "table", "unordered-list", "status-badge", "separator",
]

KEEP = set("""
utrecht-page utrecht-page__content utrecht-page-header utrecht-page-header__content
utrecht-page-footer utrecht-page-footer__content
utrecht-skip-link utrecht-skip-link--visible-on-focus
utrecht-heading-1 utrecht-heading-2 utrecht-heading-3 utrecht-heading-4 utrecht-heading-5 utrecht-heading-6
utrecht-paragraph utrecht-paragraph--lead
utrecht-link utrecht-link--html-a utrecht-link--telephone
utrecht-button utrecht-button--primary-action utrecht-button--secondary-action utrecht-button--subtle
utrecht-form-field utrecht-form-field--checkbox utrecht-form-field--radio utrecht-form-field--invalid
utrecht-form-field__label utrecht-form-field__input utrecht-form-field__description utrecht-form-field__error-message
utrecht-form-label utrecht-form-label--checkbox utrecht-form-label--radio
utrecht-form-fieldset utrecht-form-fieldset--html-fieldset utrecht-form-fieldset--invalid
utrecht-form-fieldset__fieldset--html-fieldset
utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend
utrecht-textbox utrecht-textbox--html-input utrecht-textbox--invalid
utrecht-textarea utrecht-textarea--html-textarea utrecht-textarea--invalid
utrecht-select utrecht-select--html-select utrecht-select--invalid
utrecht-checkbox utrecht-checkbox--html-input
utrecht-radio-button utrecht-radio-button--html-input utrecht-radio-button--invalid
utrecht-form-field-description utrecht-form-field-error-message
utrecht-alert utrecht-alert--error utrecht-alert--info utrecht-alert--ok utrecht-alert--warning
utrecht-alert__content utrecht-alert__message
utrecht-table utrecht-table--html-table utrecht-table__body utrecht-table__header utrecht-table__row
utrecht-table__cell utrecht-table__header-cell utrecht-table__caption
utrecht-unordered-list utrecht-unordered-list__item
utrecht-status-badge utrecht-status-badge--active utrecht-status-badge--inactive utrecht-status-badge--safe
utrecht-status-badge--warning utrecht-status-badge--danger utrecht-status-badge--neutral
utrecht-status-badge--error utrecht-status-badge--success
utrecht-separator
""".split())


def strip_comments(css):
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def parse(css, i=0):
    """Parse rules until a closing brace: a list of (prelude, body) with body a str or a list."""
    out = []
    while i < len(css):
        while i < len(css) and css[i] in " \n\t\r;":
            i += 1
        if i >= len(css) or css[i] == "}":
            return out, i + 1
        j = css.index("{", i)
        prelude = css[i:j].strip()
        if prelude.startswith("@media") or prelude.startswith("@supports") or prelude.startswith("@layer"):
            inner, i = parse(css, j + 1)
            out.append((prelude, inner))
        else:
            depth, k = 1, j + 1
            while depth:
                depth += {"{": 1, "}": -1}.get(css[k], 0)
                k += 1
            out.append((prelude, css[j + 1:k - 1]))
            i = k
    return out, i


def split_selectors(prelude):
    parts, depth, cur = [], 0, ""
    for c in prelude:
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        if c == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += c
    parts.append(cur.strip())
    return parts


def keep_selector(sel):
    classes = re.findall(r"\.(utrecht-[\w-]+)", sel)
    return bool(classes) and all(c in KEEP for c in classes)


def squeeze(text):
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s*([{};,])\s*", r"\1", text)
    return re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", text))


def resolve(value):
    """Resolve `var()` against the closed set of tokens: `var(--undefined, F)` is F, and a
    value that needs a token nobody defines is invalid (returned as None)."""
    out, i = "", 0
    while (j := value.find("var(", i)) >= 0:
        out += value[i:j]
        k, depth = j + 4, 1
        while depth:
            depth += {"(": 1, ")": -1}.get(value[k], 0)
            k += 1
        name, comma, fallback = value[j + 4:k - 1].partition(",")
        name = name.strip()
        if name in ROOT:
            out += resolve(ROOT[name])  # the theme's value, compiled in

        elif (name.startswith("--_") and name not in DEAD) or name in DEFINED or name.startswith("--board-"):
            resolved = resolve(fallback) if comma else ""
            out += f"var({name},{resolved})" if comma and resolved is not None else f"var({name})"
        elif comma:
            resolved = resolve(fallback.strip())
            if resolved is None:
                return None
            out += resolved
        else:
            return None
        i = k
    return out + value[i:]


def squeeze_decls(body):
    """Declarations without needless spaces, their tokens resolved (see `resolve`). A
    declaration that needs an undefined token is "invalid at computed-value time" in CSS, which
    is what `unset` (`initial` for a custom property) says in fewer bytes."""
    out = []
    for decl in squeeze(body).split(";"):
        name, _, value = decl.partition(":")
        name, value = name.strip(), value.strip()
        if not name or name in DEAD:
            continue
        resolved = resolve(value)
        if resolved is None:
            resolved = "initial" if name.startswith("--") else "unset"
        out.append(f"{name}:{resolved}")
    return ";".join(out)


def render(rules):
    out = []
    for prelude, body in rules:
        if isinstance(body, list):
            inner = render(body)
            if inner:
                out.append(f"{squeeze(prelude).replace('and(', 'and (')}{{{inner}}}")
        else:
            sels = [s for s in split_selectors(prelude) if keep_selector(s)]
            decls = squeeze_decls(body)
            if sels and decls:
                out.append(f"{','.join(squeeze(s) for s in sels)}{{{decls}}}")
    return "\n".join(out)


DEFINED = set()
# Tokens tokens.css defines on :root, with their values: compiled into the rules, so the
# stylesheet carries only the board's own variables (thema.css) at run time.
ROOT = {}
# Private variables (--_utrecht-*) that no kept rule sets to a value: always undefined.
DEAD = set()


STAFF_ONLY = {"table", "status-badge"}


def header(title, versions, library):
    lines = [f"/*! {title}",
             " * NL Design System components by Gemeente Utrecht, trimmed to what Gastvrij uses and compiled",
             " * against nlds/tokens.css. Licensed under the EUPL-1.2 (see nlds/LICENSE-EUPL-1.2.md).",
             f" * @utrecht/component-library-css {library}: " + ", ".join(versions) + ".",
             " * Generated by nlds/vendor.py; do not edit by hand. */"]
    return "\n".join(lines)


def main():
    root, tokens, out_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    ROOT.update(re.findall(r"^\s*(--utrecht-[\w-]+):\s*([^;]+);", open(tokens).read(), flags=re.M))
    # Tokens a component sets itself (e.g. --utrecht-icon-size) are defined too.
    for name in COMPONENTS:
        css = open(f"{root}/@utrecht/{name}-css/dist/index.css").read()
        DEFINED.update(re.findall(r"[{;]\s*(--utrecht-[\w-]+)\s*:", css))
    variables = {name: ROOT.pop(name) for name in DEFINED & set(ROOT)}  # stay variables on :root
    DEFINED.update(ROOT)
    parsed, versions = [], {}
    for name in COMPONENTS:
        pkg = f"{root}/@utrecht/{name}-css"
        versions[name] = json.load(open(f"{pkg}/package.json"))["version"]
        rules, _ = parse(strip_comments(open(f"{pkg}/dist/index.css").read()))
        parsed.append((name, rules))
    while True:
        css = "\n".join(render(rules) for _, rules in parsed)
        private = set(re.findall(r"(--_[\w-]+)", css))
        live = set(re.findall(r"[{;](--_[\w-]+):(?!initial[;}])", css))
        if not private - live:
            break
        DEAD.update(private - live)
    library = json.load(open(f"{root}/@utrecht/component-library-css/package.json"))["version"]
    for file, members in [("utrecht.css", [n for n in COMPONENTS if n not in STAFF_ONLY]),
                          ("utrecht-werkplek.css", [n for n in COMPONENTS if n in STAFF_ONLY])]:
        parts = [header(f"{file}: {'staff pages only' if 'werkplek' in file else 'every page'}",
                        [f"{n}-css {versions[n]}" for n in members], library)]
        body = "\n".join(f"/* {n} */\n{render(rules)}" for n, rules in parsed if n in members)
        used = [n for n in variables if n in body or any(n in v for v in variables.values())]
        if "werkplek" not in file and variables:
            parts.append(":root{" + ";".join(f"{n}:{resolve(variables[n])}" for n in sorted(variables)) + "}")
        parts.append(body)
        with open(f"{out_dir}/{file}", "w") as f:
            f.write("\n".join(parts) + "\n")


main()
