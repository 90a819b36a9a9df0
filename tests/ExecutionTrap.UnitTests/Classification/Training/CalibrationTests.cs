using ExecutionTrap.Classification.Training;

namespace ExecutionTrap.UnitTests.Classification.Training;

public sealed class CalibrationTests
{
    [Fact]
    public void FitTemperature_RecoversTheTemperature_ThatGeneratedTheLabels()
    {
        // Labels drawn from softmax(z / 2): the best temperature for z is about 2.
        var random = new Random(11);
        var logits = new List<double[]>();
        var truth = new List<int>();
        for (var i = 0; i < 4000; i++)
        {
            var z = Enumerable.Range(0, 4).Select(_ => random.NextDouble() * 8).ToArray();
            var p = new double[4];
            TrainedMeetingModel.Softmax(z, 2.0, p);
            var u = random.NextDouble();
            var label = 0;
            for (var acc = p[0]; acc < u && label < 3; acc += p[++label])
            {
            }

            logits.Add(z);
            truth.Add(label);
        }

        var temperature = Calibration.FitTemperature(logits, truth);

        Assert.InRange(temperature, 1.8, 2.2);
        Assert.True(Calibration.LogLoss(logits, truth, temperature) < Calibration.LogLoss(logits, truth, 1.0));
    }

    [Fact]
    public void Softmax_SumsToOne_AndFlattens_AsTheTemperatureRises()
    {
        double[] z = [4, 1, 0];
        var cold = new double[3];
        var warm = new double[3];

        TrainedMeetingModel.Softmax(z, 1, cold);
        TrainedMeetingModel.Softmax(z, 3, warm);

        Assert.Equal(1, cold.Sum(), 9);
        Assert.Equal(1, warm.Sum(), 9);
        Assert.True(warm[0] < cold[0]);
    }
}
