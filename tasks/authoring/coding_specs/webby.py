"""The coding suite's tasks on the webby base (WSGI web framework)."""

from . import task

task(id="webby-query-repeat", base="webby", difficulty="easy", tags=["bugfix", "web", "python"],
     instruction="""
In webby, a query string that repeats a key loses values: for `/search?tag=python&tag=web`,
`request.args.getlist("tag")` returns only `["web"]`. Posted forms with repeated fields
(checkboxes) work fine. Fix the query string handling so that repeated keys keep every
value, in order, as they do for forms.
""",
     mutate={"webby/request.py": [(
         "        return MultiDict(parse_qsl(self.query_string, keep_blank_values=True))",
         "        return MultiDict(dict(parse_qsl(self.query_string, keep_blank_values=True)).items())")]})

task(id="webby-route-precedence", base="webby", difficulty="medium", tags=["bugfix", "web", "python"],
     instruction="""
Two routing bugs in webby, both reported by users of the framework:

1. Which handler answers depends on the order in which routes were registered. With
   `/users/<name>` registered before `/users/me`, a GET of `/users/me` goes to the
   `<name>` handler. A route with more literal path segments must win over a more generic
   one, whatever the registration order; among equally specific routes, the first registered wins.
2. A request whose path exists but whose method is not allowed (say `DELETE /posts/1` when
   only GET is registered) gets `404 Not Found`. It should get `405 Method Not Allowed`
   with an `Allow` header listing the methods the path does accept.
""",
     mutate={"webby/routing.py": [("        self.routes.sort(key=Route.sort_key)  # stable: equal specificity keeps "
                                   "registration order\n", "")],
             "webby/app.py": [("            if found:\n", "            if found and request.method == \"OPTIONS\":\n")]})

task(id="webby-etag", base="webby", difficulty="hard", tags=["feature", "web", "http", "python"], max_turns=60,
     instruction="""
Add conditional GET support to webby as a middleware, `webby.middleware.ConditionalGet`,
enabled with `app.use(ConditionalGet())`:

- A successful (200) response to GET or HEAD that has a body gets an `ETag` header: the
  SHA-1 hex digest of the body, in double quotes. A handler that sets its own `ETag` keeps it.
- When the request's `If-None-Match` header matches the response's ETag, the answer is
  `304 Not Modified` with an empty body; it keeps the `ETag` and any `Cache-Control` header.
  `If-None-Match` may list several tags separated by commas, may be `*`, and may carry weak
  tags (`W/"..."`), which match by the weak comparison of RFC 9110.
- Other methods and other statuses pass through untouched.
""",
     mutate={})

task(id="webby-escape-refactor", base="webby", difficulty="medium", tags=["refactor", "security", "web", "python"],
     instruction="""
webby has three hand-written copies of HTML escaping, in `webby/templates.py`, `webby/forms.py`
and `webby/errors.py`, and they disagree with each other and with `webby/html.py`. A security
review found that a form field whose value contains a double quote breaks out of the
`value="..."` attribute.

Refactor so that there is one implementation of escaping, `webby.html.escape`, used by all
three modules (and respecting `Markup`, so that already-safe HTML is not escaped twice),
and delete the copies. Apart from the escaping now being correct everywhere, rendering must
not change.
""",
     mutate={
         "webby/templates.py": [
             ("from .html import Markup, escape\n", "from .html import Markup\n"),
             ('FILTER = re.compile(r"(\\w+)(?:\\((.*)\\))?$")\n',
              'FILTER = re.compile(r"(\\w+)(?:\\((.*)\\))?$")\n\n\ndef _escape(value):\n'
              '    if isinstance(value, Markup):\n        return value\n'
              '    text = "" if value is None else str(value)\n'
              '    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(\'"\', "&quot;")\n'),
             ("out.append(escape(_expr(ctx, node[1])))", "out.append(_escape(_expr(ctx, node[1])))")],
         "webby/forms.py": [("from .html import Markup, escape\n",
                             'from .html import Markup\n\n\ndef escape(text):\n'
                             '    return str(text).replace("<", "&lt;").replace(">", "&gt;")\n')],
         "webby/errors.py": [("from .html import escape\n",
                              "import html as _html\n\n\ndef escape(text):\n"
                              "    return _html.escape(str(text), quote=False)\n")]})
