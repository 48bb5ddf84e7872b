namespace RemoteMedia.Interop.Generator;

public static class RepoPaths
{
    /// <summary>Walks up from <paramref name="start"/> to the folder holding RemoteMedia.sln.</summary>
    public static string? FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RemoteMedia.sln")))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
