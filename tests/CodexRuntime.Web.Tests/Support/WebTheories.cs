using CodexRuntime.Protocol;

namespace CodexRuntime.Web.Tests.Support;

/// <summary>The real-binary theories' data: the newest and the floor codex, and each with both approval answers.</summary>
public static class WebTheories
{
    public static readonly string[] VersionNames = [CodexProtocolVersions.Pinned.ToString(), CodexProtocolVersions.Floor.ToString()];

    public static TheoryData<string> Versions => new(VersionNames);

    public static TheoryData<string, string> ApprovalCases
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var version in VersionNames)
            {
                data.Add(version, "accept");
                data.Add(version, "decline");
            }

            return data;
        }
    }
}
