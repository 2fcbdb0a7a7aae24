"""tools/audit.py: a pin is reported clean only when PyPI's advisories for that very version were read."""

from tools.audit import check

PYPI = "https://pypi.org/pypi"


def pages(**by_url):
    return lambda url: by_url.get(url)


def test_the_latest_release_is_checked_from_the_project_page():
    get = pages(**{f"{PYPI}/requests/json": {"info": {"version": "2.34.2"}, "vulnerabilities": []}})
    assert check("requests", "2.34.2", get)["status"] == "clean"


def test_an_advisory_on_the_pinned_release_fails_it_with_its_id_and_fix():
    vuln = {"id": "CVE-2024-47081", "fixed_in": ["2.32.4"], "withdrawn": None}
    page = {"info": {"version": "2.32.3"}, "vulnerabilities": [vuln]}
    get = pages(**{f"{PYPI}/requests/2.32.3/json": page})
    result = check("requests", "2.32.3", get)
    assert result["status"] == "vulnerable" and result["vulns"] == ["CVE-2024-47081 (fixed in 2.32.4)"]


def test_a_withdrawn_advisory_does_not_count():
    vuln = {"id": "PYSEC-0", "fixed_in": [], "withdrawn": "2026-01-01T00:00:00Z"}
    get = pages(**{f"{PYPI}/x/json": {"info": {"version": "1.0"}, "vulnerabilities": [vuln]}})
    assert check("x", "1.0", get)["status"] == "clean"


def test_a_pin_behind_the_latest_release_is_not_checked_rather_than_clean():
    get = pages(**{f"{PYPI}/babel/json": {"info": {"version": "2.19.0"}, "vulnerabilities": []}})
    result = check("babel", "2.18.0", get)
    assert result["status"] == "unchecked" and "2.19.0" in result["why"]


def test_no_page_at_all_is_not_checked():
    assert check("ghost", "1.0", pages())["status"] == "unchecked"
