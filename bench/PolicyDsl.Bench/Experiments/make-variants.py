#!/usr/bin/env python3
"""Writes the emitter-variant experiments from AsEmitted.g.cs (a copy of the generator's output for the ten
benchmarked rules): each variant is the same text with the edits an emitter change would make."""
import re, pathlib
here = pathlib.Path(__file__).parent
base = (here / "AsEmitted.g.cs").read_text()

def variant(name, edits, doc):
    text = base.replace("class AsEmitted", "class " + name).replace("copied from the generator's output", doc + "; derived from the generator's output")
    for old, new in edits:
        text2 = re.sub(old, new, text, flags=re.S)
        if text2 == text: raise SystemExit(f"{name}: edit {old!r} matched nothing")
        text = text2
    (here / f"{name}.g.cs").write_text(text)

money = [(r"amount \* 10000m, null, null\);", "amount, null, null);")]
folded = [
    (r"(facts\.\w+) < 0m", r"decimal.IsNegative(\1)"),
    (r"\((facts\.\w+) \* 12m\) >= 36m", r"\1 >= 3m"),
    (r"\((facts\.\w+) \* 12m\) <= 24m", r"\1 <= 2m"),
    (r"\((facts\.\w+) \* 10000m\) >= 100000m", r"\1 >= 10m"),
    (r" / 1m\)", ")"),
    (r"\(12m / 12m\)", "1m"),
    (r"\(decimal\)\(int\)(facts\.\w+) >= 2m", r"(int)\1 >= 2"),
    (r"\(\(facts\.OtherInvestment \* 10000m\) \+ \(\((.*?)\) \* \(facts\.FirstRoundInvestment \* 10000m\)\)\)", r"(facts.OtherInvestment + ((\1) * facts.FirstRoundInvestment))"),
    (r"let_counted_investment >= 5000000m", "let_counted_investment >= 500m"),
    (r"let_counted_investment \* 2m / 1000000m", "let_counted_investment * 2m / 100m"),
]
variant("NoMoneyMultiply", money, "the money ceiling not multiplied out on every award")
variant("Folded", money + folded, "money ceiling not multiplied out; unit conversions folded into constants; sign checks as bit tests")

# The try/catch around each body removed (the checker's ranges could prove no division by zero and no overflow).
notry = [
    (r"\n        try\n        \{\n", "\n        {\n"),
    (r"\n        catch \(global::System\.DivideByZeroException\)\n        \{.*?\n        \}\n        catch \(global::System\.OverflowException\)\n        \{.*?\n        \}\n        catch \(global::PolicyDsl\.Runtime\.EvaluationProblemException problem\)\n        \{.*?\n        \}", ""),
]
variant("NoTry", money + folded + notry, "as Folded, and no try/catch")
# The award returned as its amount (a 16-byte decimal instead of the ~100-byte Award struct).
amount = [
    (r"public static global::PolicyDsl\.Runtime\.Award (\w+)\(", r"public static decimal \1("),
    (r"return new global::PolicyDsl\.Runtime\.Award\([^,]+, ([^,]+), [^;]*\);", r"return \1;"),
]
variant("AmountOnly", money + folded + notry + amount, "as NoTry, returning the amount only")
