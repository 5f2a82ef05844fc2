// The chat page: one web session (its id kept in sessionStorage so a reload continues it), the session's state read
// once, then its events over one EventSource. Every event carries the session's sequence number as its id; the page
// remembers the last one it applied, so a reload (state + ?lastEventId=) and an EventSource reconnect (Last-Event-ID)
// both continue exactly after it: no gap, no repeat. A "reset" event means the server no longer has what we missed:
// read the state again.
"use strict";

const api = "/codex";
const turnsView = document.getElementById("turns");
const approvalsView = document.getElementById("approvals");
const connection = document.getElementById("connection");
const reconnectsView = document.getElementById("reconnects");
const errorView = document.getElementById("error");
let sessionId = sessionStorage.getItem("codex-session");
let lastEventId = 0;
let source = null;
let reconnects = 0;

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
  const what = approval.command || approval.reason || approval.kind;
  view.innerHTML = '<strong></strong><code></code>';
  view.querySelector("strong").textContent = `codex asks to ${approval.kind === "command" ? "run a command" : approval.kind}`;
  view.querySelector("code").textContent = what;
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
    case "turnStarted": turnView(data.turnId, data.prompt); break;
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
    case "sessionClosed": connection.textContent = "session closed"; break;
  }
}

function render(state) {
  turnsView.replaceChildren();
  approvalsView.replaceChildren();
  for (const turn of state.turns) {
    const view = turnView(turn.turnId, turn.prompt);
    view.querySelector(".answer").textContent = turn.text;
    for (const item of turn.items) showItem(turn.turnId, item.itemId, item.type, item.summary, item.status);
    view.dataset.status = turn.status;
    if (turn.status !== "inProgress") view.querySelector(".status").textContent = turn.status;
  }
  for (const approval of state.pendingApprovals) showApproval(approval);
  lastEventId = state.lastEventId;
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
    source.addEventListener(kind, e => apply(kind, Number(e.lastEventId), JSON.parse(e.data)));
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
  if (!text) return;
  showError("");
  try {
    await call("POST", `/sessions/${sessionId}/turns`, { text });
    prompt.value = "";
  } catch (error) {
    showError(error.message);
  }
});

document.getElementById("new-session").addEventListener("click", async () => {
  sessionStorage.removeItem("codex-session");
  sessionId = null;
  source?.close();
  await load().catch(e => showError(e.message));
});

load().catch(e => showError(e.message));
