(function () {
  "use strict";
  var box = document.getElementById("filters");
  var list = document.getElementById("finding-list");
  if (!box || !list) { return; }
  box.hidden = box.hasAttribute("data-empty");
  var sev = document.getElementById("f-sev"), team = document.getElementById("f-team"),
      rule = document.getElementById("f-rule"), text = document.getElementById("f-text"),
      sort = document.getElementById("f-sort"), count = document.getElementById("f-count"),
      none = document.getElementById("f-none");
  var cards = Array.prototype.slice.call(list.querySelectorAll("details.finding"));
  var rank = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

  function matches(d) {
    var r = rule.value, teams = d.getAttribute("data-teams").split("|");
    if (sev.value && d.getAttribute("data-severity") !== sev.value) { return false; }
    if (team.value && teams.indexOf(team.value) < 0) { return false; }
    if (r && r.indexOf("family:") === 0 && d.getAttribute("data-family") !== r.slice(7)) { return false; }
    if (r && r.indexOf("family:") !== 0 && d.getAttribute("data-rule") !== r) { return false; }
    if (text.value && d.textContent.toLowerCase().indexOf(text.value.toLowerCase()) < 0) { return false; }
    return true;
  }

  function keyOf(d) {
    var order = ("0000" + d.getAttribute("data-order")).slice(-5);
    var by = sort.value;
    if (by === "team") { return (d.getAttribute("data-team") || "~") + "\u0000" + order; }
    if (by === "rule") { return d.getAttribute("data-rule") + "\u0000" + order; }
    if (by === "subject") { return d.getAttribute("data-subject").toLowerCase() + "\u0000" + order; }
    return order;
  }

  function apply() {
    var shown = 0;
    cards.slice().sort(function (a, b) { var x = keyOf(a), y = keyOf(b); return x < y ? -1 : x > y ? 1 : 0; })
      .forEach(function (d) { list.appendChild(d); });
    cards.forEach(function (d) {
      var ok = matches(d);
      d.classList.toggle("hidden", !ok);
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " of " + cards.length + " shown";
    none.classList.toggle("hidden", shown > 0 || cards.length === 0);
  }

  function setAll(open) { cards.forEach(function (d) { if (!d.classList.contains("hidden")) { d.open = open; } }); }

  [sev, team, rule, sort].forEach(function (s) { s.addEventListener("change", apply); });
  text.addEventListener("input", apply);
  document.getElementById("f-expand").addEventListener("click", function () { setAll(true); });
  document.getElementById("f-collapse").addEventListener("click", function () { setAll(false); });
  document.getElementById("f-reset").addEventListener("click", function () {
    sev.value = ""; team.value = ""; rule.value = ""; text.value = ""; sort.value = "severity"; apply();
  });

  // A heat-map cell or a team's count shows the findings behind it.
  document.querySelectorAll("a[data-show-team], a[data-show-family]").forEach(function (a) {
    a.addEventListener("click", function () {
      sev.value = ""; text.value = "";
      team.value = a.getAttribute("data-show-team") || "";
      var fam = a.getAttribute("data-show-family");
      rule.value = fam ? "family:" + fam : "";
      apply();
      setAll(true);
    });
  });

  // Opening a finding from a link elsewhere: make sure it is not filtered away, and open it.
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.classList.contains("finding")) {
      if (target.classList.contains("hidden")) { sev.value = ""; team.value = ""; rule.value = ""; text.value = ""; apply(); }
      target.open = true;
    }
  }
  window.addEventListener("hashchange", reveal);

  // Keyboard shortcuts are declared in the markup: data-key on the control they trigger.
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    var tag = (e.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea") {
      if (e.key === "Escape") { e.target.blur(); }
      return;
    }
    var control = document.querySelector('[data-key="' + (e.key === '"' ? "" : e.key) + '"]');
    if (!control) { return; }
    e.preventDefault();
    if (control.tagName.toLowerCase() === "button" || control.tagName.toLowerCase() === "a") { control.click(); }
    else { control.focus(); }
  });

  // Print everything, open.
  var wasOpen = [];
  window.addEventListener("beforeprint", function () {
    wasOpen = [];
    document.querySelectorAll("details").forEach(function (d) {
      wasOpen.push([d, d.open]);
      if (!d.classList.contains("print-closed")) { d.open = true; }
    });
  });
  window.addEventListener("afterprint", function () { wasOpen.forEach(function (p) { p[0].open = p[1]; }); });

  apply();
  reveal();
})();
