"""The documented deployment, small: the real nginx, configured from the repository's template
(deploy/nginx/belong.conf, filled in by belong.home.nginx as `manage.py nginx_config` does), in
front of a real gunicorn (sync workers, as docs/deploy.md runs it) serving Belong on the test
database. Both run as subprocesses in a folder of their own, on free loopback ports; nginx as a
user without privileges (nobody, when the tests run as root), with its own prefix, temporary
folders and error log, `daemon off`. Every wait is bounded."""

import datetime
import http.client
import ipaddress
import os
import pwd
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection

from belong.home import nginx
from tests.skipguard import nginx_path

ROOT = Path(__file__).resolve().parent.parent.parent
WORKERS = 2
START_SECONDS = 60
HOST = "127.0.0.1"


def free_ports(count):
    """`count` distinct free loopback ports: from BELONG_TEST_PORTS ("8150-8199") when set,
    else ones the kernel picks. All are held open together while they are chosen."""
    ports = os.environ.get("BELONG_TEST_PORTS", "")
    if ports:
        low, _dash, high = ports.partition("-")
        candidates = list(range(int(low), int(high or low) + 1))
    else:
        candidates = [0] * count
    held = []
    try:
        for port in candidates:
            sock = socket.socket()
            try:
                sock.bind((HOST, port))
            except OSError:
                sock.close()
                continue
            held.append(sock)
            if len(held) == count:
                return [sock.getsockname()[1] for sock in held]
        raise RuntimeError(f"not {count} free ports in BELONG_TEST_PORTS={ports}")
    finally:
        for sock in held:
            sock.close()


def self_signed(certificate: Path, key: Path):
    """A certificate for 127.0.0.1, valid for a day, that the tests trust."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(private, hashes.SHA256())
    )
    certificate.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def database_url() -> str:
    """The test database (pytest-django's, already made) as a DATABASE_URL for gunicorn."""
    data = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{data['NAME']}"
    user = data.get("USER") or ""
    password = f":{data['PASSWORD']}" if data.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    port = f":{data['PORT']}" if data.get("PORT") else ""
    return f"postgres://{credentials}{data.get('HOST') or 'localhost'}{port}/{data['NAME']}"


def gunicorn_command(port: int, access_log: Path) -> list[str]:
    from gunicorn.config import KNOWN_SETTINGS

    from belong.home import serving

    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "belong.wsgi:application",
        f"--bind={HOST}:{port}",
        f"--workers={WORKERS}",
        "--worker-class=belong.home.edge.SyncWorker",
        f"--limit-request-line={serving.LIMIT_REQUEST_LINE}",
        "--timeout=30",
        "--graceful-timeout=5",
        f"--access-logfile={access_log}",
        f"--chdir={ROOT}",
    ]
    if any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS):
        command.append("--no-control-socket")  # gunicorn 25.1+: no socket in $HOME
    return command


MAIN_CONF = """\
daemon off;
master_process on;
worker_processes 1;
pid {base}/nginx.pid;
error_log {base}/logs/error.log info;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {base}/logs/access.log;
    client_body_temp_path {base}/temp/body;
    proxy_temp_path {base}/temp/proxy;
    fastcgi_temp_path {base}/temp/fastcgi;
    uwsgi_temp_path {base}/temp/uwsgi;
    scgi_temp_path {base}/temp/scgi;
    include {base}/belong.conf;
}}
"""


@dataclass
class Stack:
    base: Path
    gunicorn_port: int
    http_port: int
    https_port: int
    processes: list = field(default_factory=list)
    extra_env: dict = field(default_factory=dict)  # more of Belong's environment for gunicorn

    # -- where things are ----------------------------------------------------------------------
    @property
    def var(self):
        return self.base / "var"

    @property
    def public(self):
        return self.base / "public"

    @property
    def static(self):
        return self.base / "static"

    @property
    def uploads(self):
        return self.base / "uploads"

    @property
    def nginx_dir(self):
        return self.base / "nginx"

    @property
    def nginx_body_temp(self):
        return self.nginx_dir / "temp" / "body"

    @property
    def access_log(self):
        return self.base / "gunicorn-access.log"

    @property
    def certificate(self):
        return self.nginx_dir / "cert.pem"

    def gunicorn_saw(self, marker: str) -> bool:
        return marker in self.access_log.read_text(errors="replace")

    def files_in(self, folder: Path) -> list[Path]:
        return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []

    def log_tail(self, lines=40):
        parts = []
        for log in (self.base / "gunicorn.log", self.nginx_dir / "logs" / "error.log"):
            if log.exists():
                text = log.read_text(errors="replace").splitlines()[-lines:]
                parts.append(f"--- {log.name}\n" + "\n".join(text))
        return "\n".join(parts)

    # -- talking to it -------------------------------------------------------------------------
    def tls_context(self):
        return ssl.create_default_context(cafile=str(self.certificate))

    def https(self, method, path, body=None, headers=None, timeout=15):
        """(status, headers, body) of a request through nginx over HTTPS."""
        conn = http.client.HTTPSConnection(
            HOST, self.https_port, timeout=timeout, context=self.tls_context()
        )
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def http(self, method, path, port=None, timeout=15):
        conn = http.client.HTTPConnection(HOST, port or self.http_port, timeout=timeout)
        try:
            conn.request(method, path)
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def tls_socket(self, timeout=15):
        raw = socket.create_connection((HOST, self.https_port), timeout=timeout)
        return self.tls_context().wrap_socket(raw, server_hostname=HOST)

    # -- life ----------------------------------------------------------------------------------
    def start(self):
        for folder in (self.var, self.public, self.static, self.uploads, self.var / "media"):
            folder.mkdir(parents=True, exist_ok=True)
        self._start_gunicorn()
        self._start_nginx()
        self._wait_until_healthy()

    def _start_gunicorn(self):
        env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("BELONG_", "DJANGO_"))
            and name not in ("DATABASE_URL", "REDIS_URL")
        }
        env.update(
            PYTHONUNBUFFERED="1",
            DATABASE_URL=database_url(),
            BELONG_DB_CONN_MAX_AGE="0",  # no connection left open when the tests end
            BELONG_VAR_DIR=str(self.var),
            BELONG_STATIC_ROOT=str(self.static),
            BELONG_PUBLIC_MEDIA_ROOT=str(self.public),
            BELONG_UPLOAD_TEMP_DIR=str(self.uploads),
            BELONG_TASKS_BACKEND="immediate",
            BELONG_EMAIL="memory",
            BELONG_COLLECTIVES_CACHE_SECONDS="0",
            BELONG_LOG_LEVEL="WARNING",
        )
        env.update(self.extra_env)
        log = open(self.base / "gunicorn.log", "ab")  # noqa: SIM115  (closed by stop)
        process = subprocess.Popen(
            gunicorn_command(self.gunicorn_port, self.access_log),
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process.log = log
        self.processes.append(process)

    def _start_nginx(self):
        base = self.nginx_dir
        for folder in (base / "logs", base / "temp"):
            folder.mkdir(parents=True, exist_ok=True)
        self_signed(self.certificate, base / "key.pem")
        filled = nginx.values(
            server_name=HOST,
            upstream=f"{HOST}:{self.gunicorn_port}",
            certificate=str(self.certificate),
            certificate_key=str(base / "key.pem"),
            listen_http=f"{HOST}:{self.http_port}",
            listen_https=f"{HOST}:{self.https_port}",
        )
        filled.update(STATIC_ROOT=str(self.static), PUBLIC_MEDIA_ROOT=str(self.public))
        (base / "belong.conf").write_text(nginx.render(filled))
        (base / "nginx.conf").write_text(MAIN_CONF.format(base=base))
        user = {}
        if os.geteuid() == 0:
            # Never as root: nginx runs as nobody, which owns its own folder and reads the rest.
            nobody = pwd.getpwnam("nobody")
            for path in [base, *base.rglob("*")]:
                os.chown(path, nobody.pw_uid, nobody.pw_gid)
            user = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
        command = [nginx_path(), "-p", str(base), "-c", str(base / "nginx.conf")]
        command += ["-e", str(base / "logs" / "error.log")]
        checked = subprocess.run(
            [*command, "-t"], capture_output=True, text=True, timeout=30, check=False, **user
        )
        assert checked.returncode == 0, checked.stderr
        log = open(self.base / "nginx.out", "ab")  # noqa: SIM115  (closed by stop)
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            **user,
        )
        process.log = log
        self.processes.append(process)

    def _wait_until_healthy(self):
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            for process in self.processes:
                assert process.poll() is None, f"exited {process.returncode}\n{self.log_tail()}"
            try:
                if self.https("GET", "/healthz", timeout=5)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise AssertionError(f"/healthz did not answer within {START_SECONDS} s\n{self.log_tail()}")

    def stop(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                # nginx: a fast shutdown; gunicorn: finish the requests in hand (a few seconds).
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            process.log.close()


def make_stack(**extra_env) -> Stack:
    """`extra_env`: more of Belong's environment for gunicorn (BELONG_...)."""
    # Not under pytest's own temporary folder: that one is private to the user running the tests,
    # and nginx's workers (nobody) must read the public pictures and the static files.
    base = Path(tempfile.mkdtemp(prefix="belong-proxy-"))
    base.chmod(0o755)
    gunicorn_port, http_port, https_port = free_ports(3)
    return Stack(base, gunicorn_port, http_port, https_port, extra_env=extra_env)


def remove(stack: Stack):
    shutil.rmtree(stack.base, ignore_errors=True)
