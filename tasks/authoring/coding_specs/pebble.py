"""The coding suite's tasks on the pebble base (a tiny interpreter)."""

from . import task

task(id="pebble-power-precedence", base="pebble", difficulty="easy", tags=["bugfix", "interpreter", "python"],
     instruction="""
pebble evaluates `-2 ** 2` to `4` and `2 ** 3 ** 2` to `64`. As the README and the parser's
docstring say, `**` must bind tighter than unary minus and be right-associative, as in Python
and in mathematics: `-2 ** 2` is `-4` and `2 ** 3 ** 2` is `512`. Fix the parser.
""",
     mutate={"pebble/parser.py": [('''    def product(self):
        left = self.unary()
        while self.tok.kind == "op" and self.tok.value in ("*", "/", "//", "%"):
            op = self.take("op")
            left = ast.Binary(op.line, op.value, left, self.unary())
        return left

    def unary(self):
        if self.at("op", "-"):
            line = self.take("op").line
            return ast.Unary(line, "-", self.unary())
        return self.power()

    def power(self):
        base = self.postfix()
        if self.at("op", "**"):
            line = self.take("op").line
            return ast.Binary(line, "**", base, self.unary())  # right-assoc; exponent may be negative
        return base
''', '''    def product(self):
        left = self.power()
        while self.tok.kind == "op" and self.tok.value in ("*", "/", "//", "%"):
            op = self.take("op")
            left = ast.Binary(op.line, op.value, left, self.power())
        return left

    def power(self):
        left = self.unary()
        while self.at("op", "**"):
            line = self.take("op").line
            left = ast.Binary(line, "**", left, self.unary())
        return left

    def unary(self):
        if self.at("op", "-"):
            line = self.take("op").line
            return ast.Unary(line, "-", self.unary())
        return self.postfix()
''')]})

task(id="pebble-error-lines", base="pebble", difficulty="medium", tags=["bugfix", "interpreter", "python"],
     instruction="""
pebble's error messages name the wrong line, or none at all, and users cannot find their bugs:

- in a script with comments, errors after a comment point one line too early per comment;
- after a string literal that spans lines, errors point too early as well;
- an error raised inside a built-in function (`len(5)`, `pop([])`, `int("x")`) has no line.

Every error must name the line where the code that caused it is.
""",
     mutate={"pebble/lexer.py": [('''            while i < len(src) and src[i] != "\\n":
                i += 1
''', '''            while i < len(src) and src[i] != "\\n":
                i += 1
            i += 1
'''), ('''                if src[i] == "\\n":
                    line += 1
''', "")],
             "pebble/interpreter.py": [("                raise PebbleError(exc.message, node.line) from None",
                                        "                raise")]})

task(id="pebble-closures", base="pebble", difficulty="hard", tags=["bugfix", "interpreter", "scoping", "python"],
     max_turns=60,
     instruction="""
Functions in pebble are supposed to be closures with lexical scope (see the README), but:

- a function returned from another function cannot see the variables of the function that
  made it: `examples/counter.pb` fails with `undefined variable 'count'`;
- a function can see (and assign!) the local variables of whoever calls it.

Make functions close over the scope in which they are defined, and only that scope.
""",
     mutate={"pebble/interpreter.py": [
         ('return Function("<anonymous>", node.params, node.body, env)',
          'return Function("<anonymous>", node.params, node.body, None)'),
         ("        scope = Environment(callee.closure)\n", "        scope = Environment(env)\n")]})

task(id="pebble-list-perf", base="pebble", difficulty="hard", tags=["performance", "interpreter", "python"],
     instruction="""
pebble scripts that build or walk long lists get slower and slower: pushing 150,000 items
onto a list, or looping `while i < len(xs)` over a long list, takes minutes; the time grows
with the square of the list's length. Make `push` and `len` on lists take constant time,
without changing what any program prints.
""",
     mutate={"pebble/values.py": [
         ('    """A mutable list; push is amortized O(1) and len is O(1), as scripts expect."""',
          '    """A mutable list."""'),
         ("        self.items.append(value)", "        self.items = self.items + [value]"),
         ("        return len(self.items)", "        return sum(1 for _ in self.items)")]})
