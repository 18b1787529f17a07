// Daily screening on a phone: every check goes into the account's outbox (vendor/offline/
// outbox.js, IndexedDB) and from there to POST /api/screenings/batch. Each check carries its own
// client_id, so a re-send never duplicates; it is held a few seconds so the last tap can be undone.
(function () {
  "use strict";
  var outbox = window.linliOutbox;
  var walk = document.getElementById("walk");
  var url = (walk && walk.dataset.batchUrl) || "/api/screenings/batch";
  var undo = document.getElementById("undo-last");
  var HOLD_MS = 4000;
  var last = null;
  if (!outbox) { return; } // no script support: the forms post to screening:record as they are

  function record(form, id) {
    var data = new FormData(form);
    var rec = { client_id: id, method: data.get("method") || "door" };
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
  // the count covers every page of the walk, so a tap moves it by one rather than recounting
  function counter(step) {
    var el = document.getElementById("unchecked-count");
    if (el) { el.textContent = String(Math.max(0, parseInt(el.textContent, 10) + step)); }
  }

  document.querySelectorAll("form.js-screening").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var id = outbox.newId();
      var rec = record(form, id);
      var card = document.getElementById("household-" + rec.household);
      var label = card ? card.querySelector("h3").textContent.trim() : form.dataset.label || "";
      var hold = form.dataset.return ? 0 : HOLD_MS;
      outbox.enqueue({ id: id, kind: "json", url: url, json: { records: [rec] }, label: label,
        after: hold ? Date.now() + hold : 0 }).then(function () {
        if (form.dataset.return) { window.location.href = form.dataset.return; }
      });
      if (card) {
        var was = card.classList.contains("checked");
        var wasText = card.querySelector(".state").textContent;
        if (!was) { counter(-1); }
        card.classList.add("checked");
        card.querySelector(".state").textContent = form.dataset.done || "";
        last = { id: id, card: card, next: card.nextSibling, was: was, text: wasText };
        card.parentNode.appendChild(card); // checked households move to the end of their building
        if (undo) {
          undo.hidden = false;
          undo.querySelector(".what").textContent = label;
          clearTimeout(undo.timer);
          undo.timer = setTimeout(function () { undo.hidden = true; last = null; }, hold);
        }
      }
    });
  });
  if (undo) {
    undo.querySelector("button").addEventListener("click", function () {
      if (!last) { return; }
      var tap = last;
      last = null;
      undo.hidden = true;
      outbox.remove(tap.id).then(outbox.report);
      tap.card.querySelector(".state").textContent = tap.text;
      tap.card.parentNode.insertBefore(tap.card, tap.next);
      if (!tap.was) { tap.card.classList.remove("checked"); counter(1); }
    });
  }
})();
