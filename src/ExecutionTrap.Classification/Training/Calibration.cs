namespace ExecutionTrap.Classification.Training;

/// <summary>Temperature scaling: one number that divides every logit, chosen to minimise log-loss.</summary>
internal static class Calibration
{
    private const double MinLogTemperature = -3; // e^-3 ≈ 0.05
    private const double MaxLogTemperature = 3;  // e^3 ≈ 20
    private const int Iterations = 60;

    /// <summary>The temperature in [0.05, 20] with the lowest mean negative log-likelihood of <paramref name="truth"/>.</summary>
    public static double FitTemperature(IReadOnlyList<double[]> logits, IReadOnlyList<int> truth) =>
        Minimise(t => LogLoss(logits, truth, t));

    /// <summary>The temperature in [0.05, 20] that minimises <paramref name="loss"/>.</summary>
    public static double Minimise(Func<double, double> loss)
    {
        // The log-loss is convex in 1/T, so it is unimodal in log T: golden-section search finds its minimum.
        var ratio = (Math.Sqrt(5) - 1) / 2;
        double low = MinLogTemperature, high = MaxLogTemperature;
        var a = high - (ratio * (high - low));
        var b = low + (ratio * (high - low));
        var lossA = loss(Math.Exp(a));
        var lossB = loss(Math.Exp(b));
        for (var i = 0; i < Iterations; i++)
        {
            if (lossA <= lossB)
            {
                high = b;
                b = a;
                lossB = lossA;
                a = high - (ratio * (high - low));
                lossA = loss(Math.Exp(a));
            }
            else
            {
                low = a;
                a = b;
                lossA = lossB;
                b = low + (ratio * (high - low));
                lossB = loss(Math.Exp(b));
            }
        }

        return Math.Round(Math.Exp((low + high) / 2), 6);
    }

    /// <summary>Mean squared distance between the probabilities and the one-hot truth.</summary>
    public static double BrierScore(IReadOnlyList<double[]> logits, IReadOnlyList<int> truth, double temperature)
    {
        var total = 0.0;
        for (var i = 0; i < logits.Count; i++)
        {
            var p = new double[logits[i].Length];
            TrainedMeetingModel.Softmax(logits[i], temperature, p);
            for (var c = 0; c < p.Length; c++)
            {
                var target = c == truth[i] ? 1 : 0;
                total += (p[c] - target) * (p[c] - target);
            }
        }

        return logits.Count == 0 ? 0 : total / logits.Count;
    }

    public static double LogLoss(IReadOnlyList<double[]> logits, IReadOnlyList<int> truth, double temperature)
    {
        var total = 0.0;
        for (var i = 0; i < logits.Count; i++)
        {
            var z = logits[i];
            var max = z.Max();
            var sum = 0.0;
            foreach (var value in z)
            {
                sum += Math.Exp((value - max) / temperature);
            }

            total += Math.Log(sum) - ((z[truth[i]] - max) / temperature);
        }

        return logits.Count == 0 ? 0 : total / logits.Count;
    }
}
