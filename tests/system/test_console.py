"""The README's run command: the console plays the demo night, scripts, and keeps history."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tools import console

ROOT = Path(__file__).resolve().parents[2]


class NotATerminal(io.StringIO):
    def isatty(self):
        return False


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("CRAMP_TABLE_NAME", "DYNAMODB_ENDPOINT_URL", "CRAMP_TABLE_REGION"):
        monkeypatch.delenv(name, raising=False)


def run(args, stdin=""):
    out = io.StringIO()
    code = console.main(args, stdin=NotATerminal(stdin), out=out)
    return code, out.getvalue()


def test_demo_night_stores_the_episode_then_answers_from_history_next_run(tmp_path, clean_env):
    data = tmp_path / "table.json"
    code, first = run(["--data", str(data)])
    assert code == 0
    assert "playing the built-in demo night" in first
    assert "alexa  > Okay, your left calf." in first
    assert "(15 s) Halfway. (10 s) Five more seconds. (5 s) And gently let go." in first
    assert 'table  > PutItem {"sk": "EP#' in first and '"outcome": "RELIEVED"' in first
    assert "mic    > open" in first and "mic    > closed (session ended)" in first
    assert "card   > Leg cramp summary" in first
    assert "you've had one cramp" in first
    assert data.exists()
    code, second = run(["--data", str(data)])
    assert "In the last 30 days you've had 2 cramps." in second
    code, fresh = run(["--data", str(data), "--fresh"])
    assert "you've had one cramp" in fresh


def test_ask_mode_demo_night_asks_and_writes_the_cramp_only_after_the_yes(tmp_path, clean_env, monkeypatch):
    monkeypatch.delenv("EPISODE_LOG")  # the default: ask
    code, out = run(["--data", str(tmp_path / "table.json")])
    assert code == 0 and "episode log: ask" in out
    before, after = out.split("you    > yes", 1)
    assert "Would you like me to keep a private log of your cramps" in before
    assert 'PutItem {"sk": "EP#' not in before  # nothing about the cramp before the yes
    assert "I'll keep a private log of your cramps, starting with this one" in after
    assert 'table  > PutItem {"sk": "EP#' in after and '"outcome": "RELIEVED"' in after
    assert "you've had one cramp" in after


def test_the_console_shows_no_history_item_written_before_consent(tmp_path, clean_env):
    script = tmp_path / "night.txt"
    script.write_text("tell leg cramp helper my left calf is cramping\nit's gone\nno\n")
    code, out = run(["--log-mode", "ask", "--script", str(script), "--data", str(tmp_path / "t.json")])
    assert code == 0 and "I won't keep a log" in out
    assert '"sk": "EP#' not in out and '"sk": "OPEN#' not in out and "open_episode" not in out
    # the guarded write the consent check refused reads as that, not as a table failing
    assert "refused by its condition on PROFILE (ConditionalCheckFailed): nothing written" in out
    assert "failed: TransactionCanceledException" not in out


def test_a_script_plays_line_by_line_with_console_commands(tmp_path, clean_env):
    script = tmp_path / "night.txt"
    script.write_text("# my night\n:at today 02:10\nopen leg cramp helper\nmy right foot\n"
                      "still cramping\n:silence\n")
    code, out = run(["--script", str(script), "--data", str(tmp_path / "t.json")])
    assert code == 0
    assert "[clock]" in out and "02:10" in out
    assert "I'm here to help with your cramp." in out
    assert "Okay, your right foot." in out
    assert "walk a few slow steps" in out
    assert "you    > (silence)" in out
    assert '"open_episode"' in out  # Alexa closed the session mid-episode: its place is kept


def test_the_console_without_a_table_still_guides(clean_env):
    code, out = run(["--no-table", "--demo"])
    assert code == 0 and "Okay, your left calf." in out
    assert "table  >" not in out and "can't reach your cramp history" in out


def test_speak_without_espeak_says_how_to_install_it(monkeypatch, clean_env):
    monkeypatch.setattr(console.shutil, "which", lambda name: None)
    code, out = run(["--speak", "--no-table", "--demo"])
    assert code == 2 and "sudo apt-get install espeak-ng" in out


@pytest.mark.skipif(not console.espeak_available(), reason="espeak-ng is not installed")
def test_speak_renders_each_answer_and_its_holds_can_be_heard(tmp_path, monkeypatch, clean_env):
    monkeypatch.setattr(console, "SPEECH_DIR", tmp_path)
    monkeypatch.setattr(console, "ROOT", tmp_path.parent)
    code, out = run(["--speak", "--no-table", "--demo"])
    assert code == 0
    first = tmp_path / "turn-01.wav"
    with __import__("wave").open(str(first)) as audio:
        seconds = audio.getnframes() / audio.getframerate()
    assert seconds > 60  # two 30 s holds of silence, plus the words
    assert f"({seconds:.1f} s)" in out


def test_run_command_in_a_subprocess_plays_the_demo(tmp_path, clean_env):
    env = {**os.environ, "PYTHONPATH": ""}
    result = subprocess.run([sys.executable, "tools/console.py", "--data", str(tmp_path / "t.json")],
                            cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert "it's gone" in result.stdout and "Leg cramp summary" in result.stdout


def test_the_skills_logs_stay_out_of_the_conversation_unless_asked_for(clean_env):
    code, quiet = run(["--no-table", "--demo"])
    assert '"event": "request"' not in quiet
    code, loud = run(["--no-table", "--demo", "--logs"])
    assert 'log    > {"event": "request"' in loud


def test_as_an_echo_show_the_console_prints_a_line_of_each_screen(tmp_path, clean_env):
    script = tmp_path / "show.txt"
    script.write_text("tell leg cramp helper my left calf is cramping\nit's gone\n")
    code, out = run(["--screen", "--script", str(script), "--data", str(tmp_path / "t.json")])
    assert code == 0
    assert ("screen > [screen guidance] | Technique 1 of 4 | Toes toward your shin | countdown 30s + 30s"
            in out)
    code, plain = run(["--script", str(script), "--data", str(tmp_path / "u.json")])
    assert "screen >" not in plain  # a screenless device gets no document


# --- locales ------------------------------------------------------------------------------------
def test_locale_uses_that_locales_model_content_number_and_time_zone(tmp_path, clean_env):
    script = tmp_path / "night.txt"
    script.write_text(":at today 03:02\ntell leg cramp helper i have chest pain\n")
    code, out = run(["--locale", "en-GB", "--no-table", "--script", str(script)])
    assert code == 0
    assert "call 999 now" in out.lower() and "911" not in out  # issue 18: "Call 999 now." first
    assert "[console] locale en-GB (time zone Europe/London)" in out and "(Europe/London)" in out
    console_ = console.Console(lambda request, context: {}, console.Clock(console.ZoneInfo("UTC")),
                               locale="en-GB")
    assert console_.session.locale == "en-GB"
    own = (ROOT / "interaction_models" / "en-GB.json").exists()
    assert console_.model_locale == ("en-GB" if own else "en-US")


def test_every_locale_resolves_with_a_model_and_has_a_zone_and_a_voice():
    from cramp_helper import content

    assert set(console.LOCALE_ZONES) == set(console.ESPEAK_VOICES) == set(content.supported_locales())
    for locale in console.LOCALE_ZONES:
        assert (ROOT / "interaction_models" / f"{console.model_locale(locale)}.json").exists()
        console.ZoneInfo(console.LOCALE_ZONES[locale])


def test_a_non_english_locale_without_a_script_does_not_play_the_english_demo(monkeypatch, clean_env):
    monkeypatch.setattr(console, "model_locale", lambda locale: locale)
    code, out = run(["--locale", "de-DE", "--no-table"])
    assert code == 2 and "--script" in out


@pytest.mark.parametrize("locale,voice", [
    ("en-US", "en-us"), ("en-CA", "en-us"), ("en-GB", "en-gb"), ("en-AU", "en-gb"), ("en-IN", "en-gb"),
    ("es-US", "es-419"), ("es-MX", "es-419"), ("es-ES", "es"), ("de-DE", "de"), ("fr-FR", "fr-fr"),
    ("fr-CA", "fr-fr"), ("it-IT", "it"), ("pt-BR", "pt-br"),
])
def test_speak_picks_the_locales_espeak_voice(locale, voice):
    # The voices espeak-ng 1.51 (Debian 12) lists; no en-AU, en-IN or fr-CA voice there.
    installed = {"de", "en-029", "en-gb", "en-gb-scotland", "en-gb-x-rp", "en-us", "es", "es-419",
                 "fr-be", "fr-ch", "fr-fr", "it", "pt", "pt-br"}
    assert console.espeak_voice(locale, installed) == voice
    assert console.espeak_voice(locale, set()) == locale.split("-")[0]


@pytest.mark.skipif(not console.espeak_available(), reason="espeak-ng is not installed")
def test_every_locales_voice_is_installed_here():
    installed = console.installed_voices()
    for locale in console.ESPEAK_VOICES:
        assert console.espeak_voice(locale) in installed, locale


def test_speak_renders_with_the_voice_of_the_language_the_skill_answers_in(monkeypatch, tmp_path, clean_env):
    calls = []
    monkeypatch.setattr(console, "espeak_available", lambda: True)
    monkeypatch.setattr(console, "installed_voices", lambda: {"en-us", "en-gb", "de", "fr-fr"})
    monkeypatch.setattr(console, "render_wav", lambda ssml, path, voice=None: calls.append(voice) or 1.0)
    monkeypatch.setattr(console, "SPEECH_DIR", tmp_path)
    monkeypatch.setattr(console, "ROOT", tmp_path.parent)
    script = tmp_path / "s.txt"
    script.write_text("tell leg cramp helper i have chest pain\n")
    code, out = run(["--speak", "--locale", "en-GB", "--no-table", "--script", str(script)])
    assert code == 0 and calls and set(calls) == {"en-gb"} and "espeak-ng voice en-gb" in out
    calls.clear()
    from cramp_helper import content

    # With English words (no de-DE content yet), an English voice.
    expected = "de" if content.load("de-DE").speech_locale == "de-DE" else "en-us"
    monkeypatch.setattr(console, "model_locale", lambda locale: "en-US")
    code, out = run(["--speak", "--locale", "de-DE", "--no-table", "--script", str(script)])
    assert code == 0 and set(calls) == {expected}
