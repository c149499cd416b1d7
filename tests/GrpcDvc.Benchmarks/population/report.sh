# Sourced by run.sh: report pieces the PostgreSQL and SQLite runs share.

# load_summary_head: the report's "Generation + load" heading, the loader's own summary and the first
# rows of its figures table (both runs go on with rows of their own).
load_summary_head() {
  echo
  echo "## Generation + load"
  echo
  echo '```'
  # From the summary on: the command's scheduler logs its start-up lines to stdout first.
  sed -n '/^Population written/,$p' "$work/summary.txt"
  echo '```'
  echo
  echo "| what | figure |"
  echo "|---|---|"
  echo "| generation + load (loader's clock, incl. index and key builds) | ${elapsed} s |"
  echo "| whole command (process start, migrations, load) | $(printf '%.1f' "$load_wall") s |"
}
# lookup_profile_report: the report's note on the 1-caller CPU figure and, with PERF=1, the profile
# section written during the run ($work/profile.md); the same for both databases.
lookup_profile_report() {
  echo
  echo "At 1 caller the server's figure includes what it spends whatever the calls (tiered JIT compilation still"
  echo "under way after the ${warmup} s warm-up, thread-pool spinning, timers), spread over few calls."
  [ "$perf" = 1 ] || return 0
  echo
  echo "### Profile of LookupCitizen at 16 callers"
  echo
  echo "\`perf record -a -g -F 99\` over the whole 16-caller level (after its warm-up), the server with"
  echo "\`DOTNET_PerfMapEnabled=1\`; perf's own cost is in that level's figures above."
  echo
  cat "$work/profile.md"
}
