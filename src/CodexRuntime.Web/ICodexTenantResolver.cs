using Microsoft.AspNetCore.Http;

namespace CodexRuntime.Web;

/// <summary>Who the caller is, as a tenant: every session belongs to exactly one. Replace it to map users to tenants your way.</summary>
public interface ICodexTenantResolver
{
    /// <summary>The caller's tenant; null when the caller is not authenticated (the request gets 401).</summary>
    /// <param name="context">The request.</param>
    /// <returns>The tenant or null.</returns>
    string? Resolve(HttpContext context);
}

/// <summary>The default resolver: the authenticated user's name identifier claim, else their name.</summary>
public sealed class ClaimsTenantResolver : ICodexTenantResolver
{
    /// <inheritdoc />
    public string? Resolve(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var id = user.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value ?? user.Identity.Name;
        return string.IsNullOrEmpty(id) ? null : id;
    }
}
