"""YAML data files read with libyaml's safe loader where PyYAML has it (several times faster
than the pure-Python one, which start-up pays for every data file); one loader for all."""

from __future__ import annotations

from typing import Any

import yaml

SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """The data of one YAML document, safely (no Python objects), as `yaml.safe_load` does."""
    return yaml.load(text, Loader=SAFE_LOADER)
