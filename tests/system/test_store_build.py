"""The store build (issue 19, part 1's "store build"): `make package` takes the EPISODE_LOG mode and
generates what depends on it: each locale's description and example phrases in skill.json, the
privacy pages and their URLs, and the mode and region the ASK CLI's stack deploys with."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tools import package
from tools import privacy_pages as pp
from tools.check_model import LocaleModel, check_example_phrases
from tools.package import load_template
from tools.resolver import Resolver

ROOT = Path(__file__).resolve().parents[2]
ORIGINAL = json.loads((ROOT / "skill.json").read_text(encoding="utf-8"))
PUBLISHER = {"PUBLISHER_NAME": "Example Health Apps Ltd", "PUBLISHER_CONTACT": "https://example.org/contact",
             "PRIVACY_SITE": "https://pages.example.org/cramps"}


def build(tmp_path: Path, mode: str, *, region="us-east-1", store=False, environ=None) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    fake_zip = tmp_path / package.ZIP_NAME
    fake_zip.write_bytes(b"PK")
    config = pp.load_config(environ=environ or {})
    return package.build_ask(tmp_path, load_template(), fake_zip, None, region, mode, config, store)


def listing(ask: Path) -> dict:
    return json.loads((ask / "skill-package" / "skill.json").read_text(encoding="utf-8"))["manifest"]


@pytest.fixture(scope="module", params=pp.MODES)
def built(request, tmp_path_factory):
    mode = request.param
    return mode, listing(build(tmp_path_factory.mktemp(f"store-{mode}"), mode))


def test_off_lists_no_history_phrase_and_no_log_paragraph(built):
    mode, manifest = built
    config = pp.load_config(environ={})
    for locale, entry in manifest["publishingInformation"]["locales"].items():
        original = ORIGINAL["manifest"]["publishingInformation"]["locales"][locale]
        lead = config["store"][config["pages"][locale]]["log_lead"]
        reached = {Resolver.from_locale(locale).resolve(p).intent for p in entry["examplePhrases"]}
        if mode == "off":
            assert lead not in entry["description"], locale
            assert not reached & package.LOG_INTENTS, (locale, reached)
            assert len(entry["examplePhrases"]) >= 2
        else:
            assert entry["examplePhrases"] == original["examplePhrases"], locale
        if mode == "on":
            assert entry["description"] == original["description"], locale
        if mode == "ask":
            ask_lead = config["store"][config["pages"][locale]]["log_lead_ask"]
            assert f"\n\n{ask_lead}" in entry["description"], locale
        # what stays is what certification needs: the disclaimer and the emergency line
        assert entry["description"].split("\n\n")[-1] == original["description"].split("\n\n")[-1]


def test_every_example_phrase_of_every_mode_still_reaches_its_intent_from_the_samples(built):
    mode, manifest = built
    for path in sorted((ROOT / "interaction_models").glob("*.json")):
        model = LocaleModel(ROOT, path.stem, path.relative_to(ROOT).as_posix(),
                            json.loads(path.read_text(encoding="utf-8")))
        problems = check_example_phrases(model, {"manifest": manifest})
        assert not problems, (mode, problems)


def test_history_is_in_the_english_listing_only_while_something_may_be_logged(built):
    mode, manifest = built
    phrases = manifest["publishingInformation"]["locales"]["en-US"]["examplePhrases"]
    assert ("Alexa, ask leg cramp helper how have my cramps been" in phrases) == (mode != "off")


def test_the_ask_cli_stack_deploys_the_mode_and_region_the_listing_and_pages_say(tmp_path):
    ask = build(tmp_path, "off", region="eu-west-1")
    stack = json.loads((ask / "infrastructure" / "cfn-deployer" / "skill-stack.json").read_text())
    assert stack["Parameters"]["EpisodeLog"]["Default"] == "off"
    assert stack["Parameters"]["DataRegion"]["Default"] == "eu-west-1"
    resources = json.loads((ask / "ask-resources.json").read_text())
    assert resources["profiles"]["default"]["skillInfrastructure"]["userConfig"]["awsRegion"] == "eu-west-1"


def test_a_store_build_refuses_without_the_publisher_and_site(tmp_path):
    with pytest.raises(pp.NotPublishable, match="publisher_name"):
        build(tmp_path, "ask", store=True)


def test_a_store_build_points_every_locale_at_its_page_on_the_publishers_site(tmp_path):
    manifest = listing(build(tmp_path, "ask", store=True, environ=PUBLISHER))
    config = pp.load_config(environ={})
    for locale, urls in manifest["privacyAndCompliance"]["locales"].items():
        page = config["pages"][locale]
        assert urls["privacyPolicyUrl"] == f"{PUBLISHER['PRIVACY_SITE']}/privacy/{page}.html"
        assert urls["termsOfUseUrl"] == f"{PUBLISHER['PRIVACY_SITE']}/terms/{page}.html"
    assert "[[" not in json.dumps(manifest)


def test_the_site_holds_this_modes_pages_for_every_url_the_listing_names(tmp_path):
    config = pp.load_config(environ=PUBLISHER)
    site = package.build_site(tmp_path, config, "off", "eu-west-1", store=True)
    manifest = listing(build(tmp_path / "ask-build", "off", store=True, environ=PUBLISHER))
    for urls in manifest["privacyAndCompliance"]["locales"].values():
        for url in urls.values():
            assert (site / url.removeprefix(PUBLISHER["PRIVACY_SITE"] + "/")).is_file(), url
    english = (site / "privacy" / "en.html").read_text(encoding="utf-8")
    assert "keeps no log of your cramps" in english and "Ireland" in english
    assert PUBLISHER["PUBLISHER_NAME"] in english


def test_the_command_stops_before_building_when_a_store_build_lacks_the_publisher(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {*pp.FROM_ENVIRONMENT.values(), "EPISODE_LOG"}}
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "package.py"), "--store", "--log-mode", "off",
                           "--build-dir", str(tmp_path)], capture_output=True, text=True, timeout=120,
                          env=env, cwd=ROOT)
    assert done.returncode != 0
    assert "publisher_name" in done.stderr + done.stdout
    assert not (tmp_path / package.ZIP_NAME).exists()


def test_a_wrong_mode_is_refused(tmp_path):
    command = [sys.executable, str(ROOT / "tools" / "package.py"), "--log-mode", "maybe",
               "--build-dir", str(tmp_path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode != 0 and "ask, on, off" in done.stderr + done.stdout
