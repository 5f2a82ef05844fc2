using CodexRuntime.Protocol;
using CodexRuntime.Serialization;

namespace CodexRuntime.Tests.Protocol;

public sealed class CatalogTests
{
    [Fact]
    public void Catalog_covers_the_pinned_schema()
    {
        // From build/schema/0.171.0: 110 stable client requests, 189 with experimental ones; 87 notifications; 10 server requests.
        Assert.Equal(189, CodexMethods.All.Count);
        Assert.Equal(110, CodexMethods.All.Count(m => m.Stability == CodexStability.Stable));
        Assert.Equal(87, CodexNotifications.All.Count);
        Assert.Equal(10, CodexServerRequests.All.Count);
        Assert.Equal(CodexMethods.All.Count, CodexMethods.All.Select(m => m.Name).Distinct().Count());
    }

    [Fact]
    public void Entries_carry_names_types_stability_and_floor_availability()
    {
        Assert.Equal("thread/start", CodexMethods.ThreadStart.Name);
        Assert.Equal(typeof(ThreadStartParams), CodexMethods.ThreadStart.ParamsType);
        Assert.Equal(typeof(ThreadStartResponse), CodexMethods.ThreadStart.ResultType);
        Assert.True(CodexMethods.ThreadStart.AvailableInFloorVersion);
        Assert.Contains("mockExperimentalField", CodexMethods.ThreadStart.ExperimentalFields);
        Assert.False(CodexMethods.FsReadFile.AvailableInFloorVersion);
        Assert.Equal(CodexStability.Experimental, CodexMethods.Find("collaborationMode/list")!.Stability);
        Assert.Null(CodexMethods.Find("newConversation")); // 0.104.0's v1 API is not in the pinned protocol.
        Assert.True(CodexNotifications.Find("turn/completed")!.AvailableInFloorVersion);
        Assert.False(CodexNotifications.Find("serverRequest/resolved")!.AvailableInFloorVersion);
        Assert.Equal(typeof(CommandExecutionRequestApprovalResponse), CodexServerRequests.Find("item/commandExecution/requestApproval")!.ResponseType);
        Assert.Equal("0.171.0", CodexProtocolVersions.Pinned.ToString());
        Assert.Equal("0.104.0", CodexProtocolVersions.Floor.ToString());
    }

    [Fact]
    public void Each_entry_knows_the_oldest_checked_in_release_that_has_it()
    {
        // build/schema keeps 0.104.0 (floor), 0.169.0 (the previous newest) and 0.171.0 (pinned).
        Assert.Equal("0.104.0", CodexMethods.ThreadStart.Since.ToString());
        Assert.Equal("0.169.0", CodexMethods.FsReadFile.Since.ToString());
        Assert.Equal("0.171.0", CodexMethods.Find("modelProvider/default/set")!.Since.ToString());
        Assert.Equal("0.171.0", CodexNotifications.Find("thread/search/partial")!.Since.ToString());
        Assert.Equal("0.169.0", CodexNotifications.Find("serverRequest/resolved")!.Since.ToString());
        Assert.Null(CodexServerRequests.Find("currentTime/read")); // 0.171.0 dropped it
        Assert.All(CodexMethods.All, method => Assert.Equal(method.Since <= CodexProtocolVersions.Floor, method.AvailableInFloorVersion));
    }

    [Fact]
    public void Every_catalog_type_is_registered_in_the_one_serializer_context()
    {
        // Reflection-based JSON is off in this test project: an unregistered type throws here.
        var types = CodexMethods.All.SelectMany(m => new[] { m.ParamsType, m.ResultType })
            .Concat(CodexNotifications.All.Select(n => n.PayloadType))
            .Concat(CodexServerRequests.All.SelectMany(r => new[] { r.ParamsType, r.ResponseType }))
            .Distinct();
        Assert.All(types, type => Assert.NotNull(CodexJsonContext.WireOptions.GetTypeInfo(type)));
    }
}
