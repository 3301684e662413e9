"""A real OpenID Provider for the tests: the certified `oidc-provider` package from the npm
registry (tests/peers/oidc), run with Node as its own process on a free port. Its packages are
installed from the committed lock file the first time (`npm ci`). Accounts live in a JSON file
the provider reads at every use, so a test changes someone's claims or disables them between
two sign-ins."""

import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.home.server_support import free_port

PEER = Path(__file__).resolve().parent.parent.parent / "peers" / "oidc"
START_SECONDS = 30
CLIENT_ID = "belong-tests"
CLIENT_SECRET = "a-client-secret-for-the-tests-only"  # noqa: S105


def install():
    """`npm ci` from the lock file, once (the project's own files install the peer)."""
    if (PEER / "node_modules" / "oidc-provider").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            "npm is needed to install the test OpenID provider (apt-get install npm)"
        )
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=PEER,
        check=True,
        timeout=300,
    )


class Provider:
    def __init__(self, *, redirect_uris, post_logout_redirect_uris):
        install()
        self.folder = Path(tempfile.mkdtemp(prefix="belong-oidc-"))
        self.accounts_file = self.folder / "accounts.json"
        self.accounts: dict = {}
        self._write()
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        config = {
            "client": {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": list(redirect_uris),
                "post_logout_redirect_uris": list(post_logout_redirect_uris),
            },
            "accounts": str(self.accounts_file),
        }
        (self.folder / "config.json").write_text(json.dumps(config))
        self.log = open(self.folder / "provider.log", "wb")  # noqa: SIM115 - closed in stop()
        node = shutil.which("node") or "node"
        self.process = subprocess.Popen(
            [node, str(PEER / "provider.mjs"), str(self.port), str(self.folder / "config.json")],
            cwd=PEER,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait()

    def _wait(self):
        deadline = time.monotonic() + START_SECONDS
        url = f"{self.issuer}/.well-known/openid-configuration"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the OpenID provider stopped: {self.output()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"the OpenID provider did not start: {self.output()}")

    def output(self) -> str:
        self.log.flush()
        return (self.folder / "provider.log").read_text(errors="replace")[-4000:]

    def _write(self):
        self.accounts_file.write_text(json.dumps(self.accounts))

    def set_account(self, subject, *, disabled=False, **claims):
        self.accounts[subject] = {"claims": claims, "disabled": disabled}
        self._write()

    def disable(self, subject):
        self.accounts[subject]["disabled"] = True
        self._write()

    def settings(self, **more) -> dict:
        """Belong's settings for this provider (for override_settings)."""
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_RP_SCOPES": "openid email profile offline_access belong",
            "SSO_NAME": "Test University",
            **more,
        }

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)
