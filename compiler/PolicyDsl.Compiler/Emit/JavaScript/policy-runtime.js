// PolicyDsl's JavaScript runtime: the counterpart of runtime/PolicyDsl.Runtime for the rules the JavaScript printer
// (Emit/JavaScript/JsEmitter.cs) prints. Written once, embedded in every printed policy. Exact arithmetic only:
// a decimal is {m: BigInt, s: scale 0..28} with .NET System.Decimal's semantics for the operations the plan uses
// (each result the exact value rounded half to even at the largest scale whose 96-bit mantissa fits, or an overflow);
// the scaled-integer path is BigInt. Texts are the interpreter's (PlanTexts, StepTexts): the printer passes them in.
"use strict";
const PD = (function () {
  const MAXM = (1n << 96n) - 1n;
  const P10 = [];
  for (let i = 0n; i <= 80n; i++) P10.push(10n ** i);
  const pow10 = (n) => (n < P10.length ? P10[n] : 10n ** BigInt(n));
  const abs = (x) => (x < 0n ? -x : x);
  const OVERFLOW = "the arithmetic overflowed a decimal";

  /** An evaluation problem in the interpreter's words (EvaluationProblem). */
  class Problem extends Error {}
  /** System.OverflowException. */
  class Overflow extends Error {}

  const D = (m, s) => ({ m, s });
  const ZERO = D(0n, 0);

  /** n / d rounded half to even (d > 0). */
  function roundDiv(n, d) {
    let q = n / d;
    let r = n % d;
    if (r === 0n) return q;
    const neg = r < 0n;
    if (neg) r = -r;
    const twice = 2n * r;
    if (twice > d || (twice === d && (q & 1n) !== 0n)) q += neg ? -1n : 1n;
    return q;
  }

  /** The exact value m × 10^-s as a decimal: rounded at the largest scale ≤ 28 that fits 96 bits. */
  function fit(m, s) {
    if (s <= 28 && abs(m) <= MAXM) return D(m, s);
    for (let k = Math.max(0, s - 28); ; k++) {
      if (s - k < 0) throw new Overflow(OVERFLOW);
      const r = roundDiv(m, pow10(k));
      if (abs(r) <= MAXM) return D(r, s - k);
    }
  }

  function add(a, b) {
    const s = Math.max(a.s, b.s);
    return fit(a.m * pow10(s - a.s) + b.m * pow10(s - b.s), s);
  }
  const neg = (a) => D(-a.m, a.s);
  const sub = (a, b) => add(a, neg(b));
  /** a × b. A zero product's scale is System.Decimal's: 0 when an operand needs more than 32 bits or more than 19 places
   *  are dropped, else the places the product keeps. */
  const W32 = 1n << 32n;
  function mul(a, b) {
    const p = fit(a.m * b.m, a.s + b.s);
    if (p.m !== 0n) return p;
    return abs(a.m) >= W32 || abs(b.m) >= W32 || a.s + b.s - 28 > 19 ? D(0n, 0) : p;
  }

  /** a / b as System.Decimal divides: exact where the quotient ends within 28 places (at the smallest such scale not
   *  below a.s - b.s), else rounded at the largest scale that fits. b is never 0 here (callers test it). */
  function div(a, b) {
    if (b.m === 0n) throw new Problem("division by zero");
    let num = a.m * pow10(b.s);
    let den = b.m * pow10(a.s);
    if (den < 0n) { num = -num; den = -den; }
    if (num === 0n) return D(0n, Math.max(0, a.s - b.s));
    for (let s = Math.max(0, a.s - b.s); s <= 28; s++) {
      const n = num * pow10(s);
      if (n % den === 0n) {
        const q = n / den;
        if (abs(q) <= MAXM) return D(q, s);
        break;
      }
    }
    // Not exact within 28 places: rounded at the largest scale that fits, its trailing zeros dropped (System.Decimal does).
    const least = Math.max(0, a.s - b.s);
    for (let s = 28; s >= 0; s--) {
      let q = roundDiv(num * pow10(s), den);
      if (abs(q) <= MAXM) {
        if (q === 0n) return D(0n, 0);
        while (s > least && q % 10n === 0n) { q /= 10n; s--; }
        return D(q, s);
      }
    }
    throw new Overflow(OVERFLOW);
  }

  function cmp(a, b) {
    const s = Math.max(a.s, b.s);
    const x = a.m * pow10(s - a.s);
    const y = b.m * pow10(s - b.s);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const lt = (a, b) => cmp(a, b) < 0;
  const min = (a, b) => (cmp(b, a) < 0 ? b : a);
  const max = (a, b) => (cmp(b, a) > 0 ? b : a);

  /** Math.Floor / Math.Ceiling / Math.Round(AwayFromZero) of a decimal: a whole number. */
  function whole(a, mode) {
    const p = pow10(a.s);
    let q = a.m / p;
    const r = a.m % p;
    if (r !== 0n) {
      if (mode === 0 && r < 0n) q -= 1n;
      else if (mode === 1 && r > 0n) q += 1n;
      else if (mode === 2 && 2n * abs(r) >= p) q += r < 0n ? -1n : 1n;
    }
    return D(q, 0);
  }
  const floor = (a) => whole(a, 0);

  /** AwardRounding.Round: value / step to whole steps (0 down, 1 up, 2 half up), times step. */
  const round = (value, step, mode) => mul(whole(div(value, step), mode), step);

  /** AwardRounding.UnderCaps: rounded as the rule says, or down where that passes the lowest cap limit. */
  function underCaps(amount, step, mode, lowest) {
    const rounded = round(amount, step, mode);
    return lowest !== null && cmp(rounded, lowest) > 0 ? round(amount, step, 0) : rounded;
  }

  /** DecimalRate.Proportional: x × a / per, or x / per × a where x × a overflows. */
  function rate(x, a, per) {
    let product;
    try { product = mul(x, a); } catch (e) { if (e instanceof Overflow) return mul(div(x, per), a); throw e; }
    return div(product, per);
  }

  /** A decimal written as text ("12.50", "-3", "1e3" refused): null when it is not a decimal .NET would hold. */
  function parse(text) {
    const t = String(text).trim();
    const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(t);
    if (!match || (match[2] === "" && (match[3] === undefined || match[3] === ""))) return null;
    const frac = match[3] || "";
    let m = BigInt((match[2] || "0") + frac);
    let s = frac.length;
    while (s > 28 && m % 10n === 0n) { m /= 10n; s--; }
    if (s > 28) m = roundDiv(m, pow10(s - 28)), (s = 28);
    if (abs(m) > MAXM) return null;
    return D(match[1] === "-" ? -m : m, s);
  }

  /** A literal of the printed code. */
  const lit = (m, s) => D(BigInt(m), s);

  /** PlanTexts.Number: invariant, no trailing zeros. */
  function text(a) {
    let m = a.m, s = a.s;
    while (s > 0 && m % 10n === 0n) { m /= 10n; s--; }
    const negative = m < 0n;
    let digits = abs(m).toString();
    if (s > 0) {
      digits = digits.padStart(s + 1, "0");
      digits = digits.slice(0, digits.length - s) + "." + digits.slice(digits.length - s);
    }
    return (negative ? "-" : "") + digits;
  }

  /** decimal.ToString(InvariantCulture): every place of the scale kept (QuantityValue's text). */
  function raw(a) {
    const negative = a.m < 0n;
    let digits = abs(a.m).toString();
    if (a.s > 0) {
      digits = digits.padStart(a.s + 1, "0");
      digits = digits.slice(0, digits.length - a.s) + "." + digits.slice(digits.length - a.s);
    }
    return (negative ? "-" : "") + digits;
  }

  /** Quantity.Format(Normalize(value), unit): the printer passes the unit's scale (a product of scaled units is shown
   *  in its base) and what follows the number. */
  const fmt = (value, scale, suffix) => text(scale === null ? value : mul(value, scale)) + suffix;

  /** Amounts.Number: no trailing zeros, grouped by three. */
  function grouped(a) {
    const t = text(a);
    const negative = t.startsWith("-");
    const [int, frac] = (negative ? t.slice(1) : t).split(".");
    const g = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return (negative ? "-" : "") + g + (frac === undefined ? "" : "." + frac);
  }

  // ---------- scaled integers ----------

  /** FixedPoint.TryScale: value × 10^places as a whole number from 0 to max, or null (the decimal path then). */
  function scale(value, places, maxUnits) {
    if (!isQuantity(value)) return null;
    if (value.m === 0n) return 0n;
    if (value.m < 0n) return null;
    let m = value.m;
    if (value.s < places) m *= pow10(places - value.s);
    else if (value.s > places) {
      const p = pow10(value.s - places);
      if (m % p !== 0n) return null;
      m /= p;
    }
    return m > maxUnits ? null : m;
  }
  const units = (u, places) => D(u, places);
  const floorDiv = (a, b) => { const q = a / b; return a % b < 0n ? q - 1n : q; };
  const own = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
  /** A table cell of the scaled path by keys (a missing cell is 0). */
  const cell = (cells, keys) => { const k = keys.join("\u001f"); return own(cells, k) ? cells[k] : 0n; };
  /** A parameter cell by keys, or null when unset (the decimal path then). */
  const lookup = (cells, keys) => { const k = keys.join("\u001f"); return own(cells, k) ? cells[k] : null; };
  const bmin = (a, b) => (b < a ? b : a);
  const bmax = (a, b) => (b > a ? b : a);

  // ---------- facts ----------
  // A fact value: a decimal (quantity), a boolean (yes/no), {date: "yyyy-mm-dd"} (date), a string (a member's key).

  const isQuantity = (v) => v !== null && typeof v === "object" && typeof v.m === "bigint";
  const isDate = (v) => v !== null && typeof v === "object" && typeof v.date === "string";

  /** FactValue's text (QuantityValue, YesNoValue, DateValue, MemberValue). */
  const valueText = (v) => (isQuantity(v) ? raw(v) : typeof v === "boolean" ? (v ? "yes" : "no") : isDate(v) ? v.date : String(v));

  /** Facts.ToString: "name: value, …" in ordinal order of the names. */
  function factsText(facts) {
    const names = Object.keys(facts).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return names.map((n) => n + ": " + valueText(facts[n])).join(", ");
  }

  function given(v) {
    if (isQuantity(v)) return "the quantity " + raw(v);
    if (typeof v === "boolean") return "yes/no " + (v ? "yes" : "no");
    if (isDate(v)) return "the date " + v.date;
    if (typeof v === "string") return "the member '" + v + "'";
    return "an unknown value";
  }

  /** Validity.Reason: why an application so dated is not paid, or null. */
  function validity(date, pf, pt, rf, rt) {
    const outside = (f, t) => f !== null && t !== null && (date < f || date > t);
    // §30.3: an open-ended validity ends on the last date there is.
    const say = (whose, f, t) => "dated " + date + ", outside the " + whose + "'s validity " + f + (t === LAST_DATE ? " onwards (no end)" : " through " + t);
    return outside(pf, pt) ? say("policy", pf, pt) : outside(rf, rt) ? say("rule", rf, rt) : null;
  }

  // ---------- dates (runtime/EventWindows.cs, §27) ----------
  // A date is its text "yyyy-mm-dd" (years 0001..9999, as DateOnly holds them): the text's order is the dates' order.

  const pad = (n, w) => String(n).padStart(w, "0");
  const dateText = (y, m, d) => pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2);
  const dateParts = (t) => ({ y: Number(t.slice(0, 4)), m: Number(t.slice(5, 7)), d: Number(t.slice(8, 10)) });
  const leap = (y) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const daysIn = (y, m) => (m === 2 ? (leap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31);
  const FIRST_DATE = "0001-01-01", LAST_DATE = "9999-12-31";

  /** EventWindows.AddMonths: months after (before, when negative) the date, the day kept or the month's last day, held
   *  within the dates a DateOnly has. */
  function addMonths(date, months) {
    const p = dateParts(date);
    const target = (p.y - 1) * 12 + (p.m - 1) + months;
    if (target < 0) return FIRST_DATE;
    if (target >= 9999 * 12) return LAST_DATE;
    const y = Math.floor(target / 12) + 1, m = (target % 12) + 1;
    return dateText(y, m, Math.min(p.d, daysIn(y, m)));
  }

  /** EventWindows.AddYears: 29 February → 28 February, capped at the last date (DateOnly.AddYears throws below year 1). */
  function addYears(date, years) {
    const p = dateParts(date);
    const y = p.y + years;
    if (y > 9999) return LAST_DATE;
    if (y < 1) throw new RangeError("the date " + date + " moved by " + years + " years is before year 1");
    return dateText(y, p.m, Math.min(p.d, daysIn(y, p.m)));
  }

  /** YearStart.YearOf (§30.1): the year a date falls in for a year starting on "mm-dd" (undefined or "01-01": the calendar
   *  year), named by the calendar year it starts in. */
  function yearOf(date, yearStart) {
    const p = dateParts(date);
    if (yearStart === undefined || yearStart === "01-01") return p.y;
    const sm = Number(yearStart.slice(0, 2)), sd = Number(yearStart.slice(3, 5));
    return p.m > sm || (p.m === sm && p.d >= sd) ? p.y : p.y - 1;
  }

  /** EventWindows.Year: the window year (1 = the first) the date falls in for a window starting at the event's date
   *  ("Date": anniversary to anniversary), on 1 January of its year ("YearOf") or of the year after ("YearAfter"); 0 before. */
  function windowYear(date, eventDate, start, yearStart) {
    // "the year of" and "the year after" count in the policy's year (§30.1); from the date itself, anniversaries.
    const a = yearOf(date, yearStart), e = yearOf(eventDate, yearStart);
    switch (start) {
      case "YearOf": return Math.max(0, a - e + 1);
      case "YearAfter": return Math.max(0, a - e);
      default: {
        const ca = dateParts(date).y, ce = dateParts(eventDate).y;
        if (date < eventDate) return 0;
        let years = ca - ce;
        if (date < addYears(eventDate, years)) years--;
        return years + 1;
      }
    }
  }

  /** EventWindow.Derive: the facts with the window year derived from the application's date and the event's date fact
   *  (a given window year replaced); the facts as they are when the event's date is not given. */
  function withWindowYear(facts, date, event, start, yearFact, yearStart) {
    const v = Object.prototype.hasOwnProperty.call(facts, event) ? facts[event] : null;
    if (!isDate(v)) return facts;
    const derived = Object.assign({}, facts);
    derived[yearFact] = D(BigInt(windowYear(date, v.date, start, yearStart)), 0);
    return derived;
  }

  /** §27.7: the facts with the application's date set as the schedule's derived date fact (Rule.WithDate). */
  function withDate(facts, date, dateFact) {
    const derived = Object.assign({}, facts);
    derived[dateFact] = { date };
    return derived;
  }

  /** Instalments.Share and Instalments.Due (runtime): the share due held to 0…1, and the part of the award due now. */
  const instalmentShare = (share) => (share.m < 0n ? ZERO : cmp(share, D(1n, 0)) > 0 ? D(1n, 0) : share);
  const instalmentDue = (amount, share) => mul(amount, instalmentShare(share));

  /** A date operand of a comparison, or the problem that it is none (RuleEvaluator.Compare). */
  const needDate = (d) => { if (d === null) throw new Problem("a date compares with a date"); return d; };
  /** A date operand moved by months (DateShiftExpr). */
  const shiftDate = (d, months) => addMonths(needDate(d), months);
  const dateOrder = (l, r) => (l < r ? -1 : l > r ? 1 : 0);

  /**
   * One evaluation of a rule (RuleEvaluator.Run): the facts, the trace, the problems. R is the rule's description the
   * printer writes (name, facts, texts); the printed body calls these steps in the plan's order.
   */
  class Run {
    constructor(R, facts, trace) {
      this.R = R;
      this.facts = facts;
      this.trace = trace;
      this.problems = [];
    }

    step(kind, description, value) { if (this.trace) this.trace.push({ kind, description, value }); }

    problem(message) {
      this.problems.push(message);
      this.step("Problem", message, "not evaluated");
    }

    result(amount, eligible, computable, boundBy, boundCap, boundLimit) {
      const R = this.R;
      this.step("Result", "award of " + R.name, fmt(amount, R.unitScale, R.unitSuffix));
      return {
        rule: R.name, amount, eligible: eligible && this.problems.length === 0, computable, boundBy,
        boundCap: boundCap || 0, boundLimit: boundLimit || null,
        money: R.perPoint === null ? amount : mul(amount, R.perPoint), problems: this.problems, trace: this.trace,
      };
    }

    /** CheckFacts: every given fact of its declared kind, quantities within [0, at most], members declared. */
    checkFacts() {
      const R = this.R;
      const names = Object.keys(this.facts).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      for (const name of names) {
        const value = this.facts[name];
        const fact = Object.prototype.hasOwnProperty.call(R.facts, name) ? R.facts[name] : null;
        if (fact === null) { this.problem("fact '" + name + "' is not a fact of rule " + R.name); continue; }
        let problem = null;
        switch (fact.kind) {
          case "quantity":
            if (!isQuantity(value)) problem = wrongKind(fact, value);
            else if (value.m < 0n || (fact.atMost !== null && cmp(value, fact.atMost) > 0)) problem = fact.outOfRange;
            break;
          case "yesno": if (typeof value !== "boolean") problem = wrongKind(fact, value); break;
          case "date": if (!isDate(value)) problem = wrongKind(fact, value); break;
          default:
            if (typeof value !== "string") problem = wrongKind(fact, value);
            else if (!fact.members.includes(value)) problem = fact.notAMember;
        }
        if (problem !== null) this.problem(problem);
      }
      return this.problems.length === 0;
    }

    /** The value of a fact, or the problem that it is missing. */
    value(name) {
      const R = this.R;
      if (Object.prototype.hasOwnProperty.call(this.facts, name)) return this.facts[name];
      const fact = Object.prototype.hasOwnProperty.call(R.facts, name) ? R.facts[name] : null;
      if (fact === null) throw new Problem("fact '" + name + "' is not a fact of rule " + R.name);
      throw new Problem("fact " + name + " is missing; expected " + fact.expected);
    }

    /** A quantity fact in base units (× its unit's scale, a decimal multiplication). */
    quantity(name, unitScale) {
      const v = this.value(name);
      if (!isQuantity(v)) throw new Problem("fact " + name + " is not a quantity");
      return mul(v, unitScale);
    }

    yes(name) {
      const v = this.value(name);
      if (typeof v !== "boolean") throw new Problem("fact " + name + " is not yes/no");
      return v;
    }

    key(name) {
      const v = this.value(name);
      if (typeof v !== "string") throw new Problem("fact " + name + " is not a member");
      return v;
    }

    date(name) {
      const v = this.value(name);
      if (!isDate(v)) throw new Problem("fact " + name + " is not a date");
      return v.date;
    }

    /** A parameter cell set by the implementation rules, or the problem that it is unset. */
    parameter(cells, name, keys) {
      const k = keys.join("\u001f");
      if (Object.prototype.hasOwnProperty.call(cells, k)) return cells[k];
      throw new Problem("parameter " + this.R.name + "." + name + (keys.length > 0 ? "[" + keys.join(", ") + "]" : "") +
        " has no value: expected it set by the implementation rules");
    }

    table(cells, name, keys) {
      const k = keys.join("\u001f");
      if (Object.prototype.hasOwnProperty.call(cells, k)) return cells[k];
      throw new Problem("table " + name + " has no case for " + keys.join(", "));
    }

    divide(a, b) {
      if (b.m === 0n) throw new Problem("division by zero in " + this.R.name);
      return div(a, b);
    }

    /** Another rule's award with its facts bound (§9): its problems are this rule's. */
    other(evaluate, name, bound, depth) {
      const result = evaluate(bound, null, depth + 1, []);
      if (result.problems.length > 0) throw new Problem("rule " + name + " could not be evaluated: " + result.problems.join("; "));
      this.step("Formula", "award of " + name + "(" + factsText(bound) + ")", fmt(result.amount, this.R.unitScale, this.R.unitSuffix));
      return result.amount;
    }

    /** What the interpreter catches: a problem, or an overflow. */
    caught(e, computable) {
      if (e instanceof Problem) { this.problem(e.message); return this.result(ZERO, false, computable, null); }
      if (e instanceof Overflow) { this.problem(OVERFLOW); return this.result(ZERO, false, true, null); }
      throw e;
    }
  }

  function wrongKind(fact, value) { return "fact " + fact.name + " is given as " + given(value) + "; expected " + fact.expected; }

  const letv = (value, name) => {
    if (value === undefined) throw new Problem("let " + name + " is read before it is computed");
    return value;
  };

  const unsupported = (what) => { throw new Problem("cannot evaluate " + what + " as a quantity"); };

  /** The rank of a level's member (0 for an undeclared one). */
  const rank = (ranks, key) => (Object.prototype.hasOwnProperty.call(ranks, key) ? ranks[key] : ZERO);

  /** Holds(order, operator). */
  function holds(order, op) {
    switch (op) {
      case ">=": return order >= 0;
      case "<=": return order <= 0;
      case ">": return order > 0;
      case "<": return order < 0;
      case "==": return order === 0;
      default: return order !== 0;
    }
  }

  /** A paid award from the scaled-integer path (Award.Paid): bound is the 1-based cap number, 0 for none. */
  function paid(R, amountUnits, places, bound, boundLimit) {
    const amount = D(amountUnits, places);
    return {
      rule: R.name, amount, eligible: true, computable: true, boundBy: bound === 0 ? null : R.capStated[bound - 1] ?? text(boundLimit) + R.capSuffixes[bound - 1],
      boundCap: bound, boundLimit,
      money: R.perPoint === null ? amount : mul(amount, R.perPoint), problems: [], trace: null, scaled: true,
    };
  }

  function failed(R) {
    return { rule: R.name, amount: ZERO, eligible: false, computable: true, boundBy: null, boundCap: 0, boundLimit: null, money: ZERO, problems: [], trace: null, scaled: true };
  }

  /** Amounts.Money: yuan, in 万元 where the author writes 万元 and the amount is a whole number of hundreds of yuan. */
  function money(yuan, wan, lang) {
    if (wan && cmp(D(abs(yuan.m), yuan.s), D(10000n, 0)) >= 0 && yuan.m % (100n * pow10(yuan.s)) === 0n)
      return grouped(div(yuan, D(10000n, 0))) + (lang === "zh" ? "万元" : " wan yuan");
    return grouped(yuan) + (lang === "zh" ? "元" : " yuan");
  }

  return {
    Problem, Overflow, D, ZERO, lit, add, sub, mul, div, neg, cmp, lt, min, max, floor, whole, round, underCaps, rate, parse, text, raw, fmt,
    grouped, money, scale, units, floorDiv, own, cell, lookup, bmin, bmax, isQuantity, isDate, valueText, factsText, validity, Run, letv, unsupported, rank, holds,
    paid, failed, addMonths, addYears, windowYear, yearOf, withWindowYear, withDate, instalmentShare, instalmentDue, needDate, shiftDate, dateOrder,
  };
})();
if (typeof module !== "undefined") module.exports = PD;
