"""{% cached_body key %}…{% endcached_body %}: the block's HTML cached under `key`, or rendered
as usual when `key` is empty (plans/page.py page_key builds keys from version tokens, so an entry
is never served for content that changed)."""

from django import template
from django.core.cache import cache

register = template.Library()
TIMEOUT = 24 * 60 * 60  # a day: keys carry the date anyway


class CachedBodyNode(template.Node):
    def __init__(self, nodelist: template.NodeList, key: template.base.FilterExpression) -> None:
        self.nodelist, self.key = nodelist, key

    def render(self, context: template.Context) -> str:
        key = self.key.resolve(context)
        if not key:
            return self.nodelist.render(context)
        html = cache.get(f"body:{key}")
        if html is None:
            html = self.nodelist.render(context)
            cache.set(f"body:{key}", html, TIMEOUT)
        return html


@register.tag
def cached_body(parser: template.base.Parser, token: template.base.Token) -> CachedBodyNode:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% cached_body key %} takes one argument")
    nodelist = parser.parse(("endcached_body",))
    parser.delete_first_token()
    return CachedBodyNode(nodelist, parser.compile_filter(bits[1]))
