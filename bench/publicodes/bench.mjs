// The node peers of the PolicyDsl evaluation benchmark (bench/publicodes.sh runs this):
//   node bench.mjs DIR [--rounds N] [--publicodes-apps N] [--check-only]
// DIR holds what `PolicyDsl.Bench peers DIR` wrote: applications.json (the 10,000 benchmark applications, each rule's
// facts, the ten awards of PolicyDsl's generated code as exact decimal strings) and tongzhou-2026.cjs (the same policy
// printed by PolicyDsl's JavaScript back end). Two implementations, each checked against the exact awards on every
// application before it is timed:
//   - Publicodes 1.10 (tongzhou-2026.publicodes): setSituation(one application's facts) then evaluate each of the ten
//     rules. JS numbers (binary64): an award agrees when it is within 1e-9 points (1e-5 yuan) of the exact award,
//     compared exactly (BigInt); also counted: awards that are the double nearest the exact award, and awards that
//     round (half up) to a different fen (1e-6 points) than the exact one.
//   - PolicyDsl's JavaScript back end (BigInt decimals): POLICY.rules[name].evaluate(facts); the award must equal the
//     exact award digit for digit (trailing zeros aside).
// Timing (the protocol of `PolicyDsl.Bench peers-time`): a warm-up, then rounds of K applications (K doubled until a
// round lasts >= 500 ms, at most all of them; for Publicodes K is fixed, --publicodes-apps), wall and process CPU time (process.cpuUsage: user + system, all threads,
// so V8's GC threads count) per round; the medians, per rule evaluation (one application = ten rule evaluations).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import Engine from 'publicodes'
import { parse as parseYaml } from 'yaml'

const here = dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
const dir = args[0]
if (!dir) {
  console.error('usage: node bench.mjs DIR [--rounds N] [--publicodes-apps N] [--check-only]')
  process.exit(2)
}
const rounds = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 7
const checkOnly = args.includes('--check-only')
// Publicodes takes milliseconds per application: its rounds are the first N applications (default 500, whose awards are
// as often non-zero as all 10,000: 67.9% vs 68.7%); the JS back end's rounds grow to all 10,000.
const publicodesApps = args.includes('--publicodes-apps') ? Number(args[args.indexOf('--publicodes-apps') + 1]) : 500

const data = JSON.parse(readFileSync(join(dir, 'applications.json'), 'utf8'))
const RULES = data.rules
const apps = data.applications

// ---- exact comparison helpers -------------------------------------------------------------------------------
const SCALE = 24
/** A non-negative decimal string as a BigInt of units of 10^-SCALE. */
function exactUnits(text) {
  const [whole, frac = ''] = text.split('.')
  if (frac.length > SCALE) throw new Error('more than ' + SCALE + ' places: ' + text)
  return BigInt(whole + frac.padEnd(SCALE, '0'))
}
/** The exact value of a double (non-negative, < 1e21) in the same units, rounded at 10^-SCALE (toFixed is exact to 100 places). */
const doubleUnits = (x) => exactUnits(x.toFixed(SCALE))
const TOLERANCE = 10n ** BigInt(SCALE - 9) // 1e-9 points
const FEN = 10n ** BigInt(SCALE - 6) // 1e-6 points = 0.01 yuan
const toFen = (units) => (units + FEN / 2n) / FEN // half up (awards are not negative)
/** A decimal string without trailing zeros. */
const norm = (t) => (t.includes('.') ? t.replace(/0+$/, '').replace(/\.$/, '') : t)

function median(values) {
  const s = [...values].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** Times pass(k) (evaluates applications 0..k-1 and returns their total award) with the protocol above. */
function time(name, pass, extra = () => '', fixed = 0) {
  pass(Math.min(apps.length, 50)) // warm-up
  let k = fixed || 50
  for (; !fixed; ) {
    const t0 = process.hrtime.bigint()
    pass(k)
    const ms = Number(process.hrtime.bigint() - t0) / 1e6
    if (ms >= 500 || k >= apps.length) break
    k = Math.min(apps.length, k * 2)
  }
  pass(k) // one more warm-up round at the final size
  const wall = []
  const cpu = []
  let total = 0
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage()
    const t0 = process.hrtime.bigint()
    total = pass(k)
    const ns = Number(process.hrtime.bigint() - t0)
    const c = process.cpuUsage(c0)
    const evaluations = k * RULES.length
    wall.push(ns / evaluations)
    cpu.push(((c.user + c.system) * 1000) / evaluations)
  }
  console.log(`RESULT\t${name}\twall_ns=${median(wall).toFixed(1)}\tcpu_ns=${median(cpu).toFixed(1)}\trounds=${rounds}\tapplications_per_round=${k}\ttotal=${total}${extra()}`)
}

// ---- Publicodes -------------------------------------------------------------------------------------------------
const AWARDS = RULES.map((r) => `${r} . award`)
const engine = new Engine(parseYaml(readFileSync(join(here, 'tongzhou-2026.publicodes'), 'utf8')))
// Each application's situation, built before timing (as the .NET bench converts its facts before timing): yes/no as
// oui/non, quantities as JS numbers.
const situations = apps.map((a) => {
  const s = {}
  for (const rule of RULES)
    for (const [fact, v] of Object.entries(a.facts[rule])) s[`${rule} . ${fact}`] = typeof v === 'boolean' ? (v ? 'oui' : 'non') : Number(v)
  return s
})

function checkPublicodes() {
  let nearest = 0
  let fenDiffers = 0
  let fenExample = ''
  let fenNotTie = 0
  let maxDiff = 0n
  let maxAt = ''
  const bad = []
  for (let i = 0; i < apps.length; i++) {
    engine.setSituation(situations[i])
    for (let r = 0; r < RULES.length; r++) {
      const node = engine.evaluate(AWARDS[r])
      const expected = apps[i].awards[r]
      if (Object.keys(node.missingVariables ?? {}).length) throw new Error(`application ${i} ${RULES[r]}: missing ${Object.keys(node.missingVariables)}`)
      const v = node.nodeValue ?? 0 // null: not applicable
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        bad.push(`application ${i} ${RULES[r]}: PolicyDsl ${expected}, Publicodes ${JSON.stringify(node.nodeValue)}`)
        continue
      }
      if (v === Number(expected)) nearest++
      const e = exactUnits(expected)
      const g = doubleUnits(v)
      const d = e > g ? e - g : g - e
      if (d > maxDiff) {
        maxDiff = d
        maxAt = `application ${i} ${RULES[r]}: PolicyDsl ${expected}, Publicodes ${v}`
      }
      if (d > TOLERANCE) bad.push(`application ${i} ${RULES[r]}: PolicyDsl ${expected}, Publicodes ${v}`)
      if (toFen(e) !== toFen(g) && e % FEN !== FEN / 2n) fenNotTie++
      if (toFen(e) !== toFen(g) && fenDiffers++ === 0)
        fenExample = `application ${i} ${RULES[r]}: PolicyDsl ${expected} (fen ${toFen(e)}), Publicodes ${v} (fen ${toFen(g)})`
    }
  }
  const n = apps.length * RULES.length
  const maxText = (Number(maxDiff) / 10 ** SCALE).toExponential(2)
  console.log(`publicodes agreement: ${n - bad.length} of ${n} rule evaluations within 1e-9 points of PolicyDsl's exact award; ` +
    `${nearest} are the double nearest the exact award; ${fenDiffers} round (half up) to another fen, ${fenDiffers - fenNotTie} of them where the exact award is a tie (half a fen) that the double misses${fenDiffers ? ' (' + fenExample + ')' : ''}; largest difference ${maxText} points (${maxAt})`)
  if (bad.length) {
    console.log(`PUBLICODES DISAGREES on ${bad.length}, the first:\n  ` + bad.slice(0, 10).join('\n  '))
    return false
  }
  return true
}

// ---- PolicyDsl's JavaScript back end ----------------------------------------------------------------------------
const require = createRequire(import.meta.url)
const { PD, POLICY } = require(resolve(dir, 'tongzhou-2026.cjs'))
const jsRules = RULES.map((r) => POLICY.rules[r])
// Facts as the printed rules take them, built before timing: decimals parsed to the runtime's BigInt decimals, the level as its key.
const jsFacts = apps.map((a) =>
  RULES.map((rule) => {
    const o = {}
    for (const [fact, v] of Object.entries(a.facts[rule])) o[fact] = typeof v === 'boolean' ? v : typeof v === 'number' ? String(v) : PD.parse(v)
    return o
  }))

function checkJs() {
  const bad = []
  let scaled = 0
  for (let i = 0; i < apps.length; i++)
    for (let r = 0; r < RULES.length; r++) {
      const result = jsRules[r].evaluate(jsFacts[i][r], null, 0, null)
      if (result.scaled) scaled++
      if (result.problems?.length) bad.push(`application ${i} ${RULES[r]}: problems ${JSON.stringify(result.problems)}`)
      const got = PD.text(result.amount)
      if (norm(got) !== norm(apps[i].awards[r])) bad.push(`application ${i} ${RULES[r]}: PolicyDsl C# ${apps[i].awards[r]}, PolicyDsl JS ${got}`)
    }
  const n = apps.length * RULES.length
  console.log(`js back end agreement: ${n - bad.length} of ${n} rule evaluations equal PolicyDsl's exact award (the scaled BigInt body ran ${scaled})`)
  if (bad.length) {
    console.log(`JS BACK END DISAGREES on ${bad.length}, the first:\n  ` + bad.slice(0, 10).join('\n  '))
    return false
  }
  return true
}

console.log(`node ${process.version}, publicodes ${JSON.parse(readFileSync(join(here, 'node_modules', 'publicodes', 'package.json'), 'utf8')).version}, ${apps.length} applications x ${RULES.length} rules (seed ${data.seed})`)
const agreed = checkPublicodes() & checkJs()
if (!agreed) process.exit(1)
if (checkOnly) process.exit(0)

let setNs = 0
let evalNs = 0
const perRule = new Array(RULES.length).fill(0)
time('Publicodes 1.10.1 (setSituation + evaluate)', (k) => {
  let total = 0
  for (let i = 0; i < k; i++) {
    engine.setSituation(situations[i])
    for (let r = 0; r < RULES.length; r++) total += engine.evaluate(AWARDS[r]).nodeValue ?? 0
  }
  return total
}, undefined, publicodesApps)
// setSituation with { strict: true }: the situation parsed in one parsePublicodes call instead of one per fact (the
// default, strict: false, parses each fact apart to drop invalid ones with a warning); it throws on an invalid value.
time('Publicodes 1.10.1 (setSituation strict + evaluate)', (k) => {
  let total = 0
  for (let i = 0; i < k; i++) {
    engine.setSituation(situations[i], { strict: true })
    for (let r = 0; r < RULES.length; r++) total += engine.evaluate(AWARDS[r]).nodeValue ?? 0
  }
  return total
}, undefined, publicodesApps)
// The same loop with each call timed apart, to say where the time goes (hrtime per call adds ~0.1 µs).
time('Publicodes 1.10.1 (each call timed: setSituation, evaluate)', (k) => {
  let total = 0
  setNs = 0
  evalNs = 0
  perRule.fill(0)
  for (let i = 0; i < k; i++) {
    const t = process.hrtime.bigint()
    engine.setSituation(situations[i])
    const u = process.hrtime.bigint()
    setNs += Number(u - t)
    let v = u
    for (let r = 0; r < RULES.length; r++) {
      total += engine.evaluate(AWARDS[r]).nodeValue ?? 0
      const w = process.hrtime.bigint()
      perRule[r] += Number(w - v)
      v = w
    }
    evalNs += Number(v - u)
  }
  time.k = k
  return total
}, () => `\tsetSituation_ns=${(setNs / (time.k * RULES.length)).toFixed(1)}\tevaluate_ns=${(evalNs / (time.k * RULES.length)).toFixed(1)}`, publicodesApps)
const perRuleSum = perRule.reduce((a, b) => a + b, 0)
console.log('publicodes evaluate per rule, wall µs and share of evaluate (last round of the timed-calls loop): ' +
  RULES.map((r, i) => `${r} ${(perRule[i] / time.k / 1000).toFixed(1)} (${((100 * perRule[i]) / perRuleSum).toFixed(0)}%)`).join(', '))
time('PolicyDsl JS back end (untraced)', (k) => {
  let total = PD.ZERO
  for (let i = 0; i < k; i++) {
    const f = jsFacts[i]
    for (let r = 0; r < RULES.length; r++) total = PD.add(total, jsRules[r].evaluate(f[r], null, 0, null).amount)
  }
  return PD.text(total)
})
