"""The sources file, read and checked in full before anything is fetched.

A mistake that would make a crawl do something else than asked (a wrong type, a table where a
value belongs, `enabled = "no"`, a non-numeric number, an unknown spider or a spider's missing
argument) is a `UsageError`: one line, exit code 2. A name jobsift does not know (a key of a
source, a setting) is a warning naming the closest known one: Scrapy extensions and middlewares of
your own may read settings jobsift cannot list.
"""

from __future__ import annotations

import ast
import difflib
import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import scrapy.settings.default_settings as scrapy_defaults
from jobsift.crawlers import settings as project
from jobsift.crawlers.home import ENV_HOME, STARTER_LABEL, starter_text
from jobsift.crawlers.hostbudget import parse_limits
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings

SOURCE_KEYS = ("spider", "args", "settings", "enabled")
TOP_KEYS = ("settings", "sources", "hosts")
# Strings Scrapy's `getbool` reads as a boolean.
BOOLEAN_TEXT = {"true", "false", "1", "0"}
# A setting declared only as a commented example in settings.py (`# NAME = 100`).
_COMMENTED = re.compile(r"^#\s*(JOBSIFT_[A-Z0-9_]+)\s*=\s*(.+?)\s*$")


class UsageError(Exception):
    """Bad arguments or configuration: exit code 2."""


@dataclass
class Source:
    name: str
    spider: str
    args: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    enabled: bool = True


@dataclass
class SourcesFile:
    """What a sources file configures; `warnings` are the names it used that jobsift does not
    know, each a line for stderr."""

    label: str
    sources: list[Source]
    settings: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def project_settings() -> Settings:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "jobsift.crawlers.settings")
    return get_project_settings()


@cache
def spider_loader() -> SpiderLoader:
    return SpiderLoader.from_settings(project_settings())


def _kind(value: Any) -> str:
    """A TOML value's type as the TOML documentation names it."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return f"a string ({value!r})"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime | date | time):
        return "a date"
    return type(value).__name__


def _closest(name: str, known: Iterable[str]) -> str:
    match = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"; did you mean {match[0]!r}?" if match else ""


@cache
def _commented_settings() -> dict[str, Any]:
    """Settings settings.py declares only as a commented example, with the example's value."""
    text = resources.files("jobsift.crawlers").joinpath("settings.py").read_text(encoding="utf-8")
    found = {}
    for line in text.splitlines():
        if match := _COMMENTED.match(line):
            try:
                found[match.group(1)] = ast.literal_eval(match.group(2))
            except (ValueError, SyntaxError):
                found[match.group(1)] = None
    return found


@cache
def known_settings() -> dict[str, Any]:
    """Every setting name Scrapy or jobsift reads, with a default or example value (its type is
    the type a value must have)."""
    known: dict[str, Any] = {}
    for module in (scrapy_defaults, project):
        known.update({n: getattr(module, n) for n in dir(module) if n[0].isalpha() and n.isupper()})
    known.update(_commented_settings())
    loader = spider_loader()
    for name in loader.list():
        spidercls = loader.load(name)
        known[f"JOBSIFT_{name.upper()}_URL"] = getattr(spidercls, "default_base_url", "")
        known.update(getattr(spidercls, "custom_settings", None) or {})
    known.pop(ENV_HOME, None)  # an environment variable, not a setting
    return known


def _check_value(name: str, value: Any, example: Any) -> str | None:
    """Why `value` cannot be the setting `name` (whose default is `example`), or None."""
    if isinstance(example, bool):
        if isinstance(value, bool) or str(value).strip().lower() in BOOLEAN_TEXT:
            return None
        return f"{name} must be true or false, not {_kind(value)}"
    if isinstance(example, int | float):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return None
        if isinstance(value, str):
            try:
                float(value)
            except ValueError:
                pass
            else:
                return None
        return f"{name} must be a number, not {_kind(value)}"
    return None


def check_settings(values: dict[str, Any], where: str) -> list[str]:
    """Settings as given in `where` (a table, `--set`): a UsageError for a value of the wrong
    type, a warning for each unknown name."""
    known = known_settings()
    warnings = []
    for name, value in values.items():
        if name not in known:
            warnings.append(f"{where}: unknown setting {name!r}{_closest(name, known)}")
            continue
        if (problem := _check_value(name, value, known[name])) is not None:
            raise UsageError(f"{where}: {problem}")
    return warnings


def parse_set(pairs: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """`--set KEY=VALUE` options: the settings and the warnings about them."""
    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set takes KEY=VALUE, not {pair!r}")
        values[key.strip()] = value
    return values, check_settings(values, "--set")


def _arg_text(name: str, key: str, value: Any, where: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise UsageError(
        f"{where}: source {name!r}: argument {key!r} must be a string or a number, not {_kind(value)}"
    )


def _source(name: str, table: Any, where: str, warnings: list[str]) -> Source:
    if not isinstance(table, dict):
        raise UsageError(
            f"{where}: source {name!r} must be a table ([sources.{name}] with spider = ...), "
            f"not {_kind(table)}"
        )
    for key in table:
        if key not in SOURCE_KEYS:
            hint = _closest(key, SOURCE_KEYS) or "; spider arguments go in args = { ... }"
            warnings.append(f"{where}: source {name!r}: unknown key {key!r}{hint}")
    spider = table.get("spider")
    if not isinstance(spider, str) or not spider.strip():
        got = "no spider" if spider is None else f"spider {_kind(spider)}"
        raise UsageError(f'{where}: source {name!r} has {got}; give spider = "NAME"')
    args = table.get("args", {})
    if not isinstance(args, dict):
        raise UsageError(f"{where}: source {name!r}: args must be a table, not {_kind(args)}")
    settings = table.get("settings", {})
    if not isinstance(settings, dict):
        raise UsageError(
            f"{where}: source {name!r}: settings must be a table, not {_kind(settings)}"
        )
    enabled = table.get("enabled", True)
    if not isinstance(enabled, bool):
        raise UsageError(
            f"{where}: source {name!r}: enabled must be true or false, not {_kind(enabled)}"
        )
    warnings += check_settings(settings, f"{where}: source {name!r}")
    return Source(
        name=name,
        spider=spider.strip(),
        args={key: _arg_text(name, key, value, where) for key, value in args.items()},
        settings=dict(settings),
        enabled=enabled,
    )


def parse_sources(text: str, label: str) -> SourcesFile:
    """The sources file's text, checked; `label` names it in messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{label}: not valid TOML: {exc}") from None
    warnings = [
        f"{label}: unknown table or key {key!r}{_closest(key, TOP_KEYS)}"
        for key in data
        if key not in TOP_KEYS
    ]
    shared = data.get("settings", {})
    if not isinstance(shared, dict):
        raise UsageError(f"{label}: settings must be a table ([settings]), not {_kind(shared)}")
    warnings += check_settings(shared, f"{label}: [settings]")
    tables = data.get("sources", {})
    if not isinstance(tables, dict):
        raise UsageError(
            f"{label}: sources must be tables [sources.NAME], one per source, not {_kind(tables)}"
        )
    sources = [_source(name, table, label, warnings) for name, table in tables.items()]
    shared = dict(shared)
    hosts = data.get("hosts", {})
    if not isinstance(hosts, dict):
        raise UsageError(f'{label}: hosts must be tables [hosts."HOST"], not {_kind(hosts)}')
    for host, value in hosts.items():
        try:
            parse_limits(host, value)
        except ValueError as exc:
            raise UsageError(f"{label}: {exc}") from None
    if hosts:  # per-host budgets for the whole run (crawlers/hostbudget.py)
        shared["JOBSIFT_HOST_BUDGETS"] = {**shared.get("JOBSIFT_HOST_BUDGETS", {}), **hosts}
    return SourcesFile(label, sources, shared, warnings)


def load_sources(path: Path | None) -> SourcesFile:
    """The sources file at `path`, or the starter shipped with jobsift when `path` is None."""
    if path is None:
        return parse_sources(starter_text(), STARTER_LABEL)
    if not path.is_file():
        raise UsageError(f"sources file not found: {path}")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the sources file {path}: {exc}") from None
    return parse_sources(text, str(path))


def check_spiders(sources: Iterable[Source]) -> None:
    """Each source names a spider that exists and gives the arguments it requires."""
    loader = spider_loader()
    names = loader.list()
    for source in sources:
        if source.spider not in names:
            raise UsageError(
                f"source {source.name!r}: no spider named {source.spider!r}"
                f"{_closest(source.spider, names)} (spiders: {', '.join(sorted(names))})"
            )
        required = getattr(loader.load(source.spider), "required_args", ())
        missing = [arg for arg in required if not source.args.get(arg, "").strip()]
        if missing:
            wanted = ", ".join(f'{arg} = "..."' for arg in missing)
            raise UsageError(
                f"source {source.name!r}: spider {source.spider!r} needs args = {{ {wanted} }}"
            )
