"""The privacy pages, in every language of the 13 locales, from one config (deploy/privacy.toml).

    python tools/privacy_pages.py                             # docs/privacy/<page>.md: ask, placeholders
    python tools/privacy_pages.py --log-mode off --out DIR    # another mode, into DIR as .md and .html
    python tools/privacy_pages.py --store --region eu-west-1  # refuses without the publisher's details

Each page says who is responsible (the publisher's name and contact: deploy-time values, never
invented), what the skill keeps and why (the legal basis: consent, in mode ask), where (the deploy's
AWS region), for how long, and how to delete it (by voice, and by disabling the skill: the
SkillDisabled event). What it says about the log follows EPISODE_LOG: ask (consent first), on (logged
on a legal basis the publisher names) or off (no log). A local build marks every missing value
[[LIKE THIS]] and says at the top that the page is not for publishing; a store build (`--store`,
and `tools/package.py --store`) stops, naming what is missing.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "deploy" / "privacy.toml"
DOCS = ROOT / "docs" / "privacy"
TERMS = ROOT / "docs" / "terms"
MODES = ("ask", "on", "off")
DEFAULT_MODE = "ask"
# deploy/privacy.toml [deploy] key -> the environment variable that overrides it
FROM_ENVIRONMENT = {"publisher_name": "PUBLISHER_NAME", "publisher_contact": "PUBLISHER_CONTACT",
                    "publisher_address": "PUBLISHER_ADDRESS", "site": "PRIVACY_SITE",
                    "legal_basis_on": "LEGAL_BASIS_ON"}
PLACEHOLDER = re.compile(r"\[\[[^\]]*\]\]")


class NotPublishable(SystemExit):
    """A store build without the values a reviewer needs."""


def log_mode(value: str | None = None) -> str:
    """The EPISODE_LOG mode: ``value``, else the environment's EPISODE_LOG, else ask."""
    mode = (value or os.environ.get("EPISODE_LOG") or DEFAULT_MODE).strip().lower()
    if mode not in MODES:
        raise SystemExit(f"EPISODE_LOG / --log-mode must be one of {', '.join(MODES)}, not {mode!r}")
    return mode


def load_config(path: Path = CONFIG, environ: dict | None = None) -> dict:
    """deploy/privacy.toml, with [deploy] values overridden by the environment where set."""
    config = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    environ = os.environ if environ is None else environ
    for key, variable in FROM_ENVIRONMENT.items():
        if environ.get(variable, "").strip():
            config["deploy"][key] = environ[variable].strip()
    return config


@dataclass(frozen=True)
class Deployment:
    """What one build of the pages says: the mode, the region, and whether it is for the store."""

    mode: str = DEFAULT_MODE
    region: str = "us-east-1"
    store: bool = False


def missing_for_store(config: dict, deployment: Deployment) -> list[str]:
    """The values a store build needs that the config does not give."""
    facts = config["deploy"]
    needed = ["publisher_name", "publisher_contact", "site"]
    if deployment.mode == "on":
        needed.append("legal_basis_on")
    missing = [f"{key} (or {FROM_ENVIRONMENT[key]})" for key in needed if not str(facts.get(key, "")).strip()]
    if deployment.region not in config["regions"]:
        missing.append(f"a [regions.{deployment.region}] entry naming the region for people")
    if facts.get("site") and not str(facts["site"]).startswith("https://"):
        missing.append("site must start with https://")
    return missing


def facts_for(config: dict, deployment: Deployment, lang: str) -> dict[str, str]:
    """The values the page's words are filled with; placeholders where a local build lacks one."""
    if deployment.store:
        missing = missing_for_store(config, deployment)
        if missing:
            raise NotPublishable("a store build needs, in deploy/privacy.toml or the environment: "
                                 + "; ".join(missing))
    facts = config["deploy"]
    text = config["text"][lang]

    def value(key: str, label: str) -> str:
        return str(facts.get(key) or "").strip() or f"[[{label}]]"

    address = str(facts.get("publisher_address") or "").strip()
    region_names = config["regions"].get(deployment.region, {})
    return {
        "skill": text["skill"], "updated": str(facts["updated"]),
        "publisher": value("publisher_name", "PUBLISHER NAME"),
        "contact": value("publisher_contact", "PUBLISHER CONTACT (email or web form)"),
        "address": f" {address}." if address else "",
        "legal_basis_on": value("legal_basis_on", "LEGAL BASIS FOR LOGGING WITHOUT CONSENT"),
        "region": deployment.region,
        "region_name": region_names.get(lang) or f"[[NAME OF REGION {deployment.region}]]",
        "retention_days": str(facts["retention_days"]), "backup_days": str(facts["backup_days"]),
        "log_days": str(facts["log_days"]), "decline_days": str(facts["decline_days"]),
        "delete_phrase": text["delete_phrase"], "stop_phrase": text["stop_phrase"],
        "start_phrase": text["start_phrase"],
    }


def languages(config: dict) -> dict[str, list[str]]:
    """{page: [locale, ...]}: which locales read each page."""
    pages: dict[str, list[str]] = {}
    for locale, page in config["pages"].items():
        pages.setdefault(page, []).append(locale)
    return pages


def site_of(config: dict) -> str:
    """Where the pages are served: the config's site, else the one skill.json names today (the
    repository's placeholder site, for local builds)."""
    site = str(config["deploy"].get("site") or "").strip().rstrip("/")
    if site:
        return site
    manifest = json.loads((ROOT / "skill.json").read_text(encoding="utf-8"))
    url = manifest["manifest"]["privacyAndCompliance"]["locales"]["en-US"]["privacyPolicyUrl"]
    return url.rsplit("/privacy/", 1)[0]


def page_url(config: dict, page: str, kind: str = "privacy") -> str:
    return f"{site_of(config)}/{kind}/{page}.html"


# --- the page as blocks ------------------------------------------------------------------------
def _fill(template: str, facts: dict) -> str:
    return " ".join(template.split()).format_map(facts)  # one paragraph: line breaks are spaces


def blocks(config: dict, deployment: Deployment, page: str) -> list[tuple[str, object]]:
    """The page as (kind, content) blocks: h1, p, h2, ul."""
    text, mode = config["text"][page], deployment.mode
    facts = facts_for(config, deployment, page)
    fill = lambda key: _fill(text[key], facts)  # noqa: E731
    out: list[tuple[str, object]] = [("h1", text["title"])]
    if not deployment.store:
        out.append(("p", fill("placeholder")))
    out += [("p", _fill(text["updated"], facts)), ("p", fill("intro")),
            ("h2", text["h_controller"]), ("p", fill("controller")),
            ("h2", text["h_mode"]), ("p", fill(f"mode_{mode}")),
            ("h2", text["h_kept"])]
    if mode == "off":
        out.append(("p", fill("kept_off")))
    else:
        out.append(("p", fill(f"kept_intro_{mode}")))
        out.append(("ul", [_fill(item, facts) for item in text["kept_items"]]))
        also = [_fill(item, facts) for item in text["kept_also"]]
        if mode == "ask":  # before any answer: only the answer itself and the voice preference
            out += [("p", fill("kept_also_intro_ask")), ("ul", also), ("p", fill("kept_always_intro_ask")),
                    ("ul", [fill("kept_consent_ask"), fill("kept_voice")])]
        else:
            out += [("p", fill("kept_also_intro")), ("ul", [*also, fill("kept_voice")])]
    out += [("p", fill("pseudonym")),
            ("h2", text["h_basis"]), ("p", fill(f"basis_{mode}")),
            ("h2", text["h_where"]), ("p", fill("where")),
            ("h2", text["h_how_long"]), ("p", fill("how_long"))]
    if mode == "ask":
        out.append(("p", fill("how_long_consent_ask")))
    out += [("p", fill("backups")), ("h2", text["h_delete"])]
    if mode == "off":
        out.append(("p", fill("delete_off")))
    else:
        out.append(("ul", [fill(f"delete_voice_{mode}"), fill(f"delete_disable_{mode}")]))
    out += [("h2", text["h_rights"]), ("p", fill("rights")),
            ("h2", text["h_reminders"]), ("p", fill("reminders")),
            ("h2", text["h_medical"]), ("p", fill("medical")), ("p", fill("emergency")),
            ("h2", text["h_children"]), ("p", fill("children")),
            ("h2", text["h_changes"]),
            ("p", _fill(text["changes"], {**facts, "terms_url": f"../terms/{page}.html"}))]
    return out


# --- rendering ---------------------------------------------------------------------------------
def markdown(config: dict, deployment: Deployment, page: str) -> str:
    text = config["text"][page]
    locales = languages(config)[page]
    lines = ["---", f"title: {json.dumps(text['title'], ensure_ascii=False)}", f"lang: {text['lang']}", "---",
             "<!-- Generated by tools/privacy_pages.py from deploy/privacy.toml "
             f"(EPISODE_LOG={deployment.mode}, region {deployment.region}); do not edit by hand. "
             f"Served at {page_url(config, page)} for "
             f"{', '.join(locales)}. Written for the project, not by a lawyer: have it reviewed before "
             "the skill is published. -->", ""]
    for kind, content in blocks(config, deployment, page):
        if kind == "h1":
            lines += [f"# {content}", ""]
        elif kind == "h2":
            lines += [f"## {content}", ""]
        elif kind == "ul":
            lines += [f"- {item}" for item in content] + [""]
        else:
            lines += [str(content), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _inline(text: str) -> str:
    """Escaped text with **bold** and [links](url)."""
    out = html.escape(text, quote=False)
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)
    return re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)",
                  lambda m: f'<a href="{html.escape(m.group(2))}">{m.group(1)}</a>', out)


def markdown_to_html(source: str) -> str:
    """The subset of Markdown these pages use (front matter, # and ## headings, paragraphs, "- "
    lists with indented continuation lines, **bold**, [links](url)) as a standalone HTML page."""
    meta: dict[str, str] = {}
    match = re.match(r"^---\n(.*?)\n---\n", source, re.S)
    if match:
        meta = {key: value.strip().strip('"') for key, value in
                (line.split(": ", 1) for line in match.group(1).splitlines() if ": " in line)}
        source = source[match.end():]
    source = re.sub(r"<!--.*?-->", "", source, flags=re.S)
    body: list[str] = []
    for chunk in re.split(r"\n\s*\n", source.strip()):
        lines = chunk.splitlines()
        if chunk.startswith("## "):
            body.append(f"<h2>{_inline(chunk[3:].strip())}</h2>")
        elif chunk.startswith("# "):
            body.append(f"<h1>{_inline(chunk[2:].strip())}</h1>")
        elif lines[0].startswith("- "):
            items: list[str] = []
            for line in lines:
                if line.startswith("- "):
                    items.append(line[2:].strip())
                else:
                    items[-1] += " " + line.strip()
            body.append("<ul>\n" + "\n".join(f"<li>{_inline(i)}</li>" for i in items) + "\n</ul>")
        else:
            body.append(f"<p>{_inline(' '.join(line.strip() for line in lines))}</p>")
    title = html.escape(meta.get("title", ""))
    lang = html.escape(meta.get("lang", "en"))
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{title}</title>\n'
            f"</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")


def write_pages(out: Path, config: dict, deployment: Deployment, *, html_too: bool = True,
                terms: bool = False) -> list[Path]:
    """Every language's page into ``out`` (<page>.md, and <page>.html); with ``terms``, the terms
    pages beside them (``out``/../terms/), so the site is complete."""
    written = []
    out.mkdir(parents=True, exist_ok=True)
    for page in languages(config):
        source = markdown(config, deployment, page)
        (out / f"{page}.md").write_text(source, encoding="utf-8")
        written.append(out / f"{page}.md")
        if html_too:
            (out / f"{page}.html").write_text(markdown_to_html(source), encoding="utf-8")
            written.append(out / f"{page}.html")
        if terms:
            terms_dir = out.parent / "terms"
            terms_dir.mkdir(parents=True, exist_ok=True)
            source = (TERMS / f"{page}.md").read_text(encoding="utf-8")
            (terms_dir / f"{page}.md").write_text(source, encoding="utf-8")
            (terms_dir / f"{page}.html").write_text(markdown_to_html(source), encoding="utf-8")
            written += [terms_dir / f"{page}.md", terms_dir / f"{page}.html"]
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--log-mode", help="ask, on or off (default: EPISODE_LOG, else ask)")
    parser.add_argument("--region", default="us-east-1", help="the AWS region the deployment stores data in")
    parser.add_argument("--store", action="store_true", help="for publishing: refuse placeholders")
    parser.add_argument("--out", type=Path, default=DOCS, help="where to write (docs/privacy/)")
    parser.add_argument("--config", type=Path, default=CONFIG)
    args = parser.parse_args(argv)
    deployment = Deployment(mode=log_mode(args.log_mode), region=args.region, store=args.store)
    config = load_config(args.config)
    html_too = args.out.resolve() != DOCS.resolve()  # the repository keeps Markdown only
    for path in write_pages(args.out, config, deployment, html_too=html_too):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
