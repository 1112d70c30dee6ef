"""Runs one of the workspace's real Lambda binaries (target/debug/<name>) at the
`cargo lambda watch` Runtime API that scripts/with-moto starts, with AWS calls going to moto,
and invokes it once through the Lambda Invoke API. moto cannot run functions without Docker;
this is how the infra tests run ours against the stack moto created.
"""

import json
import os
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def binary(name):
    path = Path(os.environ.get("PIIFLOW_LAMBDA_BIN_DIR", ROOT / "target" / "debug")) / name
    if not path.is_file():
        sys.exit(f"lambda_binary: {path} is missing (cargo build --bin {name})")
    return path


def invoke(name, event, env=None, log_dir=None):
    """Starts `name` with the function environment `env`, invokes it with `event`, stops it;
    returns the decoded answer."""
    log_dir = Path(log_dir or tempfile.mkdtemp(prefix=f"{name}."))
    full_env = {
        "PATH": os.environ.get("PATH", ""),
        "AWS_ENDPOINT_URL": os.environ["AWS_ENDPOINT_URL"],
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": os.environ.get("AWS_REGION", "us-east-1"), "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_LAMBDA_FUNCTION_NAME": name, "AWS_LAMBDA_FUNCTION_VERSION": "1",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
        "AWS_LAMBDA_RUNTIME_API": f"{os.environ['PIIFLOW_LAMBDA_URL']}/.rt/{name}",
        "RUST_LOG": "info",
        **(env or {}),
    }
    with open(log_dir / f"{name}.log", "ab") as log:
        proc = subprocess.Popen([str(binary(name))], env=full_env, stdout=log, stderr=log)
    try:
        req = urllib.request.Request(
            f"{os.environ['PIIFLOW_LAMBDA_INVOKE_URL']}/2015-03-31/functions/{name}/invocations",
            data=json.dumps(event).encode(), method="POST", headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read() or b"null")
    finally:
        proc.terminate()
        proc.wait()
