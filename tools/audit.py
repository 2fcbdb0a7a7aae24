"""Known vulnerabilities in every pinned package, from PyPI's own advisory data, where pip-audit
cannot reach it (`make audit` runs both).

    python tools/audit.py             # the Lambda's lock plus every package installed in this venv
    python tools/audit.py --strict    # also fail when a package could not be checked

pip-audit's PyPI service asks https://pypi.org/pypi/<name>/<version>/json for each pin. Where that
page answers 404 (as through this machine's registry, so pip-audit skips all of them and still
exits 0), the project page https://pypi.org/pypi/<name>/json still answers, and its
``vulnerabilities`` list is PyPI's advisory data (OSV, PYSEC, GHSA) for the project's latest
release. So a pin that is the latest release is really checked; a pin behind it is checked only if
its version page answers, and is otherwise reported as not checked, never as clean.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "lambda" / "requirements.lock"
PYPI = "https://pypi.org/pypi"
TIMEOUT = 20


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: Path = LOCK, python: str = sys.executable) -> dict[str, str]:
    """{project: version}: the Lambda's lock, and what is installed in ``python``'s environment
    (requirements-run.txt and requirements-dev.txt with everything they pull in)."""
    found = {canonical(n): v for n, v in
             re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", lock.read_text(encoding="utf-8"), re.M)}
    listed = subprocess.run([python, "-m", "pip", "list", "--format", "json", "--disable-pip-version-check"],
                            capture_output=True, text=True, check=True)
    for item in json.loads(listed.stdout):
        found.setdefault(canonical(item["name"]), item["version"])
    return dict(sorted(found.items()))


def _get(url: str) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:  # noqa: S310 - a fixed https host
            return json.load(response)
    except (urllib.error.URLError, TimeoutError, ValueError):
        return None


def affecting(vulnerabilities: list[dict]) -> list[dict]:
    return [v for v in vulnerabilities or [] if not v.get("withdrawn")]


def check(name: str, version: str, get=_get) -> dict:
    """{"name", "version", "status": clean|vulnerable|unchecked, "vulns", "why"} for one pin."""
    result = {"name": name, "version": version, "vulns": [], "why": ""}
    page = get(f"{PYPI}/{name}/{version}/json")
    how = "its version page"
    if page is None:
        project = get(f"{PYPI}/{name}/json")
        if project is None:
            return {**result, "status": "unchecked", "why": "PyPI has no page for it here"}
        latest = project.get("info", {}).get("version")
        if latest != version:
            return {**result, "status": "unchecked",
                    "why": f"behind the latest release {latest}, the only one PyPI's advisories cover here"}
        page, how = project, "the project page (latest release)"
    vulns = affecting(page.get("vulnerabilities"))
    ids = [f"{v.get('id')} (fixed in {', '.join(v.get('fixed_in') or []) or '?'})" for v in vulns]
    return {**result, "status": "vulnerable" if vulns else "clean", "vulns": ids, "why": how}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--strict", action="store_true", help="fail when a package could not be checked")
    parser.add_argument("--python", default=sys.executable, help="the environment whose packages to check")
    args = parser.parse_args(argv)
    wanted = pins(python=args.python)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda item: check(*item), wanted.items()))
    by = {s: [r for r in results if r["status"] == s] for s in ("vulnerable", "unchecked", "clean")}
    for r in by["vulnerable"]:
        print(f"VULNERABLE  {r['name']}=={r['version']}: {'; '.join(r['vulns'])}")
    for r in by["unchecked"]:
        print(f"not checked {r['name']}=={r['version']}: {r['why']}")
    print(f"{len(results)} packages: {len(by['clean'])} checked and clean, {len(by['vulnerable'])} "
          f"vulnerable, {len(by['unchecked'])} not checked")
    if by["vulnerable"] or (args.strict and by["unchecked"]):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
