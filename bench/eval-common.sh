# Shared by bench/eval-scale.sh and bench/eval-parquet.sh (sourced after they set n): policyc published (Release) and the
# bench built (unless PDSL_NO_BUILD=1), the sorted applications file, the Tongzhou policy, and `measure`.
dir=${PDSL_EVAL_DIR:-/tmp/pdsl-eval}
export PDSL_ARTIFACTS="${PDSL_ARTIFACTS:-/tmp/pdsl-bench}" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mkdir -p "$dir"
# policyc as its tool package gives it on this machine: published for this platform (ReadyToRun where the project says so).
source bench/rid.sh # (from the root: every bench script starts there)
if [[ -z "${PDSL_NO_BUILD:-}" ]]; then
  dotnet publish compiler/policyc -c Release -r "$rid" --self-contained false -o "$PDSL_ARTIFACTS/publish/policyc" -nologo -v q >/dev/null
  dotnet build bench/PolicyDsl.Bench/PolicyDsl.Bench.csproj -c Release -nologo -v q >/dev/null
fi
policyc="$PDSL_ARTIFACTS/publish/policyc/policyc.dll"
bench="$PDSL_ARTIFACTS/bin/PolicyDsl.Bench/release/PolicyDsl.Bench.dll"
sorted="$dir/apps-$n.csv"
[[ -f "$sorted" ]] || dotnet "$bench" csv "$n" "$sorted"
policy=samples/tongzhou-2026/tongzhou-2026.policy; rules=samples/tongzhou-2026/tongzhou-2026.rules

# Runs a command under /usr/bin/time -v; prints "seconds rss_mb".
measure() {
  local log="$dir/time.log"
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || { [[ $? -le 1 ]] || { cat "$log" >&2; exit 1; }; }
  awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,t,":"); s=(n==3)?t[1]*3600+t[2]*60+t[3]:t[1]*60+t[2]} /Maximum resident/{m=$2/1024} END{printf "%.2f %.0f\n", s, m}' "$log"
}
