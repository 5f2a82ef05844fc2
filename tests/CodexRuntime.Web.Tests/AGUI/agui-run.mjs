// Runs ONE AG-UI run with the official client (@ag-ui/client's HttpAgent: its own fetch transport and SSE parsing),
// records every event the client receives, checks each against @ag-ui/core's own event schemas and the protocol's
// order rules, and prints one JSON document on stdout:
//   { "input": {...the RunAgentInput the client sent...}, "events": [...], "violations": ["..."], "error": "..."|null,
//     "messages": [...the agent's messages after the run: what the client sends as the next run's history...] }
// Driven by tests/CodexRuntime.Web.Tests/Support/AgUiNodeClient.cs; usable by hand too:
//   AGUI_CLIENT_ROOT=.agui-client node agui-run.mjs --url http://127.0.0.1:5000/agui \
//     --header "X-Tenant: alpha" --input run.json [--timeout-ms 60000]        (--input - or no --input: stdin)
// AGUI_CLIENT_ROOT (or --client-root) is the folder build/install-agui-client.sh printed: it holds node_modules/.
// Exit code 0 whenever the JSON was printed (violations and client errors are data, not failures); 2 on bad usage.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";

// The client logs diagnostics with console.log/warn/error: keep stdout for the one JSON document.
console.log = (...args) => console.error(...args);
process.env.SUPPRESS_TRANSFORMATION_WARNINGS ??= "true";

function parseArguments(argv) {
  const options = { headers: {}, input: "-", timeoutMs: 60000, clientRoot: process.env.AGUI_CLIENT_ROOT };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    switch (argv[i]) {
      case "--url": options.url = value; i++; break;
      case "--input": options.input = value; i++; break;
      case "--timeout-ms": options.timeoutMs = Number(value); i++; break;
      case "--client-root": options.clientRoot = value; i++; break;
      case "--header": {
        const colon = value.indexOf(":");
        if (colon <= 0) usage(`--header '${value}' is not 'Name: value'`);
        options.headers[value.slice(0, colon).trim()] = value.slice(colon + 1).trim();
        i++;
        break;
      }
      default: usage(`unknown argument '${argv[i]}'`);
    }
  }
  if (!options.url) usage("--url is required");
  if (!options.clientRoot) usage("AGUI_CLIENT_ROOT or --client-root is required (the folder holding node_modules/@ag-ui)");
  if (!(options.timeoutMs > 0)) usage("--timeout-ms must be a positive number");
  return options;
}

function usage(message) {
  console.error(`agui-run: ${message}`);
  process.exit(2);
}

// Order rules of one run, checked on the events exactly as the client's transport delivered them. The client's own
// verifier enforces some of these too, but it stops at the first; these run over everything that arrived, so a
// test sees every broken rule, and still fail when a client release relaxes its checks.
function checkOrder(events, input) {
  const violations = [];
  const openText = new Set();
  const openTools = new Set();
  const openReasoning = new Set();
  const openReasoningMessages = new Set();
  let terminal = -1;
  events.forEach((event, index) => {
    const at = `event ${index} (${event?.type})`;
    if (index === 0 && event?.type !== "RUN_STARTED") violations.push(`${at}: the first event must be RUN_STARTED`);
    if (terminal >= 0) violations.push(`${at}: arrived after the run ended with event ${terminal} (${events[terminal].type})`);
    switch (event?.type) {
      case "RUN_STARTED":
        if (index !== 0) violations.push(`${at}: RUN_STARTED must be the first event and only once`);
        if (input && event.threadId !== input.threadId) violations.push(`${at}: threadId '${event.threadId}' is not the input's '${input.threadId}'`);
        if (input && event.runId !== input.runId) violations.push(`${at}: runId '${event.runId}' is not the input's '${input.runId}'`);
        break;
      case "RUN_FINISHED":
      case "RUN_ERROR":
        if (terminal < 0) terminal = index;
        else violations.push(`${at}: a second RUN_FINISHED/RUN_ERROR (the first was event ${terminal})`);
        break;
      case "TEXT_MESSAGE_START": open(openText, event.messageId, at, "TEXT_MESSAGE_START", violations); break;
      case "TEXT_MESSAGE_CONTENT": inside(openText, event.messageId, at, "TEXT_MESSAGE_START/END", violations); break;
      case "TEXT_MESSAGE_END": close(openText, event.messageId, at, "TEXT_MESSAGE_START", violations); break;
      case "TOOL_CALL_START": open(openTools, event.toolCallId, at, "TOOL_CALL_START", violations); break;
      case "TOOL_CALL_ARGS": inside(openTools, event.toolCallId, at, "TOOL_CALL_START/END", violations); break;
      case "TOOL_CALL_END": close(openTools, event.toolCallId, at, "TOOL_CALL_START", violations); break;
      case "REASONING_START": open(openReasoning, event.messageId, at, "REASONING_START", violations); break;
      case "REASONING_END": close(openReasoning, event.messageId, at, "REASONING_START", violations); break;
      case "REASONING_MESSAGE_START": open(openReasoningMessages, event.messageId, at, "REASONING_MESSAGE_START", violations); break;
      case "REASONING_MESSAGE_CONTENT": inside(openReasoningMessages, event.messageId, at, "REASONING_MESSAGE_START/END", violations); break;
      case "REASONING_MESSAGE_END": close(openReasoningMessages, event.messageId, at, "REASONING_MESSAGE_START", violations); break;
    }
  });
  if (terminal < 0) violations.push("no RUN_FINISHED or RUN_ERROR reached the client");
  else if (terminal !== events.length - 1) violations.push(`RUN_FINISHED/RUN_ERROR (event ${terminal}) is not the last event`);
  for (const [set, what] of [[openText, "TEXT_MESSAGE_START"], [openTools, "TOOL_CALL_START"],
    [openReasoning, "REASONING_START"], [openReasoningMessages, "REASONING_MESSAGE_START"]]) {
    for (const id of set) violations.push(`${what} '${id}' was not closed`);
  }
  return violations;
}

function open(set, id, at, what, violations) {
  if (set.has(id)) violations.push(`${at}: ${what} '${id}' while one with that id is still open`);
  set.add(id);
}

function inside(set, id, at, pair, violations) {
  if (!set.has(id)) violations.push(`${at}: outside ${pair} of '${id}'`);
}

function close(set, id, at, what, violations) {
  if (!set.delete(id)) violations.push(`${at}: closes '${id}' but no ${what} of that id is open`);
}

function checkSchemas(events, schemas) {
  const violations = [];
  events.forEach((event, index) => {
    const result = schemas.EventSchemas.safeParse(event);
    if (!result.success) {
      const issues = result.error.issues.map((issue) => `${issue.path.join(".") || "(event)"}: ${issue.message}`).join("; ");
      violations.push(`event ${index} (${event?.type}) fails @ag-ui/core's schema: ${issues}`);
    }
  });
  return violations;
}

function readInput(source) {
  const text = readFileSync(source === "-" ? 0 : source, "utf8");
  return JSON.parse(text);
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  // CommonJS resolution from the install folder: one copy of each package (the client and the schemas share zod
  // and @ag-ui/core), and no dependence on where this script was copied to.
  const require = createRequire(path.join(path.resolve(options.clientRoot), "package.json"));
  const { HttpAgent } = require("@ag-ui/client");
  const schemas = require("@ag-ui/core/schemas");
  const { tap } = require("rxjs");

  const input = readInput(options.input);
  const agent = new HttpAgent({
    url: options.url,
    headers: options.headers,
    threadId: input.threadId,
    initialMessages: input.messages ?? [],
    initialState: input.state,
  });

  const events = [];
  let sent = null;
  // A middleware sits between the client's transport and its own verification: it sees each event exactly as the
  // client parsed it off the wire, including the one its verifier then rejects.
  agent.use((runInput, next) => {
    sent = runInput;
    return next.run(runInput).pipe(tap((event) => events.push(event)));
  });

  let error = null;
  let timer;
  const deadline = new Promise((resolve) => {
    timer = setTimeout(() => {
      error = `no end of the run within ${options.timeoutMs} ms`;
      agent.abortRun();
      resolve();
    }, options.timeoutMs);
  });
  const run = agent.runAgent({
    runId: input.runId,
    tools: input.tools,
    context: input.context,
    forwardedProps: input.forwardedProps,
    resume: input.resume,
  }).catch((caught) => {
    error ??= caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
  });
  await Promise.race([run, deadline]);
  clearTimeout(timer);

  const violations = [...checkSchemas(events, schemas), ...checkOrder(events, sent)];
  process.stdout.write(JSON.stringify({ input: sent, events, violations, error, messages: agent.messages }) + "\n");
}

main().then(
  () => process.exit(0),
  (caught) => {
    console.error(`agui-run: ${caught?.stack ?? caught}`);
    process.exit(1);
  });
