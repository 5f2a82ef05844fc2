// The real codex versions are shared by every test project (tests/Shared/CodexVersions.cs); the alias keeps the name in this project's tests.
global using CodexVersions = CodexRuntime.Tests.Shared.CodexVersions;
