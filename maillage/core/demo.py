"""The demo-network generator's registry.

Each app that has demo data ships a `demo.py` that calls `register()` with a generator.
`manage.py demo_network` imports every app's `demo` module and runs the generators in
registration order (apps are listed in dependency order in INSTALLED_APPS), handing each
a seeded `random.Random`, a Faker and the sizes asked for.

Generators must be idempotent (keyed on deterministic natural keys, inserts that ignore
conflicts) and fast (bulk inserts): 100,000 rows in minutes.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from faker import Faker


@dataclass
class DemoContext:
    seed: int
    sizes: dict[str, int]
    rng: random.Random
    fake: Faker
    stdout: Any
    shared: dict[str, Any] = field(default_factory=dict)

    def say(self, message: str) -> None:
        self.stdout.write(message)


@dataclass
class Generator:
    name: str
    run: Callable[[DemoContext], None]
    sizes: dict[str, tuple[int, str]]


_generators: list[Generator] = []


def register(
    name: str, run: Callable[[DemoContext], None], sizes: dict[str, tuple[int, str]] | None = None
) -> None:
    """`sizes` maps a command-line flag to (default, help text)."""
    if not any(g.name == name for g in _generators):
        _generators.append(Generator(name, run, sizes or {}))


def generators() -> list[Generator]:
    return list(_generators)


def make_context(*, seed: int, sizes: dict[str, int], stdout: Any) -> DemoContext:
    fake = Faker("fr_FR")
    fake.seed_instance(seed)
    return DemoContext(seed=seed, sizes=sizes, rng=random.Random(seed), fake=fake, stdout=stdout)
