"use strict";
// The transcript viewer and the sortable per-task table; no library, no network.
(function () {
  var transcripts = JSON.parse(document.getElementById("transcripts").textContent);
  var viewer = document.getElementById("viewer");
  var body = document.getElementById("viewer-body");
  var FOLD = 1500;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function block(text) {
    text = text || "";
    if (text.length <= FOLD) { return el("pre", "", text); }
    var d = el("details"), s = el("summary", "", text.slice(0, 200).replace(/\n/g, " ") + " … (" + text.length + " characters)");
    d.appendChild(s);
    d.appendChild(el("pre", "", text));
    return d;
  }

  function show(id) {
    var t = transcripts[id];
    body.textContent = "";
    document.getElementById("viewer-title").textContent = t ? t.title : id;
    if (!t) { body.appendChild(el("p", "note", "No transcript for this sample.")); viewer.hidden = false; return; }
    var calls = {};
    (t.calls || []).forEach(function (c) { calls[c.message_index] = c; });
    var g = t.grade || {};
    body.appendChild(el("p", "note", "sample $: " + (t.usd === null ? "null (unknown price)" : "$" + Number(t.usd).toFixed(6))
      + " · error class: " + t.error + " · score " + (g.score === null || g.score === undefined ? "-" : g.score)
      + (g.passed ? " · passed" : g.passed === false ? " · failed" : "")));
    if ((g.checks || []).length) {  // which hidden checks failed, and what they said
      var ul = el("ul", "checks");
      g.checks.forEach(function (c) {
        ul.appendChild(el("li", c.passed ? "pass" : "fail", (c.passed ? "✓ " : "✗ ") + c.name + (c.message ? ": " + c.message : "")));
      });
      body.appendChild(ul);
    }
    if (g.tampered) { body.appendChild(block("tampered (scored 0): " + g.tampered)); }  // the evidence, whole
    if (g.detail || g.infra_error) { body.appendChild(block(g.detail || g.infra_error)); }
    t.messages.forEach(function (m, i) {
      var box = el("div", "msg");
      box.appendChild(el("div", "role", m.role + (m.name ? " · " + m.name : "")));
      if (m.content) { box.appendChild(block(typeof m.content === "string" ? m.content : JSON.stringify(m.content))); }
      (m.tool_calls || []).forEach(function (tc) {
        var f = tc["function"] || {}, args = f.arguments;
        box.appendChild(el("div", "call", "→ " + f.name));
        try { args = JSON.parse(args); } catch (e) { /* not JSON: shown as sent */ }
        if (args && typeof args === "object") {  // each argument as text: file contents as code, not escaped JSON
          Object.keys(args).forEach(function (k) {
            var v = typeof args[k] === "string" ? args[k] : JSON.stringify(args[k], null, 2);
            box.appendChild(el("div", "note", k));
            box.appendChild(block(v));
          });
        } else { box.appendChild(block(String(args))); }
      });
      var c = calls[i];
      if (c) {
        var u = c.usage || {};
        box.appendChild(el("div", "call", "call " + c.turn + ": " + (u.input_uncached || 0) + " uncached + "
          + (u.input_cached || 0) + " cached in, " + (u.output || 0) + " out · "
          + (c.usd === null ? "$ null" : "$" + Number(c.usd).toFixed(6)) + " · " + (c.finish_reason || "")));
      }
      body.appendChild(box);
    });
    viewer.hidden = false;
  }

  document.querySelectorAll("a.sample").forEach(function (a) {
    a.addEventListener("click", function (ev) { ev.preventDefault(); show(a.dataset.sample); });
  });
  document.getElementById("viewer-close").addEventListener("click", function () { viewer.hidden = true; });

  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("th").forEach(function (th, col) {
      th.addEventListener("click", function () {
        var rows = Array.prototype.slice.call(table.tBodies[0].rows);
        var dir = th.dataset.dir === "asc" ? -1 : 1;
        th.dataset.dir = dir === 1 ? "asc" : "desc";
        rows.sort(function (a, b) {
          var x = a.cells[col], y = b.cells[col];
          var ux = x.querySelector(".usd"), uy = y.querySelector(".usd");
          if (ux && uy) { return dir * (Number(ux.dataset.v) - Number(uy.dataset.v)); }
          return dir * x.textContent.localeCompare(y.textContent);
        });
        rows.forEach(function (r) { table.tBodies[0].appendChild(r); });
      });
    });
  });
})();
