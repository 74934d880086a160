"""A whole installation for a test: a database of its own (made and dropped by the owner role, as an
operator would), the product's commands run on it as subprocesses, and a server answering pages.

The code may be this tree or another (the previous release's, from ``git archive``).
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import requests

from prm import devdb
from prm.ops.pooler import close_pooled
from prm.tenancy.demo import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
URL_NAMES = ("DATABASE_URL", "DATABASE_OWNER_URL", "DATABASE_OPERATIONS_URL")


def base_urls() -> dict[str, str]:
    if os.environ.get("DATABASE_URL"):
        return {name: os.environ[name] for name in URL_NAMES if os.environ.get(name)}
    return devdb.urls()


def straight_to_postgresql(urls: dict[str, str]) -> dict[str, str]:
    """``urls`` with the web role at the owner's address: for code that keeps its tenant on the
    session (releases before transaction pooling), which a pooler in transaction mode must never
    carry (docs/deployment.md)."""
    owner = urlsplit(urls.get("DATABASE_OWNER_URL") or urls["DATABASE_URL"])
    web = urlsplit(urls["DATABASE_URL"])
    who = web.netloc.rpartition("@")[0]
    return {
        **urls,
        "DATABASE_URL": urlunsplit(web._replace(netloc=f"{who}@{owner.netloc.rpartition('@')[2]}")),
    }


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def connect_as_owner(url: str, dbname: str = "postgres"):
    parts = urlsplit(url)
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password or None,
        dbname=dbname,
    )
    connection.autocommit = True
    return connection


@contextlib.contextmanager
def database(tag: str):
    """A new, empty database owned by the owner role; yields the three URLs that reach it."""
    urls = base_urls()
    owner = urls.get("DATABASE_OWNER_URL") or urls["DATABASE_URL"]
    name = f"prm_{tag}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with contextlib.closing(connect_as_owner(owner)) as connection, connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name, {key: with_database(url, name) for key, url in urls.items()}
    finally:
        drop_database(owner, name)


def drop_database(owner_url: str, name: str) -> None:
    web, owner = urlsplit(base_urls()["DATABASE_URL"]), urlsplit(owner_url)
    if (web.hostname, web.port) != (owner.hostname, owner.port):  # the web role goes through a pooler
        close_pooled(web.hostname, web.port or 5432, owner.username, name)
    with contextlib.closing(connect_as_owner(owner_url)) as connection, connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def environment(urls: dict[str, str], **extra) -> dict[str, str]:
    """The process environment of an installation: its database, tasks in-process, no Redis."""
    env = {k: v for k, v in os.environ.items() if k not in URL_NAMES and not k.startswith("TEST_")}
    env.update(urls)
    env.update({"REDIS_URL": "", "DEBUG": "true", "LOG_FORMAT": "text", "PRM_REQUIRE_SERVICES": ""})
    env.update(extra)
    return env


def manage(code: Path, env: dict, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=code,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, (
        f"manage.py {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
    )
    return done


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``manage.py runserver`` of ``code`` on a free port of 127.0.0.1 (started, then ``stop()``)."""

    def __init__(self, code: Path, env: dict, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "runserver",
                f"127.0.0.1:{self.port}",
                "--noreload",
                "--nothreading",
            ],
            cwd=code,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.process.stdout.read()
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return
            time.sleep(0.3)
        raise AssertionError("the server did not start")

    def session(self, username: str) -> requests.Session:
        """A logged-in browser session of a demo login."""
        session = requests.Session()
        page = session.get(f"{self.url}/accounts/login/", timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        answer = session.post(
            f"{self.url}/accounts/login/",
            data={"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.url}/accounts/login/"},
            allow_redirects=False,
            timeout=30,
        )
        assert answer.status_code == 302, answer.text[-2000:]
        return session

    def stop(self) -> str:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        return self.process.stdout.read()
