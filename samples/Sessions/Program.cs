// Sessions on the real codex app-server (CodexClient + CodexSession): memory across asks, resuming a thread on a new
// codex process, forking it, interrupting a streamed turn, and answering approvals in code or from the event stream.
// By default codex talks to CodexRuntime.Testing's FakeModelServer (offline); --real uses your own codex login.
//
// Usage: dotnet run --project samples/Sessions [-- --real]
using CodexRuntime;
using CodexRuntime.Testing;

var real = args.Contains("--real");
var config = new ClientConfig { DefaultProfile = new RunProfile { Timeout = TimeSpan.FromSeconds(60) } };
await using var model = real ? null : FakeModelServer.Start();
using var home = model is null ? null : TemporaryCodexHome.Create(model, approvalPolicy: "on-request");
var workspace = Directory.CreateTempSubdirectory("codex-sessions-").FullName;   // the approved commands write here
if (model is not null && home is not null)
{
    // One scripted answer per model call, in order. Recall answers from what codex sent: the thread's history.
    model.Enqueue(
        FakeModelResponse.Text("Noted."),
        Recall("The code word is "),
        Recall("Resumed on a new process; the code word is still "),
        Recall("A fork starts with the same history: "),
        FakeModelResponse.StreamedText(Enumerable.Range(1, 40).Select(i => $"Chapter {i}. "), TimeSpan.FromMilliseconds(100)),
        FakeModelResponse.ExecCommand("touch approved-by-handler.txt", requestEscalation: true, justification: "The user asked for this file."),
        FakeModelResponse.Text("I created approved-by-handler.txt."),
        FakeModelResponse.ExecCommand("touch approved-in-stream.txt", requestEscalation: true, justification: "The user asked for this file."),
        FakeModelResponse.Text("I created approved-in-stream.txt."));
    home.ApplyTo(config.Runtime.Process);   // CODEX_HOME points at the fake model; HOME is an empty folder
}

Console.WriteLine(model is null
    ? "model: the real model, with your codex login (~/.codex or CODEX_HOME)"
    : $"model: FakeModelServer at {model.BaseUrl} (offline: nothing leaves this machine)");
try
{
    // 1. Memory: two asks in one session share its thread. Disposing the client lets the thread go, not deleted.
    string threadId;
    await using (var first = new CodexClient(config))
    {
        var session = await first.StartSessionAsync(new SessionConfig(workspace));
        await Ask(session, "Remember the code word pelican. Reply with 'Noted.'");
        await Ask(session, "What is the code word?");
        threadId = session.ThreadId;
        Console.WriteLine($"codex pid {first.ProcessId} stops; thread {threadId} stays on disk in CODEX_HOME");
    }

    await using var client = new CodexClient(config);   // a new codex process, same CODEX_HOME

    // 2. Resume the thread on the new process, and fork it (a new thread with a copy of the history).
    await using (var resumed = await client.ResumeSessionAsync(threadId, new SessionConfig(workspace)))
    {
        Console.WriteLine($"codex pid {client.ProcessId} resumed thread {resumed.ThreadId}");
        await Ask(resumed, "Do you still know the code word?");
    }

    var fork = await client.ForkSessionAsync(threadId, new SessionConfig(workspace));
    Console.WriteLine($"forked thread {threadId} into {fork.ThreadId}");
    await Ask(fork, "Which code word did we agree on?");
    await fork.CloseAsync();   // archives the fork's thread

    // 3. Stream a long answer and interrupt it after the first piece of text.
    await using (var storyteller = await client.StartSessionAsync(new SessionConfig(workspace)))
    {
        await using var turn = await storyteller.AskStreamingAsync("Tell me a very long story.");
        Console.Write("streamed: ");
        var interrupting = false;
        await foreach (var e in turn)
        {
            if (e is MessageDeltaEvent delta)
            {
                Console.Write(delta.Delta);
                if (!interrupting)
                {
                    interrupting = true;
                    await storyteller.InterruptAsync();   // the turn ends as interrupted; the stream ends with it
                }
            }
            else if (e is TurnCompletedEvent done)
            {
                Console.WriteLine($"\nturn ended: {done.Result.Status}");
            }
        }

        try
        {
            await turn.GetResultAsync();   // AskAsync maps the status the same way
        }
        catch (CodexRunInterruptedException interrupted)
        {
            Console.WriteLine($"GetResultAsync/AskAsync threw {nameof(CodexRunInterruptedException)}; partial text: \"{interrupted.PartialResult?.Text}\"");
        }
    }

    // 4a. Approvals decided in code: codex may ask to run a command outside the read-only sandbox (on-request).
    var decideInCode = new RunProfile
    {
        ApprovalPolicy = CodexApprovalPolicy.OnRequest,
        Timeout = TimeSpan.FromSeconds(60),
        Approvals = CodexApprovalHandler.Ask((request, _) =>
        {
            var decision = request.Command?.Contains("touch ", StringComparison.Ordinal) == true ? CodexApprovalDecision.Accept : CodexApprovalDecision.Decline;
            Console.WriteLine($"approval handler: {request.Kind} '{request.Command}' ({request.Reason}) -> {decision}");
            return ValueTask.FromResult(decision);
        }),
    };
    await using (var session = await client.StartSessionAsync(new SessionConfig(workspace, decideInCode)))
    {
        await Ask(session, "Create an empty file named approved-by-handler.txt here.");
        Console.WriteLine($"approved-by-handler.txt exists: {File.Exists(Path.Combine(workspace, "approved-by-handler.txt"))}");
    }

    // 4b. Approvals answered from the event stream (the profile's handler, DeclineAll by default, answers the rest).
    var askTheStream = new RunProfile { ApprovalPolicy = CodexApprovalPolicy.OnRequest, Timeout = TimeSpan.FromSeconds(60) };
    await using (var session = await client.StartSessionAsync(new SessionConfig(workspace, askTheStream)))
    {
        await using var turn = await session.AskStreamingAsync("Create an empty file named approved-in-stream.txt here.");
        await foreach (var e in turn)
        {
            if (e is ApprovalRequestedEvent approval)
            {
                Console.WriteLine($"approval from the stream: {approval.Request.Kind} '{approval.Request.Command}' -> Accept");
                await approval.Request.RespondAsync(CodexApprovalDecision.Accept);
            }
            else if (e is TurnCompletedEvent done)
            {
                Console.WriteLine($"codex: {done.Result.Text} ({done.Result.Status})");
            }
        }

        Console.WriteLine($"approved-in-stream.txt exists: {File.Exists(Path.Combine(workspace, "approved-in-stream.txt"))}");
    }

    return 0;
}
catch (Exception ex) when (ex is CodexException or ArgumentException)
{
    Console.Error.WriteLine($"Sessions failed: {ex.GetType().Name}: {ex.Message}");
    return 1;
}
finally
{
    Directory.Delete(workspace, recursive: true);
}

static async Task Ask(CodexSession session, string prompt)
{
    var result = await session.AskAsync(prompt);
    Console.WriteLine($"[thread {result.ThreadId}] {prompt} -> {result.Text}");
}

static FakeModelResponse Recall(string prefix) => FakeModelResponse.FromRequest("answer from the history", request =>
    FakeModelResponse.Text(request.Body.Contains("pelican", StringComparison.Ordinal) ? prefix + "pelican." : "I know no code word."));
