"""What a request imports, measured in a fresh interpreter: a screenless cramp never loads the
screens, and a cramp never loads Babel while a history answer does (moved here from test_display.py
and test_locales.py, since each starts a Python process)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_screenless_request_never_loads_the_screens():
    """The one-shot calf envelope has no APL interface: neither apl.py nor a document is read."""
    code = (
        "import json, sys\n"
        "import lambda_function\n"
        "event = json.load(open('tests/events/one_shot_calf.json'))\n"
        "out = lambda_function.lambda_handler(event, None)\n"
        "assert 'outputSpeech' in out['response'], out\n"
        "assert not any(d.get('type', '').startswith('Alexa.Presentation.APL')\n"
        "               for d in out['response'].get('directives') or []), out\n"
        "print('cramp_helper.apl' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRAMP_", "DYNAMODB_"))}
    env["PYTHONPATH"] = os.path.join(ROOT, "lambda")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_a_cramp_request_never_imports_babel_but_a_history_answer_does():
    child = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import lambda_function
event = json.load(open(sys.argv[2]))
for locale in ("en-US", "en-GB", "de-DE", "es-MX"):
    event["request"]["locale"] = locale
    body = lambda_function.lambda_handler(event, None)
    assert "calf" in body["response"]["outputSpeech"]["ssml"] or locale != "en-US", body
cramp = sorted(m for m in sys.modules if m == "babel" or m.startswith("babel."))
from cramp_helper import content, insights
from datetime import date
insights.Words(content.load("de-DE")).date(date(2026, 11, 23))
print(json.dumps({"cramp": cramp, "history": "babel" in sys.modules}))
"""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CRAMP_", "DYNAMODB_", "AWS_", "SKILL_ID"))}
    done = subprocess.run([sys.executable, "-c", child, str(ROOT / "lambda"),
                           str(ROOT / "tests" / "events" / "one_shot_calf.json")],
                          capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"cramp": [], "history": True}
