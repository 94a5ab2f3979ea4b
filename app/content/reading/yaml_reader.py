"""The one way content YAML is read: PyYAML's safe loader, with limits. No Flask here.

Safe loading alone stops code from running, not a file from eating the machine: a few lines of
nested anchors and aliases (a "billion laughs") expand to billions of values once anything walks
them, and the site reads every content file at start-up. So every YAML read here is bounded:

- at most MAX_BYTES of text;
- at most MAX_ALIASES aliases (`*name`) in one document;
- at most MAX_NODES values once aliases are counted as what they stand for.

Over a limit, a yaml.YAMLError says which, so the content checks report it like any other
mistake in the file.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, SequenceNode

MAX_BYTES = 512 * 1024
MAX_ALIASES = 200
MAX_NODES = 100_000


class ContentYamlError(yaml.YAMLError):
    """A YAML file over one of the limits."""

    problem_mark = None


class LimitedSafeLoader(yaml.SafeLoader):
    """SafeLoader that counts aliases and the expanded size of each document."""

    def __init__(self, stream: Any) -> None:
        if isinstance(stream, (str, bytes)) and len(stream) > MAX_BYTES:
            raise ContentYamlError(f"The file is too long for a settings block (over {MAX_BYTES // 1024} KB).")
        super().__init__(stream)
        self._aliases = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise ContentYamlError(f"The file uses more than {MAX_ALIASES} aliases (*name).")
        return super().compose_node(parent, index)

    def compose_document(self) -> Node | None:
        node = super().compose_document()
        if node is not None and expanded_size(node) > MAX_NODES:
            raise ContentYamlError(f"The file's aliases (*name) expand to more than {MAX_NODES:,} values.")
        return node


def expanded_size(root: Node) -> int:
    """How many values the document holds with every alias written out, without writing them
    out (each node's size is worked out once; aliases share nodes)."""
    sizes: dict[int, int] = {}
    pending: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes or (not children_done and id(node) in pending):
            continue
        if isinstance(node, SequenceNode):
            children = list(node.value)
        elif isinstance(node, MappingNode):
            children = [n for pair in node.value for n in pair]
        else:
            sizes[id(node)] = 1
            continue
        if children_done:
            sizes[id(node)] = min(MAX_NODES + 1, 1 + sum(sizes.get(id(c), 0) for c in children))
            continue
        pending.add(id(node))
        if any(id(c) in pending and id(c) not in sizes for c in children):
            # Every pending node is this one or an ancestor: an alias inside its own anchor.
            raise ContentYamlError("An alias (*name) is used inside its own anchor (&name).")
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes.get(id(root), 1)


def load(text: str, loader: type[LimitedSafeLoader] = LimitedSafeLoader) -> Any:
    return yaml.load(text, Loader=loader)  # noqa: S506 (a SafeLoader subclass)
