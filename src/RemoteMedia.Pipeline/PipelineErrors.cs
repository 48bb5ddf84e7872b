namespace RemoteMedia.Pipeline;

/// <summary>
/// Pipeline failures are <see cref="RemoteMediaException"/>s whose message starts with the failing node, and whose
/// <see cref="Exception.Data"/> carries its id under <see cref="NodeIdKey"/>; the node's own exception is the inner one.
/// </summary>
public static class PipelineErrors
{
    public const string NodeIdKey = "RemoteMedia.Pipeline.NodeId";

    /// <summary>The id of the node that failed, when the exception came from a pipeline node.</summary>
    public static string? FailingNodeId(Exception exception) =>
        exception?.Data[NodeIdKey] as string;

    internal static RemoteMediaException NodeFailed(string pipelineId, string nodeId, string kind, string operation, Exception inner)
    {
        var code = inner is RemoteMediaException rme ? rme.ErrorCode : ErrorCode.Internal;
        var error = new RemoteMediaException(code,
            $"pipeline '{pipelineId}': node '{nodeId}' ({kind}) failed in {operation}: {inner.Message}", null, inner);
        error.Data[NodeIdKey] = nodeId;
        return error;
    }

    internal static RemoteMediaException NodeConfig(string nodeId, string kind, Exception inner)
    {
        var code = inner is RemoteMediaException rme ? rme.ErrorCode : ErrorCode.InvalidConfig;
        var error = new RemoteMediaException(code, $"node '{nodeId}' ({kind}): {inner.Message}", null, inner);
        error.Data[NodeIdKey] = nodeId;
        return error;
    }
}
