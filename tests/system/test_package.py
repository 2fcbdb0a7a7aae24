"""tools/package.py: the Lambda zip and the ASK CLI project it builds.

The packaging runs once for the module, into a temporary build directory, with pip really
downloading from PyPI for the template's platform (about 5-60 s, depending on pip's cache and the
network). Without network the module is skipped, not failed.
"""

from __future__ import annotations

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

import pytest

from tools import package
from tools.package import load_template, target_of

ROOT = Path(__file__).resolve().parents[2]
LAMBDA = ROOT / "lambda"
PYTHON_313 = Path("/root/.pyenv/versions/3.13.0/bin/python")
PACKAGE_TIMEOUT_S = 600


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    build_dir = tmp_path_factory.mktemp("build")
    started = time.monotonic()
    command = [sys.executable, str(ROOT / "tools" / "package.py"),
               "--build-dir", str(build_dir), "--no-cache"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=PACKAGE_TIMEOUT_S, cwd=ROOT)
    if result.returncode != 0 and re.search(r"(?i)network|connection|resolve|timed out|temporary failure",
                                            result.stdout + result.stderr):
        pytest.skip(f"packaging needs PyPI, which is unreachable:\n{result.stderr[-2000:]}")
    assert result.returncode == 0, result.stdout + result.stderr
    return {"dir": build_dir, "zip": build_dir / package.ZIP_NAME, "ask": build_dir / "ask",
            "output": result.stdout, "seconds": time.monotonic() - started}


@pytest.fixture(scope="module")
def names(built) -> list[str]:
    with zipfile.ZipFile(built["zip"]) as archive:
        return archive.namelist()


def _code_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo")}


# --- the zip ------------------------------------------------------------------------------------
def test_prints_the_sizes(built):
    out = built["output"]
    assert re.search(r"zip size\s+[\d.,]+ (KB|MB)", out)
    assert re.search(r"unzipped size\s+[\d.,]+ (KB|MB)", out)
    assert "largest entries" in out and "ask_sdk_model" in out


def test_zip_holds_the_code_at_its_root_and_the_sdk(names):
    assert "lambda_function.py" in names
    assert "cramp_helper/__init__.py" in names and "cramp_helper/content/en-US.json" in names
    assert "ask_sdk_core/__init__.py" in names and "ask_sdk_model/__init__.py" in names


def test_zip_code_is_exactly_lambda_dir(built):
    wanted = {k: v for k, v in _code_files(LAMBDA).items() if k not in package.NOT_CODE}
    with zipfile.ZipFile(built["zip"]) as archive:
        for name, data in wanted.items():
            assert archive.read(name) == data, f"{name} differs from lambda/{name}"


def test_zip_leaves_out_runtime_packages_caches_tests_and_scripts(names):
    tops = {n.split("/", 1)[0] for n in names}
    for provided in ("boto3", "botocore", "s3transfer", "jmespath"):
        assert provided not in tops and not any(t.startswith(f"{provided}-") for t in tops)
    assert not [n for n in names if {"tests", "test"} & set(n.split("/")[:-1])]
    assert "bin" not in tops
    assert "requirements.txt" not in names and "requirements.lock" not in names


@pytest.mark.skipif(not PYTHON_313.exists(), reason=f"{PYTHON_313} is not installed")
def test_zip_carries_the_runtimes_bytecode_for_every_module_and_nothing_else_compiled(names):
    """Lambda's /var/task is read-only: without bytecode every cold start compiles the code."""
    sources = {n for n in names if n.endswith(".py")}
    compiled = {n for n in names if n.endswith((".pyc", ".pyo")) or "__pycache__" in n}
    expected = set()
    for source in sources:
        parent, _, module = source.rpartition("/")
        pyc = f"__pycache__/{module[:-3]}.cpython-313.pyc"
        expected.add(f"{parent}/{pyc}" if parent else pyc)
    assert compiled == expected
    assert "cramp_helper/__pycache__/turn.cpython-313.pyc" in compiled


def test_zip_holds_exactly_the_pinned_versions(names):
    pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", (LAMBDA / "requirements.txt").read_text(), re.M))
    dists = {}
    for name in names:
        match = re.match(r"([^/]+)-([^-/]+)\.dist-info/METADATA$", name)
        if match:
            dists[match.group(1).lower().replace("_", "-")] = match.group(2)
    for project, version in pins.items():
        assert dists.get(project.lower().replace("_", "-")) == version, f"{project}=={version} not bundled"


def test_every_record_matches_the_files(built, names):
    """Each .dist-info/RECORD lists exactly the files of its distribution that are in the zip."""
    with zipfile.ZipFile(built["zip"]) as archive:
        records = [n for n in names if n.endswith(".dist-info/RECORD")]
        assert records
        listed: set[str] = set()
        for record in records:
            for line in archive.read(record).decode().splitlines():
                path, digest, size = line.rsplit(",", 2)
                assert path in names, f"{record} lists {path}, which is not in the zip"
                listed.add(path)
                if path == record:
                    continue
                data = archive.read(path)
                expected = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(
                    b"=").decode()
                assert (digest, int(size)) == (expected, len(data)), f"{path} does not match {record}"
    ours = {n for n in names if n.startswith(("lambda_function.py", "__pycache__/lambda_function.",
                                              "cramp_helper/"))}
    unlisted = set(names) - listed - ours
    assert not unlisted, f"files no RECORD lists: {sorted(unlisted)[:10]}"


def test_zip_is_deterministic(built, tmp_path):
    """Sorted entries, fixed timestamps and modes: zipping the same tree again, in another process
    and from files written at another time, gives the same bytes."""
    with zipfile.ZipFile(built["zip"]) as archive:
        infos = archive.infolist()
        archive.extractall(tmp_path / "tree")
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {package.ZIP_EPOCH}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}
    again = tmp_path / "again.zip"
    package.write_zip(tmp_path / "tree", again)
    assert again.read_bytes() == built["zip"].read_bytes()


def test_dependencies_are_for_the_template_platform(built, names):
    arch, python_version = target_of(load_template())
    machine = {"arm64": "aarch64", "x86_64": "x86_64"}[arch]
    tag = f"cpython-{python_version.replace('.', '')}"
    binaries = [n for n in names if n.endswith(".so")]
    assert all(tag in n and machine in n for n in binaries), binaries
    with zipfile.ZipFile(built["zip"]) as archive:
        wheels = [archive.read(n).decode() for n in names if n.endswith(".dist-info/WHEEL")]
    for wheel in wheels:
        tags = re.findall(r"^Tag: (\S+)", wheel, re.M)
        assert any(t.endswith("-any") or machine in t for t in tags), tags


def test_pip_command_targets_lambda(monkeypatch):
    command = package.pip_command(Path("/t"), Path("r.txt"), "arm64", "3.13")
    assert command[:4] == [sys.executable, "-m", "pip", "install"]
    for flag in ("--target", "--implementation", "--python-version", "--only-binary=:all:", "-r",
                 "--require-hashes"):
        assert flag in command
    assert command[command.index("--python-version") + 1] == "3.13"
    assert "manylinux2014_aarch64" in command
    assert "manylinux2014_x86_64" in package.pip_command(Path("/t"), Path("r.txt"), "x86_64", "3.13")


# --- the lock: the zip's dependencies, each file checked against its sha256 --------------------
def test_the_lock_pins_what_requirements_pins_each_with_hashes():
    package.check_lock()  # raises, naming the command that regenerates it, when they differ
    pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", (LAMBDA / "requirements.txt").read_text(), re.M))
    locked = package.lock_pins()
    assert {n.lower(): v for n, v in pins.items()} == {n: v for n, (v, _) in locked.items()}
    assert all(hashes for _, hashes in locked.values())
    assert "--hash=sha256:" in (LAMBDA / "requirements.lock").read_text()
    assert "file://" not in (LAMBDA / "requirements.lock").read_text()  # no machine's own index


def test_a_lock_that_lags_requirements_stops_the_build(tmp_path):
    lock = tmp_path / "requirements.lock"
    lock.write_text((LAMBDA / "requirements.lock").read_text().replace("requests==", "requests==2.32.3 #"))
    with pytest.raises(SystemExit, match="requests.*pip-compile --generate-hashes"):
        package.check_lock(LAMBDA / "requirements.txt", lock)
    unhashed = tmp_path / "unhashed.lock"
    unhashed.write_text((LAMBDA / "requirements.txt").read_text())
    with pytest.raises(SystemExit, match="does not match"):
        package.check_lock(LAMBDA / "requirements.txt", unhashed)


def test_sdist_only_pins_fall_back_to_locally_built_wheels(monkeypatch, tmp_path):
    """When --only-binary finds nothing, pip wheel builds the sdist (checked against the lock) and
    the install is retried with the built wheel's own hash added to a copy of the lock."""
    calls = []

    class Done:
        def __init__(self, code, err=""):
            self.returncode, self.stderr, self.stdout = code, err, ""

    def fake_run(command, **_):
        calls.append(command)
        if command[3] == "install" and len(calls) == 1:
            return Done(1, "ERROR: No matching distribution found for puresdist==1.0")
        return Done(0)

    lock = tmp_path / "r.lock"
    lock.write_text("puresdist==1.0 \\\n    --hash=sha256:" + "a" * 64 + "\n    # via -r r.txt\n")
    (tmp_path / "wheelhouse").mkdir()
    built = tmp_path / "wheelhouse" / "puresdist-1.0-py3-none-any.whl"
    built.write_bytes(b"a wheel built here")
    monkeypatch.setattr(package.subprocess, "run", fake_run)
    monkeypatch.setattr(package.shutil, "rmtree", lambda *a, **k: None)  # keep the wheel above
    package.install_dependencies(tmp_path / "deps", lock, "arm64", "3.13", tmp_path)
    assert [c[3] for c in calls] == ["install", "wheel", "install"]
    assert "--find-links" in calls[2] and "--only-binary=:all:" in calls[2] and "--require-hashes" in calls[2]
    second_lock = Path(calls[2][calls[2].index("-r") + 1]).read_text()
    assert "--hash=sha256:" + "a" * 64 in second_lock
    assert "--hash=sha256:" + hashlib.sha256(b"a wheel built here").hexdigest() in second_lock


# --- the zip runs -------------------------------------------------------------------------------
@pytest.mark.skipif(not PYTHON_313.exists(), reason=f"{PYTHON_313} is not installed")
def test_unpacked_zip_answers_a_launch_on_python_3_13(built, tmp_path):
    """Only the zip's contents and the standard library: no site-packages, no boto3, no table."""
    with zipfile.ZipFile(built["zip"]) as archive:
        archive.extractall(tmp_path / "task")
    event = json.loads((ROOT / "tests" / "events" / "launch.json").read_text(encoding="utf-8"))
    event["context"]["System"]["apiEndpoint"] = "https://127.0.0.1:9"  # refused at once: UTC fallback
    script = f"""
import builtins, json, sys
compiled = []
_compile = builtins.compile
def counting(source, filename, *args, **kwargs):
    compiled.append(str(filename))
    return _compile(source, filename, *args, **kwargs)
builtins.compile = counting
sys.path.insert(0, {str(tmp_path / 'task')!r})
from lambda_function import lambda_handler
response = lambda_handler(json.loads(sys.stdin.read()), None)
import requests, dateutil, six, ask_sdk_model
modules = {{name: getattr(sys.modules[name], "__file__", "") for name in
           ("lambda_function", "cramp_helper", "ask_sdk_core", "requests", "urllib3", "dateutil", "six")}}
print(json.dumps({{"response": response, "modules": modules, "boto3": "boto3" in sys.modules,
                  "version": sys.version_info[:2], "compiled": compiled}}))
"""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRAMP_", "DYNAMODB_", "PYTHON"))}
    result = subprocess.run([str(PYTHON_313), "-I", "-S", "-B", "-c", script], input=json.dumps(event),
                            capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["version"] == [3, 13]
    assert not out["boto3"]
    # every module came from the zip's bytecode: no source file compiled (-B: none written either)
    assert [name for name in out["compiled"] if name.endswith(".py")] == []
    for name, path in out["modules"].items():
        assert path.startswith(str(tmp_path / "task")), f"{name} came from {path}, not the zip"
    body = out["response"]["response"]
    assert body["shouldEndSession"] is False
    assert body["outputSpeech"]["ssml"].startswith("<speak>")
    from tools.alexa_rules import check_response

    assert check_response(out["response"]) == []


# --- Babel: only the locale data the supported locales load --------------------------------------
def _cldr_chain(tag: str) -> list[str]:
    """A CLDR locale and its parents, as Babel loads them (en_GB -> en_001 -> en -> root)."""
    from babel.core import get_global

    chain, name = [], tag
    while name:
        chain.append(name)
        if name == "root":
            break
        name = get_global("parent_exceptions").get(name) or (
            name.rsplit("_", 1)[0] if "_" in name else "root")
    return chain


def test_zip_holds_babel_with_only_the_supported_locales_cldr_data(built, names):
    from cramp_helper import content

    expected = {f"{name}.dat" for locale in content.supported_locales()
                for name in _cldr_chain(locale.replace("-", "_"))}
    data = {n.rsplit("/", 1)[1] for n in names if n.startswith("babel/locale-data/") and n.endswith(".dat")}
    assert "babel/locale-data/LICENSE.unicode" in names  # CLDR's licence stays with its data
    assert data == expected, data ^ expected
    assert "babel/global.dat" in names and "en_001.dat" in data and "es_419.dat" in data
    assert "babel/locale-data: " in built["output"]  # the report says what was left out


@pytest.mark.skipif(not PYTHON_313.exists(), reason=f"{PYTHON_313} is not installed")
def test_unpacked_zip_says_every_locales_dates_and_times_on_python_3_13(built, tmp_path):
    from datetime import date

    from cramp_helper import cldr, content

    with zipfile.ZipFile(built["zip"]) as archive:
        archive.extractall(tmp_path / "task")
    script = f"""
import json, sys
sys.path.insert(0, {str(tmp_path / 'task')!r})
from datetime import date
from cramp_helper import content, cldr
import babel
said = {{loc: [cldr.date(loc, date(2026, 11, 23)), cldr.date(loc, date(2026, 11, 23), year=True),
              cldr.time(loc, 21, 30), cldr.count(loc, 2, {{"other": "{{n}}"}})]
        for loc in content.supported_locales()}}
print(json.dumps({{"said": said, "babel": babel.__file__}}, ensure_ascii=False))
"""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    result = subprocess.run([str(PYTHON_313), "-I", "-S", "-c", script], capture_output=True, text=True,
                            timeout=60, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["babel"].startswith(str(tmp_path / "task"))
    day = date(2026, 11, 23)
    assert out["said"] == {loc: [cldr.date(loc, day), cldr.date(loc, day, year=True),
                                 cldr.time(loc, 21, 30), "2"] for loc in content.supported_locales()}


# --- the ASK CLI project ------------------------------------------------------------------------
def test_ask_project_layout(built):
    ask = built["ask"]
    assert (ask / "ask-resources.json").is_file()
    assert (ask / "skill-package" / "skill.json").is_file()
    models = sorted(p.name for p in (ROOT / "interaction_models").glob("*.json"))
    assert models and sorted(p.name for p in (ask / "skill-package" / "interactionModels" / "custom")
                             .glob("*.json")) == models
    for name in models:
        assert ((ask / "skill-package" / "interactionModels" / "custom" / name).read_bytes()
                == (ROOT / "interaction_models" / name).read_bytes())
    assert _code_files(ask / "lambda") == _code_files(LAMBDA)
    assert not list((ask / "lambda").rglob("__pycache__"))


def test_ask_resources_is_a_cfn_deployer_profile(built):
    resources = json.loads((built["ask"] / "ask-resources.json").read_text())
    assert resources["askcliResourcesVersion"] == "2020-03-31"
    profile = resources["profiles"]["default"]
    assert profile["skillMetadata"]["src"] == "./skill-package"
    assert profile["code"]["default"]["src"] == "./lambda"
    infra = profile["skillInfrastructure"]
    assert infra["type"] == "@ask-cli/cfn-deployer"
    config = infra["userConfig"]
    function = package.function_resource(load_template())[1]["Properties"]
    assert config["runtime"] == function["Runtime"] and config["handler"] == function["Handler"]
    assert (built["ask"] / config["templatePath"]).is_file()
    assert "CAPABILITY_AUTO_EXPAND" in config["cfn"]["capabilities"]
    assert config["targetEndpoint"] == ["custom"]


# What `ask deploy` does to skill.json once the stack is up, as ask-cli 2.28.0 (and every release
# since, to 2.30.7) does it: lib/controllers/skill-infrastructure-controller/index.js,
# updateSkillManifestWithDeployResult, with lib/model/manifest.js's setters. Before 2.28.0 (2.21 to
# 2.27) the controller wrote events.endpoint for a targetEndpoint entry "events"; since 2.28.0 every
# entry is an API domain (apis.<domain>.endpoint) and events.endpoint comes from skillEvents only.


def ask_cli_2_28_manifest_update(resources: dict, manifest: dict, endpoint: dict, profile="default") -> dict:
    user_config = resources["profiles"][profile]["skillInfrastructure"]["userConfig"]
    body = copy.deepcopy(manifest)["manifest"]
    domains = user_config.get("targetEndpoint") or list(body.get("apis", {}))
    for domain in domains:  # setApisEndpointByDomainRegion(domain, "default", endpoint)
        body.setdefault("apis", {}).setdefault(domain, {})["endpoint"] = endpoint
    events = user_config.get("skillEvents")
    if events:
        body.setdefault("events", {})["endpoint"] = endpoint  # setEventsEndpointByRegion
        if events.get("publications"):
            body["events"]["publications"] = [{"eventName": n} for n in events["publications"]]
        if events.get("subscriptions"):
            body["events"]["subscriptions"] = [{"eventName": n} for n in events["subscriptions"]]
    return {"manifest": body}


@pytest.fixture(scope="module")
def ask_project(tmp_path_factory) -> Path:
    """build/ask as package.py writes it (a stand-in zip: the ASK files do not depend on it)."""
    build_dir = tmp_path_factory.mktemp("ask-build")
    fake_zip = build_dir / package.ZIP_NAME
    fake_zip.write_bytes(b"PK")
    return package.build_ask(build_dir, load_template(), fake_zip, None, "us-east-1")


def test_ask_deploy_points_the_skill_events_at_the_function_so_a_disable_deletes(ask_project):
    """ask-cli 2.28.0+: SKILL_DISABLED reaches the function only through skillEvents."""
    resources = json.loads((ask_project / "ask-resources.json").read_text())
    config = resources["profiles"]["default"]["skillInfrastructure"]["userConfig"]
    original = json.loads((ROOT / "skill.json").read_text())["manifest"]
    subscribed = [s["eventName"] for s in original["events"]["subscriptions"]]
    assert config["targetEndpoint"] == ["custom"]
    assert "SKILL_DISABLED" in config["skillEvents"]["subscriptions"]
    assert config["skillEvents"]["subscriptions"] == subscribed  # read from skill.json, all of them
    manifest = json.loads((ask_project / "skill-package" / "skill.json").read_text())
    endpoint = {"uri": "arn:aws:lambda:us-east-1:123456789012:function:leg-cramp-helper:live"}
    deployed = ask_cli_2_28_manifest_update(resources, manifest, endpoint)["manifest"]
    assert deployed["apis"]["custom"]["endpoint"] == endpoint
    assert deployed["events"]["endpoint"] == endpoint
    assert set(deployed["apis"]) == set(original["apis"])  # no apis.events, an invalid key
    assert deployed["events"]["subscriptions"] == original["events"]["subscriptions"]


def test_the_old_target_endpoint_would_never_deliver_skill_disabled(ask_project):
    """The configuration this replaced, under the same ask-cli behaviour: events.endpoint stays
    unset and an invalid apis.events appears. The simulation above can tell the two apart."""
    resources = json.loads((ask_project / "ask-resources.json").read_text())
    config = resources["profiles"]["default"]["skillInfrastructure"]["userConfig"]
    config["targetEndpoint"] = ["custom", "events"]
    del config["skillEvents"]
    manifest = json.loads((ask_project / "skill-package" / "skill.json").read_text())
    deployed = ask_cli_2_28_manifest_update(resources, manifest, {"uri": "arn"})["manifest"]
    assert "endpoint" not in deployed["events"] and "events" in deployed["apis"]


def test_a_manifest_without_skill_disabled_is_refused():
    manifest = json.loads((ROOT / "skill.json").read_text())
    manifest["manifest"]["events"]["subscriptions"] = [{"eventName": "SKILL_ENABLED"}]
    with pytest.raises(SystemExit, match="SKILL_DISABLED"):
        package.skill_event_subscriptions(manifest)


def test_cfn_deployer_stack_takes_what_the_ask_cli_passes_and_lints(built):
    stack_path = built["ask"] / "infrastructure" / "cfn-deployer" / "skill-stack.json"
    stack = json.loads(stack_path.read_text())
    for parameter in ("SkillId", "LambdaRuntime", "LambdaHandler", "CodeBucket", "CodeKey", "CodeVersion"):
        assert parameter in stack["Parameters"], parameter
    assert stack["Outputs"]["SkillEndpoint"]["Value"] == {"Ref": "CrampHelperFunction.Alias"}
    props = stack["Resources"]["CrampHelperFunction"]["Properties"]
    assert props["CodeUri"] == {"Bucket": {"Ref": "CodeBucket"}, "Key": {"Ref": "CodeKey"},
                                "Version": {"Ref": "CodeVersion"}}
    original = package.function_resource(load_template())[1]["Properties"]
    for key in ("SnapStart", "AutoPublishAlias", "Architectures", "MemorySize", "Timeout", "Environment",
                "Events", "Role"):
        assert props[key] == original[key], key
    from tests.system.test_deploy import cfn_lint

    result = subprocess.run([cfn_lint(), str(stack_path)], capture_output=True, text=True, timeout=180,
                            env={**os.environ, "AWS_DEFAULT_REGION": "us-east-1"})
    assert result.returncode == 0, result.stdout + result.stderr


def test_skill_json_endpoints_are_left_for_the_cli_or_set_from_the_alias(built):
    manifest = json.loads((built["ask"] / "skill-package" / "skill.json").read_text())["manifest"]
    original = json.loads((ROOT / "skill.json").read_text())["manifest"]
    assert "endpoint" not in manifest["apis"]["custom"] and "endpoint" not in manifest["events"]
    assert manifest["events"]["subscriptions"] == original["events"]["subscriptions"]
    # the listing is skill.json's as the default EPISODE_LOG (ask) words it (test_store_build.py)
    from tools.privacy_pages import load_config

    asked = package.listing_for_mode({"manifest": original}, "ask", load_config(environ={}))["manifest"]
    assert manifest["publishingInformation"] == asked["publishingInformation"]
    arn = "arn:aws:lambda:eu-west-1:210987654321:function:leg-cramp-helper:live"
    pointed = package.skill_manifest(arn)["manifest"]
    assert pointed["apis"]["custom"]["endpoint"] == {"uri": arn} == pointed["events"]["endpoint"]


def test_ask_build_hook_hands_over_the_tested_zip(built, tmp_path):
    hook = built["ask"] / "hooks" / "build.sh"
    assert os.access(hook, os.X_OK)
    if shutil.which("sh") is None:
        pytest.skip("no sh")
    out = tmp_path / "upload.zip"
    subprocess.run([str(hook), str(out), "false"], check=True, cwd=tmp_path, timeout=30)
    assert out.read_bytes() == built["zip"].read_bytes()


def test_rebuilding_keeps_the_ask_cli_state(tmp_path):
    """build/ask/.ask holds the skill id and stack id: a rebuild must not make `ask deploy` start over."""
    state = tmp_path / "ask" / ".ask" / "ask-states.json"
    state.parent.mkdir(parents=True)
    state.write_text('{"profiles": {"default": {"skillId": "amzn1.ask.skill.kept"}}}')
    (tmp_path / "ask" / "stale.txt").write_text("from an old build")
    fake_zip = tmp_path / package.ZIP_NAME
    fake_zip.write_bytes(b"PK")
    ask = package.build_ask(tmp_path, load_template(), fake_zip, None, "us-east-1")
    assert json.loads((ask / ".ask" / "ask-states.json").read_text())["profiles"]["default"]["skillId"] == (
        "amzn1.ask.skill.kept")
    assert not (ask / "stale.txt").exists()
    assert (ask / "ask-resources.json").is_file()
