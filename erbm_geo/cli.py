"""The ``erbm-geo`` command line.

Exit codes: 0 success, 2 user error (bad option, missing data, bad input: an
:class:`erbm_geo.errors.ErbmGeoError`), 1 unexpected failure.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from erbm_geo import settings
from erbm_geo.errors import ErbmGeoError

__all__ = ["cli", "main", "run"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--quiet", "-q", is_flag=True, help="Only print errors.")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of the erbm-data mirror (default: ERBM_GEO_DATA or ../shared/erbm-data).")
@click.version_option(package_name="erbm_geo")
def cli(quiet: bool, data_dir: Path | None) -> None:
    """erbm_geo: layers, indicators, maps and the atlas of the Bassin minier."""
    if quiet:
        settings.verbose = False
    if data_dir is not None:
        settings.data_dir = data_dir


def _echo(msg: str) -> None:
    if settings.verbose:
        click.echo(msg)


@cli.command()
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the atlas into.")
def atlas(out: Path) -> None:
    """Build the publishable HTML atlas of the basin into OUT."""
    from erbm_geo.maps import build_atlas

    index = build_atlas(out)
    _echo(f"atlas written: {index}")


@cli.group()
def data() -> None:
    """Where the data is, verify checksums, fetch missing files."""


@data.command("where")
def data_where() -> None:
    """Print the data and cache directories."""
    click.echo(f"data_dir:  {settings.data_dir}")
    click.echo(f"cache_dir: {settings.cache_dir}")
    click.echo(f"mirror_url: {settings.mirror_url}")


@data.command("verify")
def data_verify() -> None:
    """Check the sha256 of every dataset found locally (exit 2 if any is missing or corrupt)."""
    from erbm_geo.data import verify

    bad = 0
    for s in verify():
        bad += s.status != "ok"
        click.echo(f"{s.status:18} {s.name:24} {s.path or ''}")
    if bad:
        raise click.ClickException(f"{bad} dataset(s) missing or corrupt")


@data.command("fetch")
@click.argument("names", nargs=-1)
def data_fetch(names: tuple[str, ...]) -> None:
    """Download (checksum verified) the datasets NAMES (default: all) into the cache."""
    from erbm_geo.data import fetch

    for name, path in fetch(list(names) or None).items():
        _echo(f"ok {name:24} {path}")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; map library errors to exit code 2."""
    try:
        cli.main(args=argv, standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return 2
    except click.Abort:
        click.echo("aborted", err=True)
        return 1
    except ErbmGeoError as exc:
        click.echo(f"error: {exc}", err=True)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
