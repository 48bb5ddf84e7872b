using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace RemoteMedia.Server.Security;

/// <summary>
/// Decides who may use the server's HTTP surface. With <see cref="VoiceServerOptions.AccessToken"/> set, <c>/ws</c>,
/// <c>/connections</c> and <c>/metrics</c> need it (<c>?token=</c>, or <c>Authorization: Bearer</c> where a client can
/// set headers); <c>/health</c> and the page stay open. Browsers opening <c>/ws</c> must come from this server's own
/// page or an origin in <see cref="VoiceServerOptions.AllowedOrigins"/>: otherwise any site the user visits could
/// place calls to a server on their localhost.
/// </summary>
internal sealed class AccessGate(IOptions<VoiceServerOptions> options, ILogger<AccessGate> logger)
{
    private readonly byte[]? token = string.IsNullOrEmpty(options.Value.AccessToken) ? null : Encoding.UTF8.GetBytes(options.Value.AccessToken);
    private readonly string[] allowedOrigins = [.. options.Value.AllowedOrigins.Select(o => o.TrimEnd('/'))];

    private static bool NeedsToken(PathString path) =>
        path.StartsWithSegments("/ws") || path.StartsWithSegments("/connections") || path.StartsWithSegments("/metrics");

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        if (NeedsToken(path) && !TokenAccepted(context.Request))
        {
            logger.LogWarning("refused {Path} from {Remote}: missing or wrong access token", path, context.Connection.RemoteIpAddress);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return;
        }
        if (path.StartsWithSegments("/ws") && !OriginAllowed(context.Request))
        {
            logger.LogWarning("refused /ws from origin {Origin}: not this server's page and not in VoiceServer:AllowedOrigins", context.Request.Headers.Origin.ToString());
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        await next(context);
    }

    public bool TokenAccepted(HttpRequest request)
    {
        if (token is null)
        {
            return true;
        }
        var given = request.Query["token"].ToString();
        var authorization = request.Headers.Authorization.ToString();
        if (given.Length == 0 && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            given = authorization["Bearer ".Length..].Trim();
        }
        // Constant time, so the token cannot be found byte by byte from response times (only its length can).
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), token);
    }

    /// <summary>
    /// Clients that are not browsers send no Origin and are let through (the token, when set, still applies);
    /// a browser's Origin must be this server's own scheme, host and port, or listed (<c>*</c> lists every origin).
    /// </summary>
    public bool OriginAllowed(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }
        origin = origin.TrimEnd('/');
        if (allowedOrigins.Any(o => o == "*" || string.Equals(o, origin, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
