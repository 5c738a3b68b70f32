"""`crate`: serve the gateway, manage API keys, generate/serve/sample the reference fleet.

Each command parses its arguments and forwards to one function; settings come from the
environment (see README's settings table), flags override where offered.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import orjson

from gateway.settings import Settings, SettingsError

__all__ = ["main"]


def _settings() -> Settings:
    return Settings.from_env(os.environ)


def _fleet_file(path: Path, *, current: bool = False) -> bool:
    """Whether a usable fleet file is at `path`; says what to do when not."""
    from fleet.generate import GENERATOR_VERSION
    from fleet.store import generator_version

    if not path.exists():
        print(f"crate: no fleet data at {path}; run `crate fleet generate` first", file=sys.stderr)
        return False
    if current and (found := generator_version(path)) != GENERATOR_VERSION:
        print(
            f"crate: the fleet data at {path} was written by generator v{found}, this crate needs "
            f"v{GENERATOR_VERSION}; run `crate fleet generate` (make run does it)",
            file=sys.stderr,
        )
        return False
    return True


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from gateway.app import create_app

    settings = _settings()
    settings = settings.model_copy(update={"host": args.host or settings.host, "port": args.port or settings.port})
    if settings.embedded_fleet and not _fleet_file(settings.fleet_path, current=True):
        return 1
    from gateway.logs import configure_logging

    configure_logging(settings.log_level)
    # crate.access logs every request as JSON with its request id; uvicorn's own access line would repeat it.
    uvicorn.run(
        create_app(settings), host=settings.host, port=settings.port, log_level=settings.log_level, access_log=False
    )
    return 0


def cmd_keys_create(args: argparse.Namespace) -> int:
    from gateway.keys import KeyStore

    store = KeyStore(_settings().key_path)
    try:
        if args.if_none and store.active_count() > 0:
            print(
                "crate: an API key already exists (keys are shown only when minted); "
                "`crate keys create --mode test` mints another"
            )
            return 0
        key, secret = store.create(args.mode, args.name or "")
    finally:
        store.close()
    if args.json:
        print(orjson.dumps({"id": key.id, "mode": key.mode, "name": key.name, "key": secret}).decode())
    else:
        print(f"API key ({key.mode}, id {key.id}) — shown once, keep it: {secret}")
        print(f"  try: curl -H 'X-API-Key: {secret}' http://{_settings().host}:{_settings().port}/api/v2")
    return 0


def cmd_keys_list(args: argparse.Namespace) -> int:
    from gateway.keys import KeyStore

    store = KeyStore(_settings().key_path)
    try:
        keys = store.list()
    finally:
        store.close()
    if args.json:
        print(
            orjson.dumps(
                [
                    {
                        "id": k.id,
                        "name": k.name,
                        "mode": k.mode,
                        "hint": k.hint + "…",
                        "created_at": k.created_at,
                        "revoked_at": k.revoked_at,
                    }
                    for k in keys
                ]
            ).decode()
        )
        return 0
    for k in keys:
        state = "revoked" if k.revoked_at else "active"
        created = time.strftime("%Y-%m-%d %H:%M", time.gmtime(k.created_at))
        print(f"{k.id}  {k.mode:4}  {state:7}  {k.hint}…  {created}  {k.name}")
    if not keys:
        print("no keys; `crate keys create --mode test` mints one")
    return 0


def cmd_keys_revoke(args: argparse.Namespace) -> int:
    from gateway.keys import KeyStore

    store = KeyStore(_settings().key_path)
    try:
        revoked = store.revoke(args.id)
    finally:
        store.close()
    if not revoked:
        print(f"crate: no active key with id {args.id}", file=sys.stderr)
        return 1
    print(f"revoked {args.id}")
    return 0


def cmd_fleet_generate(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from fleet.generate import DEFAULT_SEED, GENERATOR_VERSION, generate
    from fleet.store import generator_version

    settings = _settings()
    out = Path(args.out) if args.out else settings.fleet_path
    if args.if_missing and out.exists():
        found = generator_version(out)
        if found == GENERATOR_VERSION:
            print(f"fleet data present at {out}")
            return 0
        print(f"fleet data at {out} was written by generator v{found}; regenerating for v{GENERATOR_VERSION}")
    artists = args.artists or settings.fleet_artists
    started = time.perf_counter()
    with tqdm(total=artists, unit="artist", desc="generating fleet", disable=args.quiet, file=sys.stderr) as bar:
        counts = generate(out, artists=artists, seed=args.seed or DEFAULT_SEED, progress=bar.update)
    elapsed = time.perf_counter() - started
    size_mb = out.stat().st_size / 1e6
    print(f"fleet: {artists} artists, {sum(counts.values())} rows in {elapsed:.1f}s, {size_mb:.1f} MB at {out}")
    return 0


def cmd_fleet_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from fleet.faults import FleetFaults
    from fleet.service import create_fleet_app
    from fleet.store import FleetStore

    settings = _settings()
    path = Path(args.db) if args.db else settings.fleet_path
    if not _fleet_file(path, current=True):
        return 1
    app = create_fleet_app(FleetStore(path), FleetFaults.from_env(os.environ))
    uvicorn.run(app, host=args.host, port=args.port, log_level=settings.log_level)
    return 0


def cmd_fleet_sample(args: argparse.Namespace) -> int:
    from fleet.store import FleetStore

    settings = _settings()
    path = Path(args.db) if args.db else settings.fleet_path
    if not _fleet_file(path):
        return 1
    store = FleetStore(path)
    try:
        rows = store.samples(args.grain, args.limit)
    finally:
        store.close()
    if args.json:
        print(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode())
    else:
        for row in rows:
            key = row.get("cluster_id") or row.get("label_id") or row.get("festival_id")
            print(f"{row['slug']:40}  {key}  {row['name']}")
    return 0


def cmd_snapshots_publish(args: argparse.Namespace) -> int:
    from fleet.snapshots import SNAPSHOTS, publish

    settings = _settings()
    directory = settings.snapshot_dir
    if args.if_missing and all((directory / f"{name}.json").exists() for name in SNAPSHOTS):
        print(f"snapshots present in {directory}")
        return 0
    if not _fleet_file(settings.fleet_path, current=True):
        return 1
    counts = publish(settings.fleet_path, directory)
    print(f"snapshots published in {directory}: " + ", ".join(f"{name} {n}" for name, n in counts.items()))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crate", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the gateway")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.set_defaults(run=cmd_serve)

    keys = commands.add_parser("keys", help="mint, list and revoke API keys").add_subparsers(
        dest="action", required=True
    )
    create = keys.add_parser("create", help="mint a key (shown once)")
    create.add_argument("--mode", choices=("test", "live"), default="test")
    create.add_argument("--name")
    create.add_argument("--if-none", action="store_true", help="only when no active key exists")
    create.add_argument("--json", action="store_true")
    create.set_defaults(run=cmd_keys_create)
    listing = keys.add_parser("list", help="list keys (never their secrets)")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=cmd_keys_list)
    revoke = keys.add_parser("revoke", help="revoke a key by id")
    revoke.add_argument("id")
    revoke.set_defaults(run=cmd_keys_revoke)

    fleet = commands.add_parser("fleet", help="the reference producer fleet").add_subparsers(
        dest="action", required=True
    )
    gen = fleet.add_parser("generate", help="write the deterministic demo data set")
    gen.add_argument("--artists", type=int)
    gen.add_argument("--seed", type=int)
    gen.add_argument("--out")
    gen.add_argument("--if-missing", action="store_true")
    gen.add_argument("--quiet", action="store_true")
    gen.set_defaults(run=cmd_fleet_generate)
    fserve = fleet.add_parser("serve", help="serve every producer over HTTP")
    fserve.add_argument("--host", default="127.0.0.1")
    fserve.add_argument("--port", type=int, default=8090)
    fserve.add_argument("--db")
    fserve.set_defaults(run=cmd_fleet_serve)
    sample = fleet.add_parser("sample", help="demo entities to try")
    sample.add_argument("--grain", choices=("artist", "label", "festival"), default="artist")
    sample.add_argument("--limit", type=int, default=10)
    sample.add_argument("--json", action="store_true")
    sample.add_argument("--db")
    sample.set_defaults(run=cmd_fleet_sample)
    snapshots = commands.add_parser("snapshots", help="discovery snapshots").add_subparsers(
        dest="action", required=True
    )
    publish = snapshots.add_parser("publish", help="compute tastemakers, ones-to-watch and breakouts from the fleet")
    publish.add_argument("--if-missing", action="store_true")
    publish.set_defaults(run=cmd_snapshots_publish)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except SettingsError as exc:
        print(f"crate: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"crate: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader (`| head`) went away: not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
