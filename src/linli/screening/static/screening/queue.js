// Daily screening on a phone: every check goes into a queue kept in localStorage, then to
// POST /api/screenings/batch. When the connection drops the checks stay on the phone and are
// sent when it comes back; each carries its own client_id, so a re-send never duplicates.
// The queue belongs to the signed-in account (its key carries the account's id) and signing
// out empties it (Clear-Site-Data), so a phone passed on never sends one worker's checks as
// another's.
(function () {
  "use strict";
  var script = document.currentScript;
  var account = script && script.dataset.account;
  localStorage.removeItem("linli.screening.queue"); // the old key had no owner: never send it
  if (!account) { return; }
  var KEY = "linli.screening.queue." + account;
  var walk = document.getElementById("walk");
  var url = (walk && walk.dataset.batchUrl) || "/api/screenings/batch";
  var status = document.getElementById("queue-status");
  var sending = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function save(queue) { localStorage.setItem(KEY, JSON.stringify(queue)); }
  function csrf(form) {
    var field = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : (walk ? walk.dataset.csrf : "");
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function show(text) { if (status) { status.textContent = text; } }
  function report() {
    var n = load().length;
    if (!status) { return; }
    if (n === 0) { show(""); return; }
    show(n + " " + (navigator.onLine ? status.dataset.waiting : status.dataset.offline));
  }

  function record(form) {
    var data = new FormData(form);
    var rec = { client_id: data.get("client_id") || newId(), method: data.get("method") || "door" };
    ["household", "resident"].forEach(function (k) {
      if (data.get(k)) { rec[k] = parseInt(data.get(k), 10); }
    });
    if (data.get("temperature")) { rec.temperature = parseFloat(data.get("temperature")); }
    ["travel_from", "note"].forEach(function (k) { if (data.get(k)) { rec[k] = data.get(k); } });
    if (data.get("quarantine")) { rec.quarantine = data.get("quarantine"); }
    rec.symptoms = data.getAll("symptoms");
    rec.needs = data.getAll("needs");
    rec.from_risk_area = data.get("from_risk_area") === "on";
    rec.case_contact = data.get("case_contact") === "on";
    return rec;
  }

  function flush() {
    var queue = load();
    if (sending || queue.length === 0) { report(); return; }
    sending = true;
    var batch = queue.slice(0, 1000);
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(document.querySelector("form.js-screening")) },
      body: JSON.stringify({ records: batch })
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (answer) {
      var done = {};
      answer.results.forEach(function (r) {
        done[batch[r.index].client_id] = true;
        if (r.status === "rejected") {
          var el = document.getElementById("household-" + batch[r.index].household);
          var why = r.errors.map(function (e) { return e.field + ": " + e.reason; }).join("; ");
          if (el) { el.classList.remove("checked"); el.querySelector(".state").textContent = why; }
        }
      });
      save(load().filter(function (rec) { return !done[rec.client_id]; }));
    }).catch(function () {
      // offline or the server did not answer: the records stay queued for the next try
    }).then(function () {
      sending = false;
      report();
      if (load().length && navigator.onLine) { setTimeout(flush, 5000); }
    });
  }

  document.querySelectorAll("form.js-screening").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var rec = record(form);
      var queue = load();
      queue.push(rec);
      save(queue);
      var card = document.getElementById("household-" + rec.household);
      if (card) {
        card.classList.add("checked");
        card.querySelector(".state").textContent = form.dataset.done || "";
        card.parentNode.appendChild(card); // checked households move to the end of the walk
        var left = document.querySelectorAll("#walk .stop:not(.checked)").length;
        var counter = document.getElementById("unchecked-count");
        if (counter) { counter.textContent = String(left); }
      }
      flush();
      if (form.dataset.return) { setTimeout(function () { window.location.href = form.dataset.return; }, 0); }
    });
  });
  window.addEventListener("online", flush);
  setInterval(flush, 15000);
  flush();
})();
