using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.NetworkInformation;
using System.Runtime.InteropServices;

namespace RemoteMedia.WebRtc.Tests.EndToEnd;

/// <summary>
/// A private network namespace with only <c>lo</c>, owned by one dedicated thread: that thread calls
/// unshare(CLONE_NEWNET), so every socket it creates and every process it starts lives in the namespace
/// (sockets keep their namespace when other threads use them). Nothing inside can reach any other host.
/// </summary>
internal sealed partial class NetworkNamespace : IDisposable
{
    private const int CloneNewNet = 0x40000000;
    private readonly BlockingCollection<Action> work = [];
    private readonly Thread thread;

    private NetworkNamespace()
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        thread = new Thread(() =>
        {
            try
            {
                if (unshare(CloneNewNet) != 0)
                {
                    throw new InvalidOperationException(
                        $"unshare(CLONE_NEWNET) failed (errno {Marshal.GetLastPInvokeError()}): these tests need root or CAP_SYS_ADMIN to make a private network namespace");
                }

                using (var ip = Process.Start(new ProcessStartInfo("ip", "link set lo up") { UseShellExecute = false })!)
                {
                    if (!ip.WaitForExit(10_000) || ip.ExitCode != 0)
                    {
                        throw new InvalidOperationException("`ip link set lo up` failed inside the namespace (is iproute2 installed?)");
                    }
                }

                var names = NetworkInterface.GetAllNetworkInterfaces().Select(i => i.Name).ToArray();
                if (names is not ["lo"])
                {
                    throw new InvalidOperationException("the namespace is not private: interfaces " + string.Join(",", names));
                }

                ready.SetResult();
            }
            catch (Exception e)
            {
                ready.SetException(e);
                return;
            }

            foreach (var item in work.GetConsumingEnumerable())
            {
                item();
            }
        }) { IsBackground = true, Name = "netns" };
        thread.Start();
        ready.Task.GetAwaiter().GetResult();
    }

    internal static NetworkNamespace Create() => new();

    /// <summary>Runs <paramref name="f"/> on the namespace thread (sockets and processes it makes are inside).</summary>
    internal T Run<T>(Func<T> f)
    {
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        work.Add(() =>
        {
            try
            {
                tcs.SetResult(f());
            }
            catch (Exception e)
            {
                tcs.SetException(e);
            }
        });
        return tcs.Task.GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        work.CompleteAdding();
        thread.Join(5000);
        work.Dispose();
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int unshare(int flags);
}
