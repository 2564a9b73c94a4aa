// pertask view: the runs list, a run's summary and samples (filtered), a transcript; polls while a run writes.
(function () {
  "use strict";
  var state = { run: null, samples: [], sample: null, seen: {} };
  // Re-render only what changed: a finished run's page stays still under the poll.
  function changed(key, data) { var text = JSON.stringify(data); if (state.seen[key] === text) return false; state.seen[key] = text; return true; }
  var $ = function (id) { return document.getElementById(id); };
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
  function get(url) { return fetch(url, { cache: "no-store" }).then(function (r) { return r.json(); }); }
  function pct(x) { return x === null || x === undefined ? "-" : Math.round(x * 100) + "%"; }
  function money(x) { return x === null || x === undefined ? "null" : (x < 1 ? "$" + x.toFixed(4) : "$" + x.toFixed(2)); }
  function ci(c, f) { return c ? " [" + f(c[0]) + ", " + f(c[1]) + "]" : ""; }
  function row(cells, attrs) {
    var tr = el("tr"); cells.forEach(function (c) { tr.appendChild(el("td", "", c)); });
    Object.keys(attrs || {}).forEach(function (k) { tr.dataset[k] = attrs[k]; }); return tr;
  }
  function fill(tbody, rows) { tbody.replaceChildren.apply(tbody, rows); }

  function loadRuns() {
    return get("/api/runs").then(function (runs) {
      if (!changed("runs", [runs, state.run])) return;
      fill($("runs").tBodies[0], runs.map(function (r) {
        var tr = row([r.id, r.samples + "/" + r.planned, r.state], { run: r.id, state: r.state });
        if (r.id === state.run) tr.className = "current";
        tr.addEventListener("click", function () { openRun(r.id); });
        return tr;
      }));
      var cur = runs.filter(function (r) { return r.id === state.run; })[0];
      if (cur) $("run-note").replaceChildren(document.createTextNode(cur.suite + " · " + cur.models.join(", ") + " · " + cur.samples + "/" + cur.planned + " samples "),
        cur.state === "running" ? el("span", "badge", "live") : el("span", "", cur.state));
    });
  }

  function options(sel, values) {
    var keep = sel.value; sel.replaceChildren(el("option", "", "any"));
    sel.firstChild.value = "";
    values.forEach(function (v) { var o = el("option", "", String(v)); o.value = String(v); sel.appendChild(o); });
    sel.value = values.map(String).indexOf(keep) >= 0 ? keep : "";
  }
  function uniq(key) { return Array.from(new Set(state.samples.map(function (s) { return s[key]; }))).sort(); }

  function renderSamples() {
    var f = { model: $("f-model").value, task_id: $("f-task").value, epoch: $("f-epoch").value, error: $("f-error").value };
    var passed = $("f-passed").value;
    var rows = state.samples.filter(function (s) {
      return Object.keys(f).every(function (k) { return !f[k] || String(s[k]) === f[k]; }) &&
        (!passed || (passed === "pass") === (s.passed === true));
    }).map(function (s) {
      var tr = row([s.model, s.task_id, String(s.epoch), s.passed ? "pass" : (s.error === "infra" ? "not scored" : s.error === "tampered" ? "tampered" : "fail"),
        s.score === null ? "-" : s.score.toFixed(2), String(s.failed_checks), money(s.usd), s.error], { sample: s.sample_id });
      tr.addEventListener("click", function () { openSample(s.sample_id); });
      return tr;
    });
    fill($("samples").tBodies[0], rows);
  }

  function loadRun() {
    if (!state.run) return Promise.resolve();
    var run = encodeURIComponent(state.run);
    return Promise.all([get("/api/runs/" + run + "/summary"), get("/api/runs/" + run + "/samples")]).then(function (got) {
      if (!Array.isArray(got[1]) || !changed("run", [state.run, got])) return;  // not there yet
      var summary = got[0];
      fill($("summary").tBodies[0], summary.models.map(function (m) {
        var errs = Object.keys(m.errors).filter(function (k) { return k !== "none" && m.errors[k]; }).map(function (k) { return k + " " + m.errors[k]; }).join(", ") || "-";
        return row([m.model, String(m.n_samples), pct(m.accuracy) + ci(m.accuracy_ci, pct), money(m.usd_per_task) + ci(m.usd_per_task_ci, money), errs], { model: m.model });
      }));
      state.samples = got[1];
      options($("f-model"), uniq("model")); options($("f-task"), uniq("task_id"));
      options($("f-epoch"), uniq("epoch")); options($("f-error"), uniq("error"));
      renderSamples();
    });
  }

  function openRun(id) {
    state.run = id; state.sample = null; $("run").hidden = false; $("transcript").hidden = true;
    $("run-title").textContent = id;
    return Promise.all([loadRuns(), loadRun()]);
  }

  function pretty(args) {
    var body = el("div");
    var obj = args; if (typeof args === "string") { try { obj = JSON.parse(args); } catch (e) { obj = args; } }
    if (obj && typeof obj === "object") {
      Object.keys(obj).forEach(function (k) {
        var v = obj[k], text = typeof v === "string" ? v : JSON.stringify(v, null, 2);
        var isDiff = /^(diff --git|--- |@@ )/m.test(text) && /^[+-]/m.test(text);
        body.appendChild(el("div", "note", k));
        var pre = el("pre", isDiff ? "diff" : "code");
        if (isDiff) text.split("\n").forEach(function (ln) { pre.appendChild(el("span", ln[0] === "+" ? "add" : ln[0] === "-" ? "del" : "", ln + "\n")); });
        else pre.textContent = text;
        body.appendChild(pre);
      });
    } else body.appendChild(el("pre", "code", String(obj)));
    return body;
  }

  function openSample(sid) {
    state.sample = sid;
    return get("/api/runs/" + encodeURIComponent(state.run) + "/sample?id=" + encodeURIComponent(sid)).then(function (t) {
      var r = t.record; $("transcript").hidden = false;
      $("t-title").textContent = r.model + " · " + r.task_id + " · epoch " + r.epoch + " · score " + (r.score === null ? "-" : r.score.toFixed(2)) + " · " + money(r.usd);
      // The sample has an address: its link opens this transcript again.
      history.replaceState(null, "", "#" + encodeURIComponent(state.run) + "?sample=" + encodeURIComponent(sid));
      var spent = {};  // each model call's dollars and tokens, beside the message it answered with
      (t.calls || []).forEach(function (c) { if (c.message_index !== undefined) spent[c.message_index] = c; });
      var detail = (r.grader && r.grader.detail) ? [el("li", "note", r.grader.detail)] : [];  // what a 0 means, in a line
      fill($("checks"), detail.concat(t.checks.map(function (c) {
        return el("li", c.passed ? "pass" : "fail", (c.passed ? "✓ " : "✗ ") + c.name + (c.message ? ": " + c.message : ""));
      })));
      var body = $("t-body"); body.replaceChildren();
      t.messages.forEach(function (m, i) {
        var d = el("div", "msg"), c = spent[i], u = c && c.usage;
        d.appendChild(el("div", "role", m.role.toUpperCase()));
        if (c) d.appendChild(el("div", "note call", money(c.usd) + (u ? " · " + (u.input_uncached + u.input_cached +
          u.cache_write).toLocaleString() + " in (" + u.input_cached.toLocaleString() + " cached), " +
          u.output.toLocaleString() + " out" : "")));
        if (m.content) d.appendChild(el("pre", "code", typeof m.content === "string" ? m.content : JSON.stringify(m.content, null, 2)));
        (m.tool_calls || []).forEach(function (c) {
          var fn = c["function"] || c; d.appendChild(el("div", "note", "tool call: " + (fn.name || "")));
          d.appendChild(pretty(fn.arguments !== undefined ? fn.arguments : c.arguments));
        });
        body.appendChild(d);
      });
    });
  }

  // #RUN opens that run, even one that has not started writing yet (the poll picks it up when it does);
  // #RUN?sample=ID one of its samples' transcripts.
  var hash = location.hash.slice(1).split("?sample=");
  if (hash[0]) openRun(decodeURIComponent(hash[0])).then(function () { if (hash[1]) openSample(decodeURIComponent(hash[1])); });
  else loadRuns();
  ["f-model", "f-task", "f-epoch", "f-error", "f-passed"].forEach(function (id) { $(id).addEventListener("change", renderSamples); });
  setInterval(function () { loadRuns(); loadRun(); }, 1500);  // a run that is still writing updates here
})();
