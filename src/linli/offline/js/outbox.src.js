// One outbox per signed-in account, in IndexedDB: every write a field page makes (a contact, a
// screening, a check-in, a case note) is queued here with its own client id, sent at once when
// there is a connection and replayed when it returns. The server does each client id once
// (linli.offline.middleware) and answers 409 with both sides when the record changed meanwhile;
// the person then chooses field by field. Sign-out clears this account's outbox and every
// saved page. Built by scripts/build_offline.sh.
import { openDB } from "idb";
import { Workbox } from "workbox-window";

const body = document.body;
const account = body.dataset.account || "";
const bar = document.getElementById("outbox");
const text = (bar && bar.dataset) || {};
let sending = false;
const madeHere = new Set();

function csrf() {
  try { return JSON.parse(body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { return ""; }
}
function newId() {
  if (self.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => ("0" + x.toString(16)).slice(-2)).join("");
}
const dbp = openDB("linli-offline", 1, {
  upgrade(db) {
    const store = db.createObjectStore("outbox", { keyPath: "id" });
    store.createIndex("account", "account");
  },
});
async function entries() {
  if (!account) { return []; }
  const all = await (await dbp).getAllFromIndex("outbox", "account", account);
  return all.sort((a, b) => a.created - b.created);
}
async function put(entry) { await (await dbp).put("outbox", entry); }
async function remove(id) { await (await dbp).delete("outbox", id); }

export async function enqueue(entry) {
  entry.id = entry.id || newId();
  entry.account = account;
  entry.created = Date.now();
  entry.state = "pending";
  await put(entry);
  await report();
  flush();
  return entry;
}

function formBody(entry) {
  const data = new FormData();
  for (const [k, v] of entry.fields) { data.append(k, v); }
  return data;
}

async function send(entry) {
  const headers = {
    "X-CSRFToken": csrf(), "X-Linli-Outbox": "1", "X-Linli-Client-Id": entry.id,
    "X-Linli-Account": entry.account,
  };
  let payload;
  if (entry.kind === "json") { headers["Content-Type"] = "application/json"; payload = JSON.stringify(entry.json); }
  else { payload = formBody(entry); }
  const response = await fetch(entry.url, { method: "POST", credentials: "same-origin", headers, body: payload });
  const answer = await response.json().catch(() => ({}));
  if (response.status === 409) { entry.state = "conflict"; entry.conflict = answer.fields || {}; await put(entry); return; }
  if (response.status === 401 || response.status === 403 && answer.status === "wrong_account") {
    throw new Error("not this account");  // keep it; it is sent only when its account signs in
  }
  if (response.status >= 500) { throw new Error("server " + response.status); }
  const results = answer.results || [];
  const rejected = answer.status === "rejected" || !response.ok
    || results.some((r) => r.status === "rejected");
  if (rejected) {
    entry.state = "rejected";
    entry.errors = (answer.errors || []).concat(...results.map((r) => (r.errors || []).map((e) => e.field + ": " + e.reason)));
    if (!entry.errors.length) { entry.errors = [String(answer.code || response.status)]; }
    await put(entry);
    return;
  }
  await remove(entry.id);
  document.dispatchEvent(new CustomEvent("linli:sent", { detail: entry }));
  // a form sent at once, online, from this very page: show its result as a post would have
  if (entry.reload && madeHere.has(entry.id) && Date.now() - entry.created < 15000) { location.reload(); }
}

export async function flush() {
  if (sending || !account) { return; }
  sending = true;
  try {
    for (const entry of await entries()) {
      if (entry.state !== "pending") { continue; }
      if (entry.after && entry.after > Date.now()) { setTimeout(flush, entry.after - Date.now() + 50); continue; }
      await send(entry);
    }
  } catch (e) {
    // no connection, or the server did not answer: everything stays queued for the next try
  } finally {
    sending = false;
    await report();
  }
}

function el(tag, attrs, children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => { if (k === "text") { node.textContent = v; } else { node.setAttribute(k, v); } });
  (children || []).forEach((c) => node.appendChild(c));
  return node;
}

function conflictForm(entry) {
  const form = el("form", { class: "conflict", "data-entry": entry.id });
  form.appendChild(el("p", { text: (entry.label || "") + " — " + (text.conflict || "") }));
  Object.entries(entry.conflict || {}).forEach(([field, f]) => {
    const set = el("fieldset", {}, [el("legend", { text: f.label || field })]);
    [["mine", text.mine, f.mine_text || f.mine], ["theirs", text.theirs, f.theirs_text || f.theirs]].forEach(([side, label, value], i) => {
      const input = el("input", { type: "radio", name: field, value: side });
      if (i === 0) { input.checked = true; }
      set.appendChild(el("label", { class: "choice" }, [input, document.createTextNode(" " + label + ": " + value)]));
    });
    form.appendChild(set);
  });
  const keep = el("button", { type: "submit", text: text.resolve || "OK" });
  const drop = el("button", { type: "button", class: "secondary", text: text.discard || "×" });
  drop.addEventListener("click", async () => { await remove(entry.id); report(); });
  form.append(keep, drop);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const choice = new FormData(form);
    Object.entries(entry.conflict).forEach(([field, f]) => {
      const value = choice.get(field) === "theirs" ? f.theirs : f.mine;
      entry.fields = entry.fields.filter(([k]) => k !== field && k !== "base__" + field);
      entry.fields.push([field, value], ["base__" + field, f.theirs]);
    });
    entry.state = "pending";
    delete entry.conflict;
    await put(entry);
    await report();
    flush();
  });
  return form;
}

export async function report() {
  if (!bar) { return; }
  const all = await entries();
  const waiting = all.filter((e) => e.state === "pending").length;
  const problems = all.filter((e) => e.state !== "pending");
  const count = bar.querySelector(".count");
  count.textContent = waiting ? waiting + " " + (navigator.onLine ? text.pending : text.offline) : "";
  bar.dataset.waiting = String(waiting);
  bar.dataset.total = String(all.length);
  const list = bar.querySelector(".problems");
  list.replaceChildren(...problems.map((entry) => entry.state === "conflict" ? conflictForm(entry)
    : el("p", { class: "rejected", text: (entry.label || "") + " — " + (text.rejected || "") + " " + (entry.errors || []).join("; ") })));
  bar.hidden = !waiting && !problems.length;
}

function fieldsOf(form, id) {
  const fields = [];
  for (const [k, v] of new FormData(form)) {
    if (k === "csrfmiddlewaretoken") { continue; }
    if (v instanceof File && !v.size) { continue; }
    fields.push([k, k === "client_id" ? id : v]);
  }
  if (!fields.some(([k]) => k === "client_id")) { fields.push(["client_id", id]); }
  return fields;
}

// Forms marked data-outbox go through the outbox, online or not, so there is one way to write.
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.matches("form[data-outbox]") || !account) { return; }
  event.preventDefault();
  event.stopImmediatePropagation();
  const id = newId();
  const submitter = event.submitter;
  const fields = fieldsOf(form, id);
  if (submitter && submitter.name) { fields.push([submitter.name, submitter.value]); }
  // getAttribute: a control named "action" (the check-in buttons) shadows form.action
  const url = new URL(form.getAttribute("action") || location.href, location.href).pathname;
  madeHere.add(id);
  await enqueue({ id, kind: "form", url, fields, label: form.dataset.outbox, reload: navigator.onLine });
  const note = form.querySelector(".queued") || form.appendChild(el("p", { class: "queued", role: "status" }));
  note.textContent = form.dataset.queued || text.queued || "";
  form.reset();
  if (form.dataset.return) { window.location.href = form.dataset.return; }
}, true);

async function clearAccount() {
  for (const entry of await entries()) { await remove(entry.id); }
  Object.keys(localStorage).filter((k) => k.startsWith("linli.screening.queue")).forEach((k) => localStorage.removeItem(k));
  if (self.caches) { await Promise.all((await caches.keys()).map((name) => caches.delete(name))); }
  if (navigator.serviceWorker) {
    // no saved page or file outlives the account: the worker goes too (the next sign-in brings it back)
    for (const registration of await navigator.serviceWorker.getRegistrations()) { await registration.unregister(); }
  }
  if (self.caches) { await Promise.all((await caches.keys()).map((name) => caches.delete(name))); }
}

// Sign-out: ask first when work is unsent; clear the outbox and every saved page; if there is no
// connection, the phone is signed out now and the server session is ended on the next visit.
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.matches("form.sign-out")) { return; }
  event.preventDefault();
  event.stopImmediatePropagation();
  const unsent = (await entries()).length;
  if (unsent && !window.confirm((text.unsent || "").replace("%s", String(unsent)))) { return; }
  await clearAccount();
  if (navigator.onLine) { form.submit(); return; }
  localStorage.setItem("linli.signout", "1");
  document.querySelector("main").replaceChildren(el("h1", { text: text.signedOut || "" }));
  document.querySelectorAll("header nav, header form.sign-out").forEach((n) => n.remove());
}, true);

async function finishSignOut() {
  if (!localStorage.getItem("linli.signout") || !navigator.onLine) { return false; }
  const form = document.querySelector("form.sign-out");
  if (!form) { localStorage.removeItem("linli.signout"); return false; }
  await clearAccount();
  localStorage.removeItem("linli.signout");
  form.submit();
  return true;
}

// Pages a person will need later today (each ward, each case) are saved now, while online.
async function warm() {
  if (!self.caches || !navigator.onLine) { return; }
  const cache = await caches.open("linli-pages");
  const links = Array.from(document.querySelectorAll("a[data-warm]"), (a) => a.href).slice(0, 60);
  for (const url of new Set(links)) {
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (response.ok && !response.redirected) { await cache.put(url, response); }
    } catch (e) { return; }
  }
}

window.linliOutbox = { enqueue, flush, report, entries, remove, newId };

(async () => {
  // the localStorage queue this outbox replaced: never sent (its owner cannot be known for sure)
  Object.keys(localStorage).filter((k) => k.startsWith("linli.screening.queue")).forEach((k) => localStorage.removeItem(k));
  if (await finishSignOut()) { return; }
  if (account && "serviceWorker" in navigator) {
    const wb = new Workbox("/sw.js", { scope: "/" });
    wb.register().then(() => navigator.serviceWorker.ready).then(warm).catch(() => {});
  }
  window.addEventListener("online", flush);
  window.addEventListener("offline", report);
  setInterval(flush, 15000);
  await report();
  flush();
  document.dispatchEvent(new Event("linli:outbox-ready"));
})();
