"""Build what a deploy needs, into build/: the Lambda zip and the ASK CLI v2 project.

    python tools/package.py                      # build/leg-cramp-helper.zip and build/ask/
    python tools/package.py --endpoint ARN       # also write the alias ARN into build/ask's skill.json
    python tools/package.py --log-mode off       # the EPISODE_LOG mode (default: $EPISODE_LOG, else ask)
    python tools/package.py --store --region eu-west-1   # for submission: no placeholders allowed

build/leg-cramp-helper.zip
    The code in lambda/ at the zip's root (lambda_function.py, cramp_helper/) plus the runtime
    dependencies, installed by pip from lambda/requirements.lock (the pins of
    lambda/requirements.txt with the sha256 of every file PyPI holds for them, made by pip-compile)
    for the template's runtime and architecture (read from template.yaml, so the two never disagree):
        pip install --target DIR --platform manylinux2014_<arch> --platform manylinux_2_28_<arch>
            --implementation cp --python-version 3.13 --only-binary=:all: --require-hashes
            -r lambda/requirements.lock
    boto3 and botocore (and their s3transfer, jmespath) are never bundled: the Lambda runtime
    provides them. Babel keeps only the CLDR locale data the supported locales load (their files
    and their parents', found by running cramp_helper.cldr for each locale against the full data,
    then checked again against the trimmed data). No tests, no console scripts; bytecode only as
    the runtime's Python compiles it (cpython-313, unchecked-hash: Lambda's /var/task is read-only,
    so without it every cold start compiles the code), listed in each .dist-info RECORD, which lists
    exactly the files that remain. Entries are sorted, with fixed
    timestamps and modes, so the same inputs give the same bytes (set SOURCE_DATE_EPOCH to choose
    the timestamp).

build/ask/
    ask-resources.json                         profile "default": @ask-cli/cfn-deployer,
                                               targetEndpoint ["custom"] and skillEvents
                                               (skill.json's subscriptions, for events.endpoint)
    skill-package/skill.json                   skill.json (endpoint URIs: see --endpoint), with what
                                               depends on the EPISODE_LOG mode: each locale's
                                               description and example phrases (no history phrase
                                               when nothing is logged) and its privacy page's URL
    skill-package/interactionModels/custom/<locale>.json   one per interaction_models/*.json
    lambda/                                    a copy of lambda/, without __pycache__
    infrastructure/cfn-deployer/skill-stack.json   template.yaml, adapted to the cfn-deployer
    hooks/build.sh, hooks/leg-cramp-helper.zip     the ASK CLI's custom build step: deploy the
                                                   zip built and tested here, not a local pip run
build/site/privacy/<page>.html|md, build/site/terms/<page>.html|md
    the privacy pages for this mode and region (tools/privacy_pages.py, deploy/privacy.toml) and
    the terms, to serve at the site skill.json names. With --store, the build stops unless the
    publisher's name and contact and the site are set: nothing is invented.
See docs/deploy.md for how each is used.
"""

from __future__ import annotations

import argparse
import base64
import copy
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAMBDA_DIR = ROOT / "lambda"
TEMPLATE = ROOT / "template.yaml"
LOCALES_FILE = LAMBDA_DIR / "cramp_helper" / "content" / "locales.json"
SPOKEN_FILE = LAMBDA_DIR / "cramp_helper" / "cldr.py"
ZIP_NAME = "leg-cramp-helper.zip"
REQUIREMENTS = LAMBDA_DIR / "requirements.txt"
LOCK = LAMBDA_DIR / "requirements.lock"
NOT_CODE = ("requirements.txt", "requirements.lock")  # in lambda/, never in the zip
LOCK_COMMAND = ("pip-compile --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url "
                "--no-emit-find-links --output-file lambda/requirements.lock lambda/requirements.txt")
FUNCTION_TYPE = "AWS::Serverless::Function"
# Provided by every Lambda Python runtime (and by Alexa-hosted skills): never bundled.
RUNTIME_PROVIDED = {"boto3", "botocore", "s3transfer", "jmespath"}
PLATFORM_TAGS = {
    "arm64": ("manylinux2014_aarch64", "manylinux_2_28_aarch64"),
    "x86_64": ("manylinux2014_x86_64", "manylinux_2_28_x86_64"),
}
SKIP_NAMES = {"__pycache__", ".DS_Store", ".pytest_cache", ".mypy_cache"}
SKIP_SUFFIXES = (".pyc", ".pyo")
TEST_DIRS = {"tests", "test"}
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
ALIAS_ARN = re.compile(r"arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]+:[\w-]+")


# --- template.yaml, read with CloudFormation's short tags --------------------------------------
def _yaml():
    try:
        import yaml
    except ImportError:
        raise SystemExit("tools/package.py reads template.yaml with PyYAML (requirements-dev.txt): "
                         "run it with .venv/bin/python") from None
    return yaml


def _cfn_loader():
    yaml = _yaml()

    class CfnLoader(yaml.SafeLoader):
        """YAML with !Ref, !GetAtt, !Sub... turned into their long JSON forms."""

    def construct(loader, suffix, node):
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        if suffix == "Ref":
            return {"Ref": value}
        if suffix == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
        return {f"Fn::{suffix}": value}

    CfnLoader.add_multi_constructor("!", construct)
    return CfnLoader


def load_template(path: Path = TEMPLATE) -> dict:
    """A CloudFormation/SAM YAML template as plain data, intrinsic functions in JSON form."""
    return _yaml().load(Path(path).read_text(encoding="utf-8"), Loader=_cfn_loader())


def functions(template: dict) -> dict[str, dict]:
    """Every AWS::Serverless::Function: the skill's and the drain's, built from the same zip."""
    return {name: r for name, r in template["Resources"].items() if r.get("Type") == FUNCTION_TYPE}


def function_resource(template: dict) -> tuple[str, dict]:
    """The (logical id, resource) of the skill's function: the one Alexa invokes (an AlexaSkill
    event). The others (the drain) run the same zip on the same runtime and architecture."""
    found = [(name, r) for name, r in functions(template).items()
             if any(e.get("Type") == "AlexaSkill" for e in (r["Properties"].get("Events") or {}).values())]
    if len(found) != 1:
        raise SystemExit(f"template.yaml must hold exactly one {FUNCTION_TYPE} with an AlexaSkill "
                         f"event, found {len(found)}")
    props = found[0][1]["Properties"]
    for name, other in functions(template).items():
        same = {k: other["Properties"].get(k) for k in ("Runtime", "Architectures", "CodeUri")}
        if same != {k: props.get(k) for k in same}:
            raise SystemExit(f"{name} must share the skill function's Runtime, Architectures and CodeUri")
    return found[0]


def target_of(template: dict) -> tuple[str, str]:
    """(architecture, python version) the function runs on, e.g. ("arm64", "3.13")."""
    props = function_resource(template)[1]["Properties"]
    arch = (props.get("Architectures") or ["x86_64"])[0]
    runtime = props["Runtime"]
    match = re.fullmatch(r"python(\d+\.\d+)", runtime)
    if arch not in PLATFORM_TAGS or not match:
        raise SystemExit(f"cannot package for {runtime} on {arch}")
    return arch, match.group(1)


# --- copying the code ---------------------------------------------------------------------------
def _skipped(path: Path) -> bool:
    return path.name in SKIP_NAMES or path.name.endswith(SKIP_SUFFIXES)


def copy_code(source: Path, destination: Path, exclude: tuple[str, ...] = ()) -> None:
    """Copy a source tree without caches and compiled files."""
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if any(_skipped(Path(part)) for part in relative.parts) or relative.as_posix() in exclude:
            continue
        target = destination / relative
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


# --- dependencies -------------------------------------------------------------------------------
def pip_command(target: Path, requirements: Path, arch: str, python_version: str,
                find_links: Path | None = None) -> list[str]:
    command = [sys.executable, "-m", "pip", "install", "--target", str(target)]
    for tag in PLATFORM_TAGS[arch]:
        command += ["--platform", tag]
    command += ["--implementation", "cp", "--python-version", python_version, "--only-binary=:all:",
                "--require-hashes", "--no-compile", "--disable-pip-version-check", "--no-input", "--quiet",
                "-r", str(requirements)]
    if find_links is not None:
        command += ["--find-links", str(find_links)]
    return command


def install_dependencies(target: Path, requirements: Path, arch: str, python_version: str,
                         work: Path) -> None:
    """pip install for the Lambda's platform, wheels only.

    If a pin exists only as an sdist, --only-binary cannot install it. Then build wheels locally
    (`pip wheel`) and install again with them as extra candidates: a pure-Python sdist becomes a
    py3-none-any wheel, which fits any platform, while every package that has a wheel for the target
    still comes from PyPI. A compiled sdist-only package still fails (its locally built wheel is
    for this machine), with a message saying to build in a Lambda-like container instead.

    ``requirements`` is the lock: every file is checked against its sha256. A wheel built here from
    a checked sdist has a hash of its own, added for the second install (``_with_local_hashes``)."""
    shutil.rmtree(target, ignore_errors=True)
    first = subprocess.run(pip_command(target, requirements, arch, python_version),
                           capture_output=True, text=True)
    if first.returncode == 0:
        return
    if "No matching distribution" not in first.stderr and "from versions: none" not in first.stderr:
        raise SystemExit(f"pip failed:\n{first.stderr}")
    print("  pip: a pinned package has no wheel for the target; building wheels locally (pip wheel)")
    wheelhouse = work / "wheelhouse"
    shutil.rmtree(wheelhouse, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check",
                    "--wheel-dir", str(wheelhouse), "-r", str(requirements)], check=True)
    shutil.rmtree(target, ignore_errors=True)
    local = _with_local_hashes(requirements, wheelhouse, work / "requirements.local.lock")
    second = subprocess.run(pip_command(target, local, arch, python_version, find_links=wheelhouse),
                            capture_output=True, text=True)
    if second.returncode != 0:
        raise SystemExit("a pinned package has no wheel for Lambda and is not pure Python; build the "
                         "dependencies in a Lambda-like container (sam build --use-container):\n"
                         + second.stderr)


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _with_local_hashes(lock: Path, wheelhouse: Path, destination: Path) -> Path:
    """A copy of the lock that also accepts the wheels ``pip wheel`` built into ``wheelhouse``."""
    built: dict[str, list[str]] = {}
    for wheel in sorted(wheelhouse.glob("*.whl")):
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        built.setdefault(_canonical(wheel.name.split("-", 1)[0]), []).append(digest)
    lines = []
    for line in lock.read_text(encoding="utf-8").splitlines():
        lines.append(line)
        match = re.match(r"^([A-Za-z0-9_.-]+)==\S+ \\$", line)
        for digest in built.get(_canonical(match.group(1)), []) if match else []:
            lines.append(f"    --hash=sha256:{digest} \\")
    destination.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return destination


def lock_pins(lock: Path = LOCK) -> dict[str, tuple[str, list[str]]]:
    """{project: (version, [sha256, ...])} from a pip-compile --generate-hashes lock."""
    pins: dict[str, tuple[str, list[str]]] = {}
    current = None
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line)
        if match:
            current = _canonical(match.group(1))
            pins[current] = (match.group(2), [])
        elif current and (digest := re.search(r"--hash=sha256:([0-9a-f]{64})", line)):
            pins[current][1].append(digest.group(1))
        elif not line.startswith((" ", "\t")):
            current = None
    return pins


def check_lock(requirements: Path = REQUIREMENTS, lock: Path = LOCK) -> None:
    """The lock pins exactly what requirements.txt pins, each with at least one hash."""
    wanted = {_canonical(n): v for n, v in
              re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", requirements.read_text(encoding="utf-8"), re.M)}
    locked = lock_pins(lock) if lock.exists() else {}
    stale = {n for n in wanted.keys() | locked.keys()
             if wanted.get(n) != (locked.get(n) or (None,))[0] or not (locked.get(n) or (0, []))[1]}
    if stale:
        raise SystemExit(f"lambda/requirements.lock does not match lambda/requirements.txt for "
                         f"{sorted(stale)}: regenerate it ({LOCK_COMMAND})")


def _dist_top_levels(dist_info: Path) -> set[str]:
    """Top-level names (packages, modules, dirs) a distribution installed, from its RECORD."""
    names = set()
    record = dist_info / "RECORD"
    if record.exists():
        for line in record.read_text(encoding="utf-8").splitlines():
            first = line.split(",", 1)[0].split("/", 1)[0]
            if first and not first.startswith(".."):
                names.add(first)
    return names


def prune_dependencies(target: Path) -> list[str]:
    """Drop runtime-provided packages, console scripts, tests and caches; fix each RECORD.

    Returns what was removed (for the report)."""
    removed: list[str] = []
    for dist_info in sorted(target.glob("*.dist-info")):
        project = dist_info.name.split("-", 1)[0].lower().replace("_", "-")
        if project.replace("-", "_") in RUNTIME_PROVIDED or project in RUNTIME_PROVIDED:
            for name in _dist_top_levels(dist_info) | {dist_info.name}:
                path = target / name
                if path.is_dir():
                    shutil.rmtree(path)
                elif path.exists():
                    path.unlink()
            removed.append(f"{project} (provided by the Lambda runtime)")
    for extra in ("bin",):
        if (target / extra).exists():
            shutil.rmtree(target / extra)
            removed.append(f"{extra}/ (console scripts)")
    for path in sorted(target.rglob("*"), reverse=True):
        if not path.exists():
            continue
        if path.is_dir() and (path.name in TEST_DIRS or path.name in SKIP_NAMES):
            shutil.rmtree(path)
            removed.append(path.relative_to(target).as_posix() + "/")
        elif path.is_file() and _skipped(path):
            path.unlink()
    for dist_info in target.glob("*.dist-info"):
        _rewrite_record(target, dist_info)
    return removed


def _rewrite_record(target: Path, dist_info: Path, bytecode_tag: str | None = None) -> None:
    """RECORD lists exactly the files still there, each with its current hash and size (with
    ``bytecode_tag``, the bytecode compiled for each listed module too)."""
    record = dist_info / "RECORD"
    if not record.exists():
        return
    lines = []
    names = [line.split(",", 1)[0] for line in record.read_text(encoding="utf-8").splitlines()]
    for name in list(names) if bytecode_tag else ():
        if name.endswith(".py"):
            parent, _, module = name.rpartition("/")
            compiled = f"__pycache__/{module[:-3]}.{bytecode_tag}.pyc"
            names.append(f"{parent}/{compiled}" if parent else compiled)
    for name in dict.fromkeys(names):
        if not name:
            continue
        path = (target / name).resolve()
        if not path.is_relative_to(target.resolve()) or not path.is_file():
            continue
        if path == record.resolve():
            lines.append(f"{name},,")
            continue
        data = path.read_bytes()
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        lines.append(f"{name},sha256={digest},{len(data)}")
    record.write_text("\n".join(sorted(lines)) + "\n", encoding="utf-8")


# --- bytecode -----------------------------------------------------------------------------------
# Lambda's /var/task is read-only: Python cannot write __pycache__ there, so a zip without bytecode
# compiles every module it imports from source on every cold start (about 2-3x the import time of
# a Launch, measured: docs/deploy.md). The zip carries the runtime's own bytecode instead, made by
# that Python version, "unchecked-hash" (used as it is, never compared with the source's mtime,
# which a zip does not keep), with /var/task paths in tracebacks.
DEPLOYED_AT = "/var/task"


def python_for(version: str) -> Path | None:
    """An interpreter of ``version`` ("3.13") on this machine that runs and says it is that
    version: under pyenv, else on PATH (a pyenv shim on PATH may name a version not selected)."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = [c / "bin" / "python" for c in sorted(pyenv.glob(f"{version}.*"), reverse=True)]
    candidates += [Path(p) for p in (shutil.which(f"python{version}"),) if p]
    for candidate in candidates:
        try:
            said = subprocess.run([str(candidate), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                  capture_output=True, text=True, timeout=30)
        except OSError:
            continue
        if said.returncode == 0 and said.stdout.strip() == version:
            return candidate
    return None


def compile_bytecode(staging: Path, python_version: str) -> bool:
    """Compile every .py of ``staging`` with Python ``python_version``, and list the bytecode in
    each distribution's RECORD. Without that Python here, the zip is built without bytecode
    (a warning says what it costs); it still works."""
    python = python_for(python_version)
    if python is None:
        print(f"  bytecode: WARNING no Python {python_version} here: the zip carries no bytecode, and "
              f"every cold start on Lambda compiles the code it imports")
        return False
    subprocess.run([str(python), "-m", "compileall", "-q", "-j", "0", "--invalidation-mode",
                    "unchecked-hash", "-s", str(staging), "-p", DEPLOYED_AT, str(staging)],
                   check=True, stdout=subprocess.DEVNULL)
    for dist_info in staging.glob("*.dist-info"):
        _rewrite_record(staging, dist_info, bytecode_tag=_cache_tag(python_version))
    count = sum(1 for _ in staging.rglob("*.pyc"))
    print(f"  bytecode: {count} modules compiled by Python {python_version} ({python})")
    return True


def _cache_tag(python_version: str) -> str:
    return "cpython-" + python_version.replace(".", "")


def _deps_cache_key(requirements: Path, arch: str, python_version: str) -> str:
    """Same requirements, platform, Python, left-out packages, locales and cldr.py: same deps."""
    key = json.dumps([requirements.read_text(encoding="utf-8"), PLATFORM_TAGS[arch], python_version,
                      sorted(RUNTIME_PROVIDED), LOCALES_FILE.read_text(encoding="utf-8"),
                      SPOKEN_FILE.read_text(encoding="utf-8"), BABEL_PROBE])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


# --- Babel: only the locale data the skill's locales load ----------------------------------------
BABEL_PROBE = r"""
import json, os, sys
deps, code = sys.argv[1], sys.argv[2]
sys.path[:0] = [deps, code]
opened = set()
sys.addaudithook(lambda event, args: opened.add(os.path.basename(args[0]))
                 if event == "open" and isinstance(args[0], str) and args[0].endswith(".dat") else None)
from datetime import date
from cramp_helper import content, cldr
import babel
assert os.path.dirname(babel.__file__).startswith(os.path.abspath(deps)), babel.__file__
said = {}
for locale in content.supported_locales():
    day = date(2026, 11, 23)
    forms = {"one": "{n} one", "many": "{n} many", "other": "{n} other"}
    said[locale] = [cldr.count(locale, n, forms) for n in (0, 1, 2, 1000000)]
    said[locale] += [cldr.weekday(locale, day), cldr.month(locale, day), cldr.date(locale, day),
                     cldr.date(locale, day, year=True), cldr.time(locale, 21, 30),
                     cldr.time(locale, 3), cldr.time(locale, 6, plain=True)]
print(json.dumps({"files": sorted(opened), "said": said}, ensure_ascii=False))
"""


def _probe_babel(deps: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", BABEL_PROBE, str(deps), str(LAMBDA_DIR)],
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": ""})
    if done.returncode != 0:
        raise SystemExit(f"the Babel probe failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def trim_babel(deps: Path) -> str | None:
    """Delete the CLDR locale data no supported locale loads; raise if anything said changes."""
    data = deps / "babel" / "locale-data"
    if not data.is_dir():
        return None
    before = _probe_babel(deps)
    needed = {name for name in before["files"] if (data / name).exists()}
    if not needed:
        raise SystemExit("the Babel probe loaded no locale data: refusing to trim")
    files = sorted(data.glob("*.dat"))
    removed = [path for path in files if path.name not in needed]
    for path in removed:
        path.unlink()
    after = _probe_babel(deps)
    if after["said"] != before["said"]:
        raise SystemExit("trimming Babel's locale data changed what the skill says")
    return f"babel/locale-data: {len(removed)} of {len(files)} files (kept {', '.join(sorted(needed))})"


# --- the zip ------------------------------------------------------------------------------------
def _zip_time() -> tuple[int, ...]:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return ZIP_EPOCH
    stamp = time.gmtime(max(int(epoch), 315532800))  # not before 1980
    return tuple(stamp[:6])


def write_zip(staging: Path, destination: Path) -> None:
    """A deterministic zip of ``staging``: sorted entries, one timestamp, fixed modes."""
    stamp = _zip_time()
    files = sorted((p for p in staging.rglob("*") if p.is_file()),
                   key=lambda p: p.relative_to(staging).as_posix())
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in files:
            info = zipfile.ZipInfo(path.relative_to(staging).as_posix(), date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so the mode below is honoured
            info.external_attr = (0o100644 << 16)
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    partial.replace(destination)


def sizes(zip_path: Path) -> dict:
    """Zip size, unzipped size, and unzipped bytes per top-level entry (package or module)."""
    per_top: dict[str, int] = {}
    with zipfile.ZipFile(zip_path) as archive:
        infos = archive.infolist()
    for info in infos:
        top = info.filename.split("/", 1)[0]
        top = re.sub(r"-[^-]+\.dist-info$", " (dist-info)", top)
        per_top[top] = per_top.get(top, 0) + info.file_size
    return {"zip": zip_path.stat().st_size, "unzipped": sum(i.file_size for i in infos),
            "files": len(infos), "by_package": dict(sorted(per_top.items(), key=lambda kv: -kv[1]))}


def build_zip(build_dir: Path, arch: str, python_version: str, use_cache: bool = True) -> tuple[Path, list]:
    check_lock()
    requirements = LOCK
    work = build_dir / ".work"
    work.mkdir(parents=True, exist_ok=True)
    deps = work / f"deps-{arch}-py{python_version}-{_deps_cache_key(requirements, arch, python_version)}"
    removed: list[str] = []
    if not (use_cache and (deps / ".complete").exists()):
        print(f"  pip: installing lambda/requirements.lock (hashes checked) for "
              f"cp{python_version.replace('.', '')} {' / '.join(PLATFORM_TAGS[arch])}")
        started = time.monotonic()
        install_dependencies(deps, requirements, arch, python_version, work)
        trimmed = trim_babel(deps)
        removed = prune_dependencies(deps) + ([trimmed] if trimmed else [])
        (deps / ".complete").write_text(json.dumps(removed), encoding="utf-8")
        print(f"  pip: done in {time.monotonic() - started:.1f} s")
    else:
        removed = json.loads((deps / ".complete").read_text(encoding="utf-8"))
        print(f"  pip: reusing {deps.relative_to(build_dir)} (same requirements, platform and Python)")
    staging = work / "zip"
    shutil.rmtree(staging, ignore_errors=True)
    copy_code(deps, staging, exclude=(".complete",))
    code_names = {p.name for p in LAMBDA_DIR.iterdir() if not _skipped(p)} - set(NOT_CODE)
    clash = code_names & {p.name for p in staging.iterdir()}
    if clash:
        raise SystemExit(f"lambda/ and its dependencies both provide {sorted(clash)}")
    copy_code(LAMBDA_DIR, staging, exclude=NOT_CODE)
    compile_bytecode(staging, python_version)
    zip_path = build_dir / ZIP_NAME
    write_zip(staging, zip_path)
    return zip_path, removed


# --- the ASK CLI v2 project ---------------------------------------------------------------------
def skill_event_subscriptions(manifest: dict) -> list[str]:
    """The skill events skill.json subscribes to, by name; SKILL_DISABLED must be one of them (it
    deletes the person's data, as the privacy pages promise)."""
    names = [s["eventName"] for s in manifest["manifest"].get("events", {}).get("subscriptions", [])]
    if "SKILL_DISABLED" not in names:
        raise SystemExit("skill.json's events.subscriptions must hold SKILL_DISABLED (it deletes a "
                         "person's data when they disable the skill)")
    return names


def ask_resources(region: str, python_version: str, handler: str, subscriptions: list[str]) -> dict:
    """ask-resources.json for the @ask-cli/cfn-deployer (docs/deploy.md explains why not the
    lambda-deployer: that one cannot create the table, the role, SnapStart or the alias).

    ask-cli 2.28.0 and later (lib/controllers/skill-infrastructure-controller,
    updateSkillManifestWithDeployResult) treat every ``targetEndpoint`` entry as an API domain and
    write ``apis.<domain>.endpoint``; ``events.endpoint`` is written only when ``skillEvents`` is
    set, and then ``events.subscriptions`` is replaced by its list. So: ``["custom"]``, and the
    subscriptions skill.json holds, SKILL_DISABLED among them."""
    return {
        "askcliResourcesVersion": "2020-03-31",
        "profiles": {
            "default": {
                "skillMetadata": {"src": "./skill-package"},
                "code": {"default": {"src": "./lambda"}},
                "skillInfrastructure": {
                    "type": "@ask-cli/cfn-deployer",
                    "userConfig": {
                        "runtime": f"python{python_version}",
                        "handler": handler,
                        "templatePath": "./infrastructure/cfn-deployer/skill-stack.json",
                        "awsRegion": region,
                        # The template uses the SAM transform; the CLI always adds CAPABILITY_IAM.
                        "cfn": {"capabilities": ["CAPABILITY_AUTO_EXPAND"]},
                        # The stack's SkillEndpoint goes into apis.custom.endpoint ...
                        "targetEndpoint": ["custom"],
                        # ... and, because skillEvents is set, into events.endpoint too.
                        "skillEvents": {"subscriptions": subscriptions},
                    },
                }
            }
        },
    }


def cfn_deployer_template(template: dict) -> dict:
    """template.yaml as the ASK CLI's cfn-deployer runs it: the CLI uploads the code to S3 and
    passes SkillId, LambdaRuntime, LambdaHandler, CodeBucket, CodeKey and CodeVersion, and reads
    the endpoint from an output named SkillEndpoint."""
    stack = copy.deepcopy(template)
    name, function = function_resource(stack)
    props = function["Properties"]
    params = stack.setdefault("Parameters", {})
    params["LambdaRuntime"] = {"Type": "String", "Default": props["Runtime"],
                               "AllowedValues": ["python3.12", "python3.13"],
                               "Description": "Set by the ASK CLI from userConfig.runtime (SnapStart: 3.12+)"}
    params["LambdaHandler"] = {"Type": "String", "Default": props["Handler"],
                               "Description": "Set by the ASK CLI from userConfig.handler"}
    for key, what in (("CodeBucket", "bucket"), ("CodeKey", "key"), ("CodeVersion", "object version")):
        params[key] = {"Type": "String", "Description": f"Set by the ASK CLI: the code zip's S3 {what}"}
    props["Handler"] = {"Ref": "LambdaHandler"}
    for other in functions(stack).values():  # the drain runs the same zip
        other["Properties"]["Runtime"] = {"Ref": "LambdaRuntime"}
        other["Properties"]["CodeUri"] = {"Bucket": {"Ref": "CodeBucket"}, "Key": {"Ref": "CodeKey"},
                                          "Version": {"Ref": "CodeVersion"}}
    stack["Outputs"]["SkillEndpoint"] = {"Description": "Read by the ASK CLI: the skill's endpoint",
                                         "Value": {"Ref": f"{name}.Alias"}}
    return stack


# Example phrases that ask for the log or its deletion: dropped when a deployment keeps no log.
LOG_INTENTS = frozenset({"HistorySummaryIntent", "DeleteHistoryIntent"})


def _privacy():
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tools import privacy_pages

    return privacy_pages


def listing_for_mode(manifest: dict, mode: str, config: dict) -> dict:
    """skill.json's publishing text for an EPISODE_LOG mode (deploy/privacy.toml [store]): the
    description's log paragraph kept (on), prefaced by consent (ask) or dropped (off), and in off
    no example phrase that reaches the history or its deletion (certification tries every one)."""
    _privacy()  # puts the repository on sys.path when run as a script
    from tools.resolver import Resolver

    manifest = copy.deepcopy(manifest)
    pages = config["pages"]
    for locale, entry in manifest["manifest"]["publishingInformation"]["locales"].items():
        words = config["store"][pages[locale]]
        paragraphs = entry["description"].split("\n\n")
        found = [i for i, p in enumerate(paragraphs) if p.startswith(words["log_lead"])]
        if len(found) != 1:
            raise SystemExit(f"skill.json {locale}: no single description paragraph starts with "
                             f"{words['log_lead']!r} (deploy/privacy.toml [store]); update one or the other")
        if mode == "ask":
            paragraphs[found[0]] = words["log_lead_ask"] + paragraphs[found[0]][len(words["log_lead"]):]
        elif mode == "off":
            del paragraphs[found[0]]
            resolver = Resolver.from_locale(locale)
            entry["examplePhrases"] = [p for p in entry["examplePhrases"]
                                       if resolver.resolve(p).intent not in LOG_INTENTS]
        entry["description"] = "\n\n".join(paragraphs)
    return manifest


def privacy_urls(manifest: dict, config: dict) -> dict:
    """Each locale's privacy and terms URLs at the config's site (unchanged when none is set)."""
    privacy = _privacy()
    manifest = copy.deepcopy(manifest)
    for locale, urls in manifest["manifest"]["privacyAndCompliance"]["locales"].items():
        page = config["pages"][locale]
        urls["privacyPolicyUrl"] = privacy.page_url(config, page)
        urls["termsOfUseUrl"] = privacy.page_url(config, page, "terms")
    return manifest


def skill_manifest(endpoint: str | None, mode: str = "on", config: dict | None = None) -> dict:
    """skill.json for build/ask. With an endpoint, both URIs point at it; without, they are left
    out, and the ASK CLI fills them in from the stack's SkillEndpoint after deploying it. The
    listing follows the EPISODE_LOG ``mode`` (``on``: skill.json as written)."""
    manifest = json.loads((ROOT / "skill.json").read_text(encoding="utf-8"))
    if config is not None:
        manifest = privacy_urls(listing_for_mode(manifest, mode, config), config)
    elif mode != "on":
        manifest = listing_for_mode(manifest, mode, _privacy().load_config())
    body = manifest["manifest"]
    custom = body.get("apis", {}).get("custom", {})
    events = body.get("events")
    if endpoint:
        custom["endpoint"] = {"uri": endpoint}
        if events is not None:
            events["endpoint"] = {"uri": endpoint}
    else:
        custom.pop("endpoint", None)
        if events is not None:
            events.pop("endpoint", None)
    return manifest


BUILD_HOOK = """#!/bin/sh
# ASK CLI custom build step (hooks/build.sh, run by `ask deploy` from this folder).
# Deploy the zip tools/package.py built and tests checked (Lambda's platform, no boto3, no caches)
# instead of the CLI's own `pip install -r requirements.txt` for this machine's platform.
# $1: the zip file the CLI wants; $2: debug flag.
set -eu
cp "$(dirname "$0")/leg-cramp-helper.zip" "$1"
"""


def refuse_unpublishable(config: dict, mode: str, region: str) -> None:
    """A store build stops, naming what is missing, rather than invent a publisher or a site."""
    privacy = _privacy()
    missing = privacy.missing_for_store(config, privacy.Deployment(mode=mode, region=region, store=True))
    if missing:
        raise privacy.NotPublishable("a store build needs, in deploy/privacy.toml or the environment: "
                                     + "; ".join(missing))


def build_site(build_dir: Path, config: dict, mode: str, region: str, store: bool) -> Path:
    """build/site: the privacy pages for this deployment, and the terms beside them."""
    privacy = _privacy()
    site = build_dir / "site"
    shutil.rmtree(site, ignore_errors=True)
    privacy.write_pages(site / "privacy", config, privacy.Deployment(mode=mode, region=region, store=store),
                        terms=True)
    return site


def build_ask(build_dir: Path, template: dict, zip_path: Path, endpoint: str | None, region: str,
              mode: str = "ask", config: dict | None = None, store: bool = False) -> Path:
    ask = build_dir / "ask"
    # .ask/ holds the ASK CLI's state (skill id, stack id, S3 bucket): keep it, or the next
    # `ask deploy` would create a second skill and a second stack.
    state = build_dir / ".ask-state"
    shutil.rmtree(state, ignore_errors=True)
    if (ask / ".ask").is_dir():
        shutil.move(ask / ".ask", state)
    shutil.rmtree(ask, ignore_errors=True)
    ask.mkdir(parents=True)
    if state.is_dir():
        shutil.move(state, ask / ".ask")
    arch, python_version = target_of(template)
    handler = function_resource(template)[1]["Properties"]["Handler"]
    privacy = _privacy()
    config = config if config is not None else privacy.load_config()
    if store:
        refuse_unpublishable(config, mode, region)
    manifest = skill_manifest(endpoint, mode, config)
    _write_json(ask / "ask-resources.json",
                ask_resources(region, python_version, handler, skill_event_subscriptions(manifest)))
    _write_json(ask / "skill-package" / "skill.json", manifest)
    models = sorted((ROOT / "interaction_models").glob("*.json"))
    if not models:
        raise SystemExit("interaction_models/ holds no <locale>.json")
    for model in models:
        target = ask / "skill-package" / "interactionModels" / "custom" / model.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(model, target)
    copy_code(LAMBDA_DIR, ask / "lambda")
    stack = cfn_deployer_template(template)
    for name, value in (("EpisodeLog", mode), ("DataRegion", region)):  # what the listing and pages say
        if name in stack.get("Parameters", {}):
            stack["Parameters"][name]["Default"] = value
    _write_json(ask / "infrastructure" / "cfn-deployer" / "skill-stack.json", stack)
    hook = ask / "hooks" / "build.sh"
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text(BUILD_HOOK, encoding="utf-8")
    hook.chmod(0o755)
    shutil.copyfile(zip_path, ask / "hooks" / ZIP_NAME)
    return ask


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _kb(size: int) -> str:
    return f"{size / 1024:,.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:,.2f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-dir", type=Path, default=ROOT / "build", help="where to build (build/)")
    parser.add_argument("--endpoint", help="the FunctionAliasArn output, written into build/ask's skill.json")
    parser.add_argument("--region", default="us-east-1", help="AWS region for the ASK CLI's stack")
    parser.add_argument("--no-cache", action="store_true", help="run pip even if build/ holds the same deps")
    parser.add_argument("--log-mode", help="EPISODE_LOG: ask, on or off (default: $EPISODE_LOG, else ask)")
    parser.add_argument("--store", action="store_true",
                        help="for submission: stop unless the publisher's details and site are set")
    args = parser.parse_args(argv)
    privacy = _privacy()
    mode = privacy.log_mode(args.log_mode)
    config = privacy.load_config()
    if args.store:  # before the slow part: say what is missing at once
        refuse_unpublishable(config, mode, args.region)
    if args.endpoint and not ALIAS_ARN.fullmatch(args.endpoint):
        parser.error("--endpoint must be a Lambda alias ARN: "
                     "arn:aws:lambda:<region>:<account>:function:<name>:<alias>")
    build_dir = args.build_dir.resolve()
    template = load_template()
    arch, python_version = target_of(template)
    print(f"Packaging for python{python_version} on {arch} (from template.yaml) into {build_dir}")
    zip_path, removed = build_zip(build_dir, arch, python_version, use_cache=not args.no_cache)
    ask = build_ask(build_dir, template, zip_path, args.endpoint, args.region, mode, config, args.store)
    site = build_site(build_dir, config, mode, args.region, args.store)
    report = sizes(zip_path)
    print(f"\n{zip_path}")
    print(f"  zip size       {_kb(report['zip']):>10}   ({report['zip']:,} bytes, {report['files']} files)")
    print(f"  unzipped size  {_kb(report['unzipped']):>10}   (Lambda's limit: 250 MB unzipped)")
    print("  largest entries (unzipped):")
    for name, size in list(report["by_package"].items())[:8]:
        print(f"    {name:<36} {_kb(size):>10}")
    if removed:
        print("  left out: " + ", ".join(sorted(set(removed))))
    shown = ask.relative_to(Path.cwd()) if ask.is_relative_to(Path.cwd()) else ask
    print(f"\n{ask}\n  the ASK CLI v2 project: cd {shown} && ask deploy (docs/deploy.md)")
    print(f"  EPISODE_LOG={mode}: skill.json's descriptions and example phrases, and the privacy pages, "
          f"say so;\n  deploy the function with the same mode (EpisodeLog={mode}, DataRegion={args.region})")
    print(f"\n{site}\n  the privacy and terms pages, to serve at {privacy.site_of(config)}"
          + ("" if args.store else "\n  NOT FOR PUBLISHING (no --store): missing values are [[...]]"))
    if args.endpoint:
        print(f"  skill.json endpoints: {args.endpoint}")
    else:
        print("  skill.json has no endpoint URI: `ask deploy` fills it in from the stack's SkillEndpoint;"
              "\n  after `sam deploy`, run again with --endpoint <FunctionAliasArn>")
    return 0


if __name__ == "__main__":
    sys.exit(main())
