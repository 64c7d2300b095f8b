using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace PolicyDsl.Bench.Evaluation;

/// <summary>
/// Inputs and the floor for the whole-process `policyc eval` benchmark (bench/eval-scale.sh):
///   csv ENTERPRISES FILE [--shuffle]  one application per benchmarked rule per enterprise (ten rows each), the
///                                     facts of <see cref="ApplicationGenerator"/>, as the wide applications CSV
///                                     `policyc eval` reads; --shuffle writes the same rows in a random order
///   parse FILE                        the floor: reads and parses the same CSV (split, every date, number and yes/no
///                                     converted) and nothing else
/// </summary>
public static class EvalFiles
{
    private static readonly string[] FactColumns =
    [
        "rated_shortboard_project", "rd_investment", "attached_to_property_insurance", "premium", "sensitive_industry",
        "new_equipment_investment", "implementation_period", "annual_fee", "equivalent_purchase_investment", "overseas_exhibition",
        "booth_fee", "recognized_or_filed", "rented_area", "rent_months", "cooperation_funding", "paid_development_fee",
        "via_managed_fund", "early_stage_tech_investee", "other_investment", "first_round_investment", "holding_period",
        "tourism_enterprise", "organized_by_authority", "fair_level", "smallest_group_size", "fewest_paid_spots",
        "lowest_room_rate", "fewest_nights", "annual_visitors",
    ];

    private static string B(bool b) => b ? "true" : "false";

    private static string D(decimal d) => d.ToString(CultureInfo.InvariantCulture);

    /// <summary>The facts one rule's row gives (column → cell).</summary>
    internal static (string Column, string Cell)[] Facts(int rule, Application a) => rule switch
    {
        0 => [("rated_shortboard_project", B(a.RatedShortboardProject)), ("rd_investment", D(a.RdInvestment))],
        1 => [("attached_to_property_insurance", B(a.AttachedToPropertyInsurance)), ("premium", D(a.Premium))],
        2 => [("sensitive_industry", B(a.SensitiveIndustry)), ("new_equipment_investment", D(a.NewEquipmentInvestment)), ("implementation_period", D(a.ImplementationPeriodYears))],
        3 => [("sensitive_industry", B(a.SensitiveIndustry)), ("annual_fee", D(a.AnnualFee)), ("equivalent_purchase_investment", D(a.EquivalentPurchaseInvestment))],
        4 => [("overseas_exhibition", B(a.OverseasExhibition)), ("booth_fee", D(a.ExhibitionBoothFee))],
        5 => [("recognized_or_filed", B(a.RecognizedOrFiled)), ("rented_area", D(a.RentedArea)), ("rent_months", D(a.RentMonths))],
        6 => [("cooperation_funding", D(a.CooperationFundingWan)), ("paid_development_fee", D(a.PaidDevelopmentFee))],
        7 => [("via_managed_fund", B(a.ViaManagedFund)), ("early_stage_tech_investee", B(a.EarlyStageTechInvestee)), ("other_investment", D(a.OtherInvestmentWan)),
              ("first_round_investment", D(a.FirstRoundInvestmentWan)), ("holding_period", D(a.HoldingPeriodYears))],
        8 => [("tourism_enterprise", B(a.TourismEnterprise)), ("organized_by_authority", B(a.OrganizedByAuthority)), ("fair_level", a.FairLevel.ToString(CultureInfo.InvariantCulture)),
              ("booth_fee", D(a.FairBoothFee))],
        _ => [("smallest_group_size", D(a.SmallestGroupSize)), ("fewest_paid_spots", D(a.FewestPaidSpots)), ("lowest_room_rate", D(a.LowestRoomRate)),
              ("fewest_nights", D(a.FewestNights)), ("annual_visitors", D(a.AnnualVisitors))],
    };

    public static int WriteCsv(int enterprises, string path, bool shuffle)
    {
        var rng = new SplitMix64(ApplicationGenerator.DefaultSeed);
        var lines = shuffle ? new List<string>(enterprises * BenchRules.Count) : null;
        using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        w.Write("id,enterprise,rule,date,subject," + string.Join(",", FactColumns.Select(c => "fact." + c)) + "\n");
        var cells = new string[FactColumns.Length];
        for (var e = 0; e < enterprises; e++)
        {
            var a = ApplicationGenerator.Next(ref rng);
            for (var r = 0; r < BenchRules.Count; r++)
            {
                Array.Fill(cells, "");
                foreach (var (column, cell) in Facts(r, a)) cells[Array.IndexOf(FactColumns, column)] = cell;
                // One date per rule of the enterprise (2026-01-05, 2026-02-06, ...): the order within an enterprise is the date order.
                var line = string.Create(CultureInfo.InvariantCulture,
                    $"A{e:D7}-{r},E{e:D7},{BenchRules.Names[r]},2026-{1 + r:D2}-{5 + r:D2},P{e:D7}-{r},{string.Join(",", cells)}\n");
                if (lines is null) w.Write(line); else lines.Add(line);
            }
        }
        if (lines is not null)
        {
            var order = new SplitMix64(7);
            for (var i = lines.Count - 1; i > 0; i--)
            {
                var j = (int)(order.NextUInt64() % (ulong)(i + 1));
                (lines[i], lines[j]) = (lines[j], lines[i]);
            }
            foreach (var line in lines) w.Write(line);
        }
        return 0;
    }

    /// <summary>Reads the CSV and converts every cell as the columns' kinds; prints the rows and a checksum.</summary>
    public static int Parse(string path)
    {
        var watch = Stopwatch.StartNew();
        using var reader = new StreamReader(path, Encoding.UTF8, false, 1 << 16);
        reader.ReadLine();
        long rows = 0;
        decimal sum = 0;
        var yes = 0;
        while (reader.ReadLine() is { } line)
        {
            rows++;
            var span = line.AsSpan();
            var column = 0;
            foreach (var range in span.Split(','))
            {
                var cell = span[range];
                if (column == 3) sum += DateOnly.ParseExact(cell, "yyyy-MM-dd", CultureInfo.InvariantCulture).Day;
                else if (column >= 5 && cell.Length > 0)
                {
                    if (cell[0] is 't' or 'f') yes += cell[0] == 't' ? 1 : 0;
                    else sum += decimal.Parse(cell, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
                }
                column++;
            }
        }
        Console.WriteLine($"{rows} rows parsed in {watch.ElapsedMilliseconds} ms (checksum {sum.ToString(CultureInfo.InvariantCulture)}, {yes} yes)");
        return 0;
    }
}
