// The chat page: one web session (its id kept in sessionStorage so a reload continues it), the session's state read
// once, then its events over one EventSource. Every event carries the session's sequence number as its id; the page
// remembers the last one it applied, so a reload (state + ?lastEventId=) and an EventSource reconnect (Last-Event-ID)
// both continue exactly after it: no gap, no repeat. A "reset" event means the server no longer has what we missed:
// read the state again.
// Send is off while a turn runs (the server allows one at a time); the view follows the newest message while you are
// at the bottom; an error stays until the next thing that works.
"use strict";

const api = "/codex";
const turnsView = document.getElementById("turns");
const approvalsView = document.getElementById("approvals");
const connection = document.getElementById("connection");
const reconnectsView = document.getElementById("reconnects");
const errorView = document.getElementById("error");
const scroller = document.querySelector("main");
const sendButton = document.getElementById("send");
let sessionId = sessionStorage.getItem("codex-session");
let lastEventId = 0;
let source = null;
let reconnects = 0;
let runningTurn = null; // the turn that has started (or was accepted) and not completed
let sending = false;    // a prompt is on its way
const finishedTurns = new Set(); // a turn can complete before its 202 arrives: do not mark it running after that

function updateSend() {
  sendButton.disabled = sending || runningTurn !== null || !sessionId;
}

async function call(method, path, body) {
  const response = await fetch(api + path, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    const error = new Error(problem.detail || problem.title || `${response.status} ${response.statusText}`);
    error.status = response.status;
    throw error;
  }
  showError(""); // it works again: a stale error would only mislead
  return response.status === 204 || response.status === 202 && response.headers.get("content-length") === "0" ? null : response.json().catch(() => null);
}

function showError(message) {
  errorView.textContent = message;
  errorView.hidden = !message;
}

function turnView(turnId, prompt) {
  let view = document.getElementById("turn-" + turnId);
  if (!view) {
    view = document.createElement("article");
    view.id = "turn-" + turnId;
    view.className = "turn";
    view.dataset.status = "inProgress";
    view.innerHTML = '<div class="prompt"></div><div class="items"></div><div class="answer"></div><div class="status"></div>';
    view.querySelector(".prompt").textContent = prompt || "";
    turnsView.appendChild(view);
  }
  return view;
}

function itemSummary(item) {
  if (item.type === "commandExecution") return item.command || "";
  if (item.type === "fileChange") return (item.changes || []).map(c => c.path).join(", ");
  return null;
}

function showItem(turnId, itemId, type, summary, status) {
  const items = turnView(turnId).querySelector(".items");
  let view = document.getElementById("item-" + itemId);
  if (!view) {
    view = document.createElement("div");
    view.id = "item-" + itemId;
    view.className = "item";
    items.appendChild(view);
  }
  view.dataset.type = type;
  view.dataset.status = status || "";
  view.textContent = `${type === "commandExecution" ? "$ " : "edit "}${summary}${status ? "  [" + status + "]" : ""}`;
}

function finishTurn(turnId, status, text, error) {
  finishedTurns.add(turnId);
  if (runningTurn === turnId) runningTurn = null;
  updateSend();
  const view = turnView(turnId);
  view.dataset.status = status;
  if (typeof text === "string" && text.length > 0) view.querySelector(".answer").textContent = text;
  view.querySelector(".status").textContent = status + (error ? ": " + error : "");
}

function showApproval(approval) {
  if (document.getElementById("approval-" + approval.approvalId)) return;
  const view = document.createElement("div");
  view.id = "approval-" + approval.approvalId;
  view.className = "approval";
  view.dataset.kind = approval.kind;
  // What, why and where: the command (or the kind of request), codex's reason, and the folder it would run in.
  view.innerHTML = '<strong></strong><pre class="what"></pre><p class="reason"></p><p class="cwd">in <code></code></p>';
  view.querySelector("strong").textContent = `codex asks to ${approval.kind === "command" ? "run a command" : approval.kind}`;
  view.querySelector(".what").textContent = approval.command || approval.kind;
  if (approval.reason) view.querySelector(".reason").textContent = "Why: " + approval.reason;
  else view.querySelector(".reason").remove();
  if (approval.cwd) view.querySelector(".cwd code").textContent = approval.cwd;
  else view.querySelector(".cwd").remove();
  const decisions = approval.decisions.length > 0 ? [["accept", "Approve"], ["decline", "Decline"]] : [];
  for (const [decision, label] of decisions) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    button.dataset.decision = decision;
    button.addEventListener("click", async () => {
      view.querySelectorAll("button").forEach(b => b.disabled = true);
      try {
        await call("POST", `/sessions/${sessionId}/approvals/${approval.approvalId}`, { decision });
      } catch (e) {
        showError(e.message);
      }
    });
    view.appendChild(button);
  }
  if (decisions.length === 0) {
    const refuse = document.createElement("button");
    refuse.type = "button";
    refuse.textContent = "Refuse";
    refuse.addEventListener("click", () => call("POST", `/sessions/${sessionId}/approvals/${approval.approvalId}`, { error: { message: "refused in the chat page" } }).catch(e => showError(e.message)));
    view.appendChild(refuse);
  }
  approvalsView.appendChild(view);
}

function removeApproval(approvalId) {
  document.getElementById("approval-" + approvalId)?.remove();
}

function apply(kind, id, data) {
  if (id <= lastEventId) return; // already applied (a replay can only repeat what the state already had)
  lastEventId = id;
  switch (kind) {
    case "turnStarted":
      turnView(data.turnId, data.prompt);
      if (!finishedTurns.has(data.turnId)) runningTurn = data.turnId;
      updateSend();
      break;
    case "delta": turnView(data.turnId).querySelector(".answer").textContent += data.text; break;
    case "itemStarted":
    case "itemCompleted": {
      const summary = itemSummary(data.item);
      if (summary !== null) showItem(data.turnId, data.item.id, data.item.type, summary, data.item.status);
      break;
    }
    case "approval": showApproval(data); break;
    case "approvalResolved": removeApproval(data.approvalId); break;
    case "turnCompleted": finishTurn(data.turnId, data.status, data.text, data.error); break;
    case "sessionClosed":
      connection.dataset.state = "closed";
      connection.textContent = "session closed";
      runningTurn = null;
      updateSend();
      break;
  }
}

function render(state) {
  turnsView.replaceChildren();
  approvalsView.replaceChildren();
  runningTurn = null;
  for (const turn of state.turns) {
    const view = turnView(turn.turnId, turn.prompt);
    view.querySelector(".answer").textContent = turn.text;
    for (const item of turn.items) showItem(turn.turnId, item.itemId, item.type, item.summary, item.status);
    view.dataset.status = turn.status;
    if (turn.status !== "inProgress") {
      view.querySelector(".status").textContent = turn.status;
      finishedTurns.add(turn.turnId);
    } else {
      runningTurn = turn.turnId;
    }
  }
  for (const approval of state.pendingApprovals) showApproval(approval);
  lastEventId = state.lastEventId;
  updateSend();
  scrollToNewest();
}

// Follow the newest message only when the reader is already at (or near) the bottom: never pull them away from
// something older they scrolled up to read.
function nearBottom() {
  return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
}

function scrollToNewest() {
  scroller.scrollTop = scroller.scrollHeight;
}

async function load() {
  let state = null;
  if (sessionId) {
    try {
      state = await call("GET", `/sessions/${sessionId}`);
    } catch (e) {
      if (e.status !== 404) throw e;
      sessionId = null; // the server restarted or the session was closed: start a new one
    }
  }
  if (!sessionId) {
    const created = await call("POST", "/sessions", { artifactId: "webchat" });
    sessionId = created.sessionId;
    sessionStorage.setItem("codex-session", sessionId);
    state = await call("GET", `/sessions/${sessionId}`);
  }
  render(state);
  connect();
}

function connect() {
  source?.close();
  source = new EventSource(`${api}/sessions/${sessionId}/events?lastEventId=${lastEventId}`);
  source.onopen = () => {
    connection.dataset.state = "open";
    connection.textContent = "connected";
  };
  source.onerror = () => {
    // EventSource reconnects by itself and sends Last-Event-ID; show it.
    connection.dataset.state = "reconnecting";
    connection.textContent = "reconnecting…";
    reconnects++;
    reconnectsView.textContent = "reconnects: " + reconnects;
  };
  for (const kind of ["turnStarted", "delta", "itemStarted", "itemCompleted", "approval", "approvalResolved", "turnCompleted", "sessionClosed"]) {
    source.addEventListener(kind, e => {
      const follow = nearBottom();
      apply(kind, Number(e.lastEventId), JSON.parse(e.data));
      if (follow) scrollToNewest();
    });
  }
  source.addEventListener("reset", async () => {
    // What we missed is gone from the server's buffer: read the whole state again and go on from there.
    source.close();
    render(await call("GET", `/sessions/${sessionId}`));
    connect();
  });
}

document.getElementById("prompt-form").addEventListener("submit", async e => {
  e.preventDefault();
  const prompt = document.getElementById("prompt");
  const text = prompt.value.trim();
  if (!text || sendButton.disabled) return;
  sending = true;
  updateSend();
  try {
    const started = await call("POST", `/sessions/${sessionId}/turns`, { text });
    if (started?.turnId && !finishedTurns.has(started.turnId)) runningTurn = started.turnId;
    prompt.value = "";
  } catch (error) {
    showError(error.message);
  } finally {
    sending = false;
    updateSend();
  }
});

document.getElementById("new-session").addEventListener("click", async () => {
  sessionStorage.removeItem("codex-session");
  sessionId = null;
  runningTurn = null;
  updateSend();
  source?.close();
  await updateSend();
load().catch(e => showError(e.message));
});

updateSend();
load().catch(e => showError(e.message));
