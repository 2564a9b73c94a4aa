// Progressive enhancement for webby forms: submit with fetch and show field errors inline.
(function () {
  "use strict";
  function showErrors(form, errors) {
    form.querySelectorAll(".error").forEach(function (el) { el.remove(); });
    Object.keys(errors).forEach(function (name) {
      var input = form.querySelector('[name="' + name + '"]');
      if (!input) { return; }
      var span = document.createElement("span");
      span.className = "error";
      span.textContent = errors[name];
      input.insertAdjacentElement("afterend", span);
    });
  }
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.matches("form[data-webby]")) { return; }
    ev.preventDefault();
    fetch(form.action, { method: "POST", body: new URLSearchParams(new FormData(form)),
                         headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (res.ok && res.body.redirect) { window.location = res.body.redirect; }
        else if (res.body.errors) { showErrors(form, res.body.errors); }
      });
  });
})();
