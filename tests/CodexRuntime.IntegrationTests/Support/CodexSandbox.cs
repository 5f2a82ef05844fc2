// The real-codex sandbox is shared by every test project (tests/Shared/CodexSandbox.cs); the alias keeps this project's name for it.
global using CodexSandbox = CodexRuntime.Tests.Shared.CodexSandbox;
