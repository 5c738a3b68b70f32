"""`python -m gateway.assets DIR`: install GraphiQL's files from the npm registry, verified.

Strawberry's page names each file with a Subresource Integrity hash; a file is installed only
if its bytes match that hash, so the playground works offline with exactly the audited files.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from strawberry.http.ides import get_graphql_ide_html

from gateway.graphql import ASSET_FILES

__all__ = ["install", "integrity_hashes"]

_TAG = re.compile(r'(?:src|href)="https://unpkg\.com/([^"]+)"\s+integrity="(sha384-[^"]+)"')


def integrity_hashes() -> dict[str, str]:
    """asset path -> its sha384 SRI value, as Strawberry's page declares them."""
    return dict(_TAG.findall(get_graphql_ide_html("graphiql")))


def _package_of(asset: str) -> tuple[str, str]:
    """`@graphiql/plugin-explorer@1.0.2/dist/x.js` -> (`@graphiql/plugin-explorer@1.0.2`, `dist/x.js`)."""
    scoped = asset.startswith("@")
    parts = asset.split("/")
    cut = 2 if scoped else 1
    return "/".join(parts[:cut]), "/".join(parts[cut:])


def _sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def install(target: Path) -> None:
    hashes = integrity_hashes()
    if set(hashes) != set(ASSET_FILES):
        raise SystemExit(f"Strawberry's page names other files than expected: {sorted(hashes)}")
    packages = sorted({_package_of(asset)[0] for asset in ASSET_FILES})
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        result = subprocess.run(
            ["npm", "pack", "--silent", *packages], cwd=work, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise SystemExit(f"npm pack failed: {result.stderr.strip()}")
        tarballs = dict(zip(packages, result.stdout.split(), strict=True))
        staged = work / "staged"
        for asset in ASSET_FILES:
            package, inner = _package_of(asset)
            with tarfile.open(work / tarballs[package]) as archive:
                member = archive.extractfile(f"package/{inner}")
                if member is None:
                    raise SystemExit(f"{package} has no {inner}")
                data = member.read()
            if _sri(data) != hashes[asset]:
                raise SystemExit(f"{asset} does not match the integrity hash Strawberry's page pins")
            out = staged / asset
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staged), target)
    print(f"GraphiQL assets installed in {target} ({len(ASSET_FILES)} files, integrity verified)")


if __name__ == "__main__":
    install(Path(sys.argv[1]))
