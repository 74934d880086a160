"""Every product module imports on its own, first, in a fresh interpreter: no import circle hides
behind the order in which the rest of the code happens to load.

A circle between two modules can pass unnoticed as long as one of them is always imported first
(``a`` imports ``b`` at its top and ``b`` takes a name from ``a``: importing ``b`` first works,
``a`` first fails). Here each module (every ``.py`` of the apps and ``prm/``, migrations and tests
aside) is imported as the first of the project's modules: a few interpreters each run Django's
set-up once, with the models loaded but without the apps' declarations (``prm.plugs``, which
import much of the code), note the modules loaded then, and for each module to test remove every
project module loaded since before importing it. Third-party packages stay loaded (importing them
again only costs time). The same interpreter then reads the apps' declarations, as start-up does.
"""

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["prm", "partners", "scorecards", "incentives", "onboarding", "leads", "rewards"]
#: Configuration, not code: the settings are read by the set-up itself.
SKIP = ("prm.settings",)
#: Interpreters run at once; each imports a share of the modules.
WORKERS = 4

#: Run in each interpreter with the modules to import as arguments: prints a JSON object
#: {module: error} of those that failed, then checks that the declarations still read.
RUNNER = r"""
import json, os, sys, traceback
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prm.settings")
packages = tuple(json.loads(os.environ["IMPORT_TEST_PACKAGES"]))
import prm.plugs
plug_in_installed_apps = prm.plugs.plug_in_installed_apps
prm.plugs.plug_in_installed_apps = lambda: None  # the modules under test load first, not the apps' declarations
import django
django.setup()
loaded = set(sys.modules)

def forget():
    # the project's modules loaded since the set-up, and their names on their packages (else
    # ``from package import module`` would find the old one there instead of importing it)
    for name in [n for n in sys.modules if n not in loaded and n.split(".")[0] in packages]:
        del sys.modules[name]
        parent, _, child = name.rpartition(".")
        if parent in sys.modules and child in vars(sys.modules[parent]):
            delattr(sys.modules[parent], child)

failed = {}
for module in sys.argv[1:]:
    forget()
    try:
        __import__(module)
    except BaseException:
        failed[module] = traceback.format_exc(limit=-6)
forget()
prm.plugs.plug_in_installed_apps = plug_in_installed_apps
try:
    plug_in_installed_apps()
except BaseException:
    failed["<the apps' declarations>"] = traceback.format_exc(limit=-6)
print(json.dumps(failed))
"""


def product_modules(root: Path = ROOT, packages=PACKAGES) -> list[str]:
    modules = []
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if "migrations" in parts or "tests" in parts:
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            if not name.startswith(SKIP):
                modules.append(name)
    return modules


def import_each(modules: list[str], *, cwd: Path = ROOT, packages=PACKAGES, workers: int = WORKERS) -> dict:
    """{module: traceback} of the modules that fail to import first in a fresh interpreter."""
    env = {**os.environ, "IMPORT_TEST_PACKAGES": json.dumps(list(packages))}
    env.setdefault("DJANGO_SETTINGS_MODULE", "prm.settings")
    env["PYTHONPATH"] = os.pathsep.join([str(cwd), str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    shares = [modules[i::workers] for i in range(workers)]

    def run(share):
        done = subprocess.run(
            [sys.executable, "-c", RUNNER, *share],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode:
            return {f"<interpreter importing {share[0]}…>": done.stderr[-3000:]}
        return json.loads(done.stdout.strip().splitlines()[-1])

    failed = {}
    with ThreadPoolExecutor(workers) as pool:
        for result in pool.map(run, [s for s in shares if s]):
            failed.update(result)
    return failed


def test_every_module_imports_first_on_its_own():
    modules = product_modules()
    assert len(modules) > 300, "the module list is suspiciously short"
    failed = import_each(modules)
    assert not failed, "\n\n".join(f"{module}:\n{error}" for module, error in failed.items())


CIRCLE = {
    # ``a`` needs ``b`` loaded, and ``b`` takes a name from ``a``: fine when ``b`` loads first only
    "sample/__init__.py": "",
    "sample/a.py": "from sample import b\n\nA = 1\n",
    "sample/b.py": "from sample.a import A\n\nB = A + 1\n",
}


def test_the_check_finds_a_circle_that_shows_only_when_one_side_is_imported_first(tmp_path):
    for path, source in CIRCLE.items():
        (tmp_path / path).parent.mkdir(exist_ok=True)
        (tmp_path / path).write_text(source)
    # b first, then a: in one interpreter a would pass, already loaded by b
    failed = import_each(["sample.b", "sample.a"], cwd=tmp_path, packages=["sample"], workers=1)
    assert list(failed) == ["sample.a"] and "partially initialized" in failed["sample.a"]
