"""The YAML loader base.documents reads with: PyYAML's SafeLoader reading JSON's values only."""

from collections.abc import Callable, Generator
from functools import partial
from typing import Any

import yaml

from base.document_limits import Fields, Limits, Refused, fraction, repeated_names, too_deep, whole_number

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_NOT_JSON = ("binary", "timestamp", "set", "omap", "pairs")


class YamlRefusal(Exception):
    """Raised while composing YAML: the file as a whole is refused."""


class YamlLoader(yaml.SafeLoader):
    """PyYAML's SafeLoader reading JSON's values only: aliases and nesting past the limit are
    refused while it composes (an alias's expansion turns a kilobyte into gigabytes: "billion
    laughs"); a date stays text, as in JSON (PyYAML made 2020-13-45 a ValueError); numbers are
    bounded before they are converted, and refused unless written in decimal; a field given twice
    is marked."""

    # Implicit dates are text: the resolvers without the timestamp one.
    yaml_implicit_resolvers = {
        first: [(tag, pattern) for tag, pattern in resolvers if tag != _TIMESTAMP]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    peek_event: Callable[[], Any]  # PyYAML's, which its stubs leave untyped

    def __init__(self, stream: str, limits: Limits) -> None:
        super().__init__(stream)
        self.limits = limits
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise YamlRefusal(
                f"line {mark.line + 1}, column {mark.column + 1}: YAML anchors and aliases (& and *) are not "
                f"allowed in {self.limits.document}: write each entry out"
            )
        # Lists and mappings count, as nesting_depth counts them.
        collection = int(self.check_event(yaml.SequenceStartEvent, yaml.MappingStartEvent))
        self._depth += collection
        try:
            if self._depth > self.limits.depth:
                mark = self.peek_event().start_mark
                raise YamlRefusal(f"line {mark.line + 1}: {too_deep(self.limits)}")
            return super().compose_node(parent, index)
        finally:
            self._depth -= collection

    # A Refused stands in for a number out of bounds (so Any: PyYAML declares int, float).
    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        return whole_number(str(self.construct_scalar(node)), self.limits)

    def construct_yaml_float(self, node: yaml.ScalarNode) -> Any:
        text = str(self.construct_scalar(node))
        return fraction(text, self.limits, partial(super().construct_yaml_float, node))

    def construct_yaml_bool(self, node: yaml.ScalarNode) -> Any:
        text = str(self.construct_scalar(node))
        if text.lower() not in self.bool_values:  # !!bool maybe: PyYAML's KeyError
            return Refused("a YAML !!bool value that is neither true nor false")
        return super().construct_yaml_bool(node)

    def construct_yaml_map(self, node: yaml.MappingNode) -> Generator[Fields, None, None]:
        if not isinstance(node, yaml.MappingNode):  # !!map x: PyYAML's own error, before our walk
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping node, but found {node.id}", node.start_mark
            )
        data = Fields()
        data.repeated = []
        yield data
        names = [self.construct_object(key) for key, _ in node.value if key.tag != "tag:yaml.org,2002:merge"]
        data.update(self.construct_mapping(node))
        data.repeated = repeated_names(names)

    def construct_not_json(self, node: yaml.Node) -> Refused:
        kind = node.tag.rpartition(":")[2]
        return Refused(
            f"a YAML !!{kind} value; {self.limits.document} holds text, numbers, true, false, null, "
            "lists and mappings only"
        )


YamlLoader.add_constructor("tag:yaml.org,2002:int", YamlLoader.construct_yaml_int)
YamlLoader.add_constructor("tag:yaml.org,2002:float", YamlLoader.construct_yaml_float)
YamlLoader.add_constructor("tag:yaml.org,2002:bool", YamlLoader.construct_yaml_bool)
YamlLoader.add_constructor("tag:yaml.org,2002:map", YamlLoader.construct_yaml_map)
for _kind in _NOT_JSON:
    YamlLoader.add_constructor(f"tag:yaml.org,2002:{_kind}", YamlLoader.construct_not_json)
