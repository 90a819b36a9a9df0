namespace ExecutionTrap.LoadHarness;

/// <summary>Measured figures and PASS/FAIL checks, printed as they come and summed up at the end.</summary>
internal sealed class CheckReport
{
    private readonly List<(string Name, bool Passed, string Detail)> _checks = [];

    public bool AllPassed => _checks.All(c => c.Passed);

    public static void Section(string title)
    {
        Console.WriteLine();
        Console.WriteLine($"== {title}");
    }

    public static void Measure(string name, string value) => Console.WriteLine($"   {name,-44} {value}");

    public bool Check(string name, bool passed, string detail)
    {
        _checks.Add((name, passed, detail));
        Console.WriteLine($"   [{(passed ? "PASS" : "FAIL")}] {name}: {detail}");
        return passed;
    }

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine("== Summary");
        foreach (var (name, passed, detail) in _checks)
        {
            Console.WriteLine($"   [{(passed ? "PASS" : "FAIL")}] {name}: {detail}");
        }

        Console.WriteLine($"   {_checks.Count(c => c.Passed)} passed, {_checks.Count(c => !c.Passed)} failed");
    }
}
