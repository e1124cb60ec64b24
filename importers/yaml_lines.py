"""YAML that remembers where things are: every mapping knows its line and each key's line,
so an error in a plan or a directory file names the line to fix."""

from __future__ import annotations

import yaml


class LineLoader(yaml.SafeLoader):
    """A safe loader whose mappings remember the line of each key (1-based)."""


class LinedMapping(dict):
    lines: dict[str, int]
    line: int


def _construct_lined_mapping(loader: LineLoader, node: yaml.MappingNode) -> LinedMapping:
    mapping = LinedMapping(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    return mapping


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_lined_mapping)
# Dates stay text so that dd/mm/yyyy and ISO read the same way, through one parser.
LineLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
