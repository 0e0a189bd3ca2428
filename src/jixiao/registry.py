"""Things registered by name, as rdflib registers its plugins: output formats, report renderers,
parameter types. The names registered are the choices a user is offered (`--format`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from jixiao.errors import UsageError

T = TypeVar("T")


class Registry(Generic[T]):
    """A name → T table filled by the `register` decorator where each T is defined."""

    def __init__(self, kind: str) -> None:
        self.kind = kind  # what is registered, for error messages: "output format", ...
        self._entries: dict[str, T] = {}

    def register(self, name: str) -> Callable[[T], T]:
        """Register the decorated function (or class) under `name`."""

        def add(entry: T) -> T:
            if name in self._entries:
                raise ValueError(f"{self.kind} {name!r} is registered twice")
            self._entries[name] = entry
            return entry

        return add

    def __getitem__(self, name: str) -> T:
        if name not in self._entries:
            raise UsageError(f"unknown {self.kind} {name!r}; known: {', '.join(self._entries)}")
        return self._entries[name]

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)
