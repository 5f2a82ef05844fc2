// The AG-UI page: the same chat as index.html, driven through the server's AG-UI endpoint (POST /agui, answered with
// an SSE stream of AG-UI 1.0 events) by the official client, @ag-ui/client's HttpAgent (vendored: vendor/ag-ui-client.js).
// One AG-UI thread (its id kept in sessionStorage, so a reload continues it on the server); every prompt is one run.
// A run that stops at a codex approval finishes with outcome "interrupt": the page shows each interrupt with Approve /
// Decline, and once all are answered starts the next run with `resume` entries, which continues the same codex turn.
//
// What the page assumes of the server (AG-UI leaves these to the agent):
// - interrupt.metadata.codex carries codex's request: { kind, command, cwd, reason, decisions, changes? } (docs/agui.md);
//   the page falls back to interrupt.message when there is no command;
// - the answer is a resume entry { interruptId, status: "resolved", payload: { decision: "accept" | "decline" } } for
//   a command or file change; any other kind is dismissed (status "cancelled"), which the server answers with a refusal;
// - a run carries only the NEW user message (codex holds the history); a resume run carries none.
//
// Stable hooks for tests (Playwright):
//   #run-status [data-testid=run-status]   data-state: idle | running | interrupted | finished | error
//   #turns [data-testid=turns]             one article.turn [data-testid=turn] per prompt, data-status inProgress |
//                                          interrupted | completed | failed, data-run-id = the latest run of that turn
//     .prompt [data-testid=turn-prompt]    the prompt
//     .item [data-testid=tool-call]        one per codex tool call: data-tool-call-id, data-tool-name,
//                                          data-status running | ended | completed (a TOOL_CALL_RESULT arrived)
//     .answer [data-testid=turn-answer]    one per text message, data-message-id; the streamed text
//     .status [data-testid=turn-status]    how the turn ended
//   #interrupts [data-testid=interrupts]   .approval [data-testid=interrupt] per open interrupt, data-interrupt-id,
//                                          data-reason; inside: [data-testid=interrupt-command], [data-testid=interrupt-cwd],
//                                          [data-testid=interrupt-reason], buttons [data-testid=approve] / [data-testid=decline]
//   #prompt, #send, #new-thread, #to-rest (link to index.html), #error [data-testid=error]
import { HttpAgent, randomUUID } from "./vendor/ag-ui-client.js";

const endpoint = "/agui";
const turnsView = document.getElementById("turns");
const interruptsView = document.getElementById("interrupts");
const statusView = document.getElementById("run-status");
const errorView = document.getElementById("error");
const scroller = document.querySelector("main");
const sendButton = document.getElementById("send");
const promptInput = document.getElementById("prompt");

let threadId = sessionStorage.getItem("agui-thread");
if (!threadId) {
  threadId = randomUUID();
  sessionStorage.setItem("agui-thread", threadId);
}
let agent = new HttpAgent({ url: endpoint, threadId });
let running = false;
let currentTurn = null;           // the article of the latest prompt: resume runs continue it
const answers = new Map();        // interruptId -> resume entry, until every open interrupt has one

function setStatus(state) {
  statusView.dataset.state = state;
  statusView.textContent = state;
}

function updateSend() {
  // A new prompt while interrupts are open would leave them unanswered (the client refuses such a run).
  sendButton.disabled = running || agent.pendingInterrupts.length > 0;
}

function showError(message) {
  errorView.textContent = message;
  errorView.hidden = !message;
}

function nearBottom() {
  return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
}

function follow(change) {
  const atBottom = nearBottom();
  change();
  if (atBottom) scroller.scrollTop = scroller.scrollHeight;
}

function newTurn(prompt) {
  const view = document.createElement("article");
  view.className = "turn";
  view.dataset.testid = "turn";
  view.dataset.status = "inProgress";
  view.innerHTML = '<div class="prompt" data-testid="turn-prompt"></div><div class="items"></div><div class="answers"></div><div class="status" data-testid="turn-status"></div>';
  view.querySelector(".prompt").textContent = prompt;
  turnsView.appendChild(view);
  return view;
}

function answerView(messageId) {
  let view = currentTurn.querySelector(`.answer[data-message-id="${CSS.escape(messageId)}"]`);
  if (!view) {
    view = document.createElement("div");
    view.className = "answer";
    view.dataset.testid = "turn-answer";
    view.dataset.messageId = messageId;
    currentTurn.querySelector(".answers").appendChild(view);
  }
  return view;
}

function toolView(toolCallId) {
  return currentTurn.querySelector(`.item[data-tool-call-id="${CSS.escape(toolCallId)}"]`);
}

// A command shows as "$ command"; any other tool as its name and arguments.
function describeTool(name, args) {
  if (args && typeof args.command === "string") return "$ " + args.command;
  if (Array.isArray(args?.command)) return "$ " + args.command.join(" ");
  return `${name} ${args && Object.keys(args).length > 0 ? JSON.stringify(args) : ""}`.trim();
}

function showTool(toolCallId, name, text, status) {
  let view = toolView(toolCallId);
  if (!view) {
    view = document.createElement("div");
    view.className = "item";
    view.dataset.testid = "tool-call";
    view.dataset.toolCallId = toolCallId;
    view.dataset.toolName = name;
    currentTurn.querySelector(".items").appendChild(view);
  }
  view.dataset.status = status;
  if (text !== null) view.textContent = text;
}

function endTurn(status, detail) {
  currentTurn.dataset.status = status;
  currentTurn.querySelector(".status").textContent = status + (detail ? ": " + detail : "");
}

function showInterrupt(interrupt) {
  const meta = interrupt.metadata?.codex ?? {};
  const diff = Array.isArray(meta.changes) ? meta.changes.map(c => c.diff ?? c.path).join("\n") : null;
  const view = document.createElement("div");
  view.className = "approval";
  view.dataset.testid = "interrupt";
  view.dataset.interruptId = interrupt.id;
  view.dataset.reason = interrupt.reason;
  view.innerHTML = '<strong></strong><pre class="what" data-testid="interrupt-command"></pre><p class="reason" data-testid="interrupt-reason"></p><p class="cwd">in <code data-testid="interrupt-cwd"></code></p>';
  view.querySelector("strong").textContent = meta.kind === "command" || meta.command ? "codex asks to run a command" : `codex asks: ${meta.kind ?? interrupt.reason}`;
  view.querySelector(".what").textContent = meta.command ?? diff ?? interrupt.message ?? interrupt.reason;
  const reason = meta.reason ?? (meta.command ? interrupt.message : null);
  if (reason) view.querySelector(".reason").textContent = "Why: " + reason;
  else view.querySelector(".reason").remove();
  if (meta.cwd) view.querySelector(".cwd code").textContent = meta.cwd;
  else view.querySelector(".cwd").remove();
  // A command or file change takes a decision (its responseSchema lists them); the other kinds are dismissed here.
  const choices = meta.decisions?.length
    ? [["approve", "Approve", { status: "resolved", payload: { decision: "accept" } }], ["decline", "Decline", { status: "resolved", payload: { decision: "decline" } }]]
    : [["decline", "Dismiss", { status: "cancelled" }]];
  for (const [testid, label, entry] of choices) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    button.dataset.testid = testid;
    button.dataset.decision = testid;
    button.addEventListener("click", () => answer(interrupt.id, testid, { interruptId: interrupt.id, ...entry }, view));
    view.appendChild(button);
  }
  interruptsView.appendChild(view);
}

// Every open interrupt must be answered in the same resume run: collect answers, resume when the last one is in.
function answer(interruptId, decision, entry, view) {
  view.querySelectorAll("button").forEach(b => b.disabled = true);
  view.dataset.answer = decision;
  answers.set(interruptId, entry);
  if (agent.pendingInterrupts.every(i => answers.has(i.id))) {
    const resume = agent.pendingInterrupts.map(i => answers.get(i.id));
    answers.clear();
    interruptsView.replaceChildren();
    agent.setMessages([]); // a resume run adds no message: it continues the interrupted turn
    run({ resume });
  }
}

const subscriber = {
  onTextMessageStartEvent: ({ event }) => follow(() => answerView(event.messageId)),
  onTextMessageContentEvent: ({ event }) => follow(() => { answerView(event.messageId).textContent += event.delta; }),
  onToolCallStartEvent: ({ event }) => follow(() => showTool(event.toolCallId, event.toolCallName, event.toolCallName, "running")),
  onToolCallEndEvent: ({ event, toolCallName, toolCallArgs }) =>
    follow(() => showTool(event.toolCallId, toolCallName, describeTool(toolCallName, toolCallArgs), "ended")),
  onToolCallResultEvent: ({ event }) => {
    // A result for a call this page did not see start (another run's) has no view to mark.
    const view = toolView(event.toolCallId);
    if (view) view.dataset.status = "completed";
  },
  onRunFinishedEvent: ({ outcome, interrupts }) => {
    if (outcome === "interrupt") {
      endTurn("interrupted");
      setStatus("interrupted");
      follow(() => interrupts.forEach(showInterrupt));
    } else {
      endTurn(outcome === "cancelled" ? "cancelled" : "completed");
      setStatus("finished");
    }
  },
  onRunErrorEvent: ({ event }) => {
    endTurn("failed", event.message);
    setStatus("error");
  },
};

async function run(parameters) {
  running = true;
  updateSend();
  setStatus("running");
  showError("");
  currentTurn.dataset.status = "inProgress";
  currentTurn.querySelector(".status").textContent = "";
  const runId = randomUUID();
  currentTurn.dataset.runId = runId;
  try {
    await agent.runAgent({ runId, ...parameters }, subscriber);
  } catch (error) {
    // The client rejects on an HTTP refusal (its message names the status), a broken stream, or an abort.
    if (error?.name !== "AbortError") {
      showError(error?.message ?? String(error));
      endTurn("failed", error?.message);
      setStatus("error");
    }
  } finally {
    running = false;
    // A resume the server refused leaves the interrupts open: offer them again rather than strand the thread.
    if (agent.pendingInterrupts.length > 0 && interruptsView.childElementCount === 0) {
      agent.pendingInterrupts.forEach(showInterrupt);
    }
    updateSend();
  }
}

document.getElementById("prompt-form").addEventListener("submit", e => {
  e.preventDefault();
  const text = promptInput.value.trim();
  if (!text || sendButton.disabled) return;
  promptInput.value = "";
  currentTurn = newTurn(text);
  // Only the new message goes out: codex keeps the thread's history itself.
  agent.setMessages([{ id: randomUUID(), role: "user", content: text }]);
  run({});
});

document.getElementById("new-thread").addEventListener("click", () => {
  agent.abortRun();
  threadId = randomUUID();
  sessionStorage.setItem("agui-thread", threadId);
  agent = new HttpAgent({ url: endpoint, threadId });
  answers.clear();
  turnsView.replaceChildren();
  interruptsView.replaceChildren();
  currentTurn = null;
  running = false;
  setStatus("idle");
  showError("");
  updateSend();
});

updateSend();
