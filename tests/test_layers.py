"""Layers stay in their order: a service builds what a webhook carries through its app's ``payloads``
module, never by importing the API's serializers (the API is above the services, not below)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ["prm", "partners", "scorecards", "incentives", "onboarding", "leads", "rewards"]


def service_modules():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "services" in path.parts or path.name == "services.py":
                yield path


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            names.add("." * node.level + (node.module or ""))
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_no_service_imports_the_api():
    offenders = {
        str(path.relative_to(ROOT)): sorted(name for name in imported(path) if "api" in name.split("."))
        for path in service_modules()
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_check_sees_an_import_of_the_api(tmp_path):
    sample = tmp_path / "services.py"
    sample.write_text("def f():\n    from ..api.serializers import PartnerSerializer\n")
    assert "..api.serializers" in imported(sample)
