namespace MlopsTf.Tests.Support;

/// <summary>One slow run per stack (terraform, a script), a few at a time, collected by stack name.</summary>
public static class ParallelRuns
{
    public static IReadOnlyDictionary<string, T> Collect<T>(IEnumerable<string> stacks, int parallelism, Func<string, T> run)
    {
        var results = new System.Collections.Concurrent.ConcurrentDictionary<string, T>();
        Parallel.ForEach(stacks, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, stack => results[stack] = run(stack));
        return results;
    }
}
