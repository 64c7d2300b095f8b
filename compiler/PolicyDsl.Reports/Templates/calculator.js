// The calculator page's own script: builds the form of the chosen clause from PAGE (written by Calculator.cs), reads the
// facts from the form or the URL fragment (#rule=NAME&FACT=VALUE&date=YYYY-MM-DD), and shows what POLICY (the printed
// rules) computes: the award (data-paid), the cap that bound it (data-bound) and the trace. No network, no storage.
"use strict";
(function () {
  const L = PAGE.labels;
  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) e.setAttribute(k, v);
    for (const c of children) e.append(c);
    return e;
  };
  const today = () => new Date().toISOString().slice(0, 10);
  let current = null;

  function ruleOf(name) { return PAGE.rules.find((r) => r.name === name) || PAGE.rules[0]; }

  /** The form of one rule: a field per fact, with its unit, bounds and the clause's sentence beside them. */
  function build(rule) {
    current = rule;
    $("rule").value = rule.name;
    $("clause-title").textContent = rule.heading;
    $("clause-source").textContent = rule.source;
    $("caps").textContent = rule.caps.length > 0 ? L.Caps + ": " + rule.caps.join("; ") : "";
    const form = $("facts");
    form.replaceChildren();
    for (const f of rule.facts) {
      const id = "fact-" + f.name;
      let input;
      if (f.kind === "yesno") input = el("input", { type: "checkbox", id, "data-fact": f.name });
      else if (f.kind === "date") input = el("input", { type: "date", id, "data-fact": f.name });
      else if (f.kind === "level" || f.kind === "oneof") {
        input = el("select", { id, "data-fact": f.name });
        for (const m of f.members) input.append(el("option", { value: m.key }, m.label));
      } else input = el("input", { type: "text", inputmode: "decimal", id, "data-fact": f.name, placeholder: "0" });
      const hint = [f.unit, f.bounds].filter((x) => x).join(" · ");
      form.append(el("div", { class: "fact" },
        el("label", { for: id }, f.label), input, el("span", { class: "hint" }, hint)));
      input.addEventListener("input", () => compute(true));
      input.addEventListener("change", () => compute(true));
    }
  }

  /** The facts as the form holds them (an empty number is a missing fact; a number that is not one is shown as such). */
  function facts() {
    const out = {};
    for (const f of current.facts) {
      const input = $("fact-" + f.name);
      if (f.kind === "yesno") out[f.name] = input.checked;
      else if (f.kind === "date") { if (input.value) out[f.name] = { date: input.value }; }
      else if (f.kind === "level" || f.kind === "oneof") out[f.name] = input.value;
      else if (input.value.trim() !== "") {
        const d = PD.parse(input.value.replace(/,/g, ""));
        input.classList.toggle("bad", d === null);
        if (d !== null) out[f.name] = d;
      }
    }
    return out;
  }

  /** Evaluates the rule as policyc eval does and shows the result; the fragment then reproduces the case. */
  function compute(remember) {
    const rule = POLICY.rules[current.name];
    const date = $("date").value || today();
    const given = facts();
    const traced = rule.evaluate(given, date, 0, []);
    const award = $("award");
    award.setAttribute("data-paid", PD.text(traced.amount));
    award.setAttribute("data-eligible", String(traced.eligible));
    award.setAttribute("data-computable", String(traced.computable));
    let shown = PAGE.showAward(traced.amount);
    if (traced.problems.length > 0) shown += " — " + L.Problem + ": " + traced.problems.join("; ");
    else if (!traced.computable) shown += " — " + L.CaseByCaseNote;
    else if (!traced.eligible) shown += " — " + L.NotEligible;
    award.textContent = shown;
    $("money").textContent = PAGE.perPoint && traced.eligible && traced.computable ? "(" + L.AtMostMoney + " " + PD.money(traced.money, PAGE.wan, PAGE.lang) + ")" : "";
    const bound = $("bound");
    bound.setAttribute("data-bound", traced.boundBy === null ? "" : traced.boundBy);
    const words = traced.boundCap > 0 ? current.capWords[traced.boundCap - 1] : null;
    bound.textContent = traced.boundBy === null ? L.NoCapBinds : L.BoundBy + ": " + words[0] + PAGE.showAward(traced.boundLimit) + words[1];
    const trace = $("trace");
    trace.replaceChildren();
    for (const s of traced.trace)
      trace.append(el("li", { "data-kind": s.kind }, el("span", { class: "kind" }, L["kind." + s.kind] || s.kind), " ", stepWords(s.description), " → ", el("b", {}, valueWords(s.value))));
    if (remember) {
      const parts = ["rule=" + encodeURIComponent(current.name)];
      for (const [k, v] of Object.entries(given)) parts.push(encodeURIComponent(k) + "=" + encodeURIComponent(PD.isQuantity(v) ? PD.raw(v) : PD.isDate(v) ? v.date : String(v)));
      if ($("date").value) parts.push("date=" + $("date").value);
      history.replaceState(null, "", "#" + parts.join("&"));
      $("link").href = location.href;
    }
    return traced;
  }

  /** Opens a case from a fragment: rule=NAME, facts by name (or fact.NAME), yes/no as true/false, members by key, date=. */
  function open(fragment) {
    const params = new URLSearchParams(fragment.replace(/^#/, ""));
    build(ruleOf(params.get("rule")));
    $("date").value = params.get("date") || "";
    for (const [key, value] of params) {
      const name = key.startsWith("fact.") ? key.slice(5) : key;
      const input = document.getElementById("fact-" + name);
      if (!input || key === "rule" || key === "date") continue;
      if (input.type === "checkbox") input.checked = value === "true" || value === "yes";
      else input.value = value;
    }
    return compute(false);
  }

  // A step in the page's language: the plan's fixed texts come translated in PAGE (from StepWords, the one table of step
  // words); a cap whose limit is computed per application by its suffix; an amount in the award unit by its number.
  function stepWords(description) {
    if (PAGE.lang !== "zh" || current === null) return description;
    if (Object.prototype.hasOwnProperty.call(current.steps, description)) return current.steps[description];
    for (const cap of current.capSteps)
      if (description.startsWith("cap ") && description.endsWith(cap.suffix))
        return cap.zh + "（本次为" + description.slice(4, description.length - cap.suffix.length) + PAGE.unitZh + "）";
    return description;
  }

  function valueWords(value) {
    if (PAGE.lang !== "zh") return value;
    if (Object.prototype.hasOwnProperty.call(PAGE.values, value)) return PAGE.values[value];
    if (PAGE.unitEn.length > 0 && value.endsWith(PAGE.unitEn)) return value.slice(0, value.length - PAGE.unitEn.length) + PAGE.unitZh;
    return value;
  }

  const select = $("rule");
  for (const r of PAGE.rules) select.append(el("option", { value: r.name }, r.heading));
  select.addEventListener("change", () => { build(ruleOf(select.value)); compute(true); });
  $("date").addEventListener("change", () => compute(true));
  window.addEventListener("hashchange", () => open(location.hash));
  window.PolicyCalculator = { open, compute };
  open(location.hash);
})();

