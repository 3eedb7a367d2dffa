import type { Config } from "../config.js";
import { runHealthChecks, type CheckResult, type HealthProbe } from "../services/health/health.js";

const MARK = { ok: "✓", warn: "!", fail: "✗" } as const;

export function formatReport(results: readonly CheckResult[]): string {
  const lines = results.map((r) => `  ${MARK[r.status]} ${r.label}${r.fix === undefined ? "" : `\n      fix: ${r.fix}`}`);
  const failures = results.filter((r) => r.status === "fail").length;
  const summary = failures === 0 ? "Everything vidlib needs is in place." : `${failures} problem(s) found.`;
  return ["vidlib doctor", ...lines, summary].join("\n");
}

/** Prints each check and returns the exit code: non-zero when anything failed. */
export async function doctor(config: Config, probe: HealthProbe, out: (text: string) => void): Promise<number> {
  const results = await runHealthChecks(probe, config);
  out(formatReport(results));
  return results.some((r) => r.status === "fail") ? 1 : 0;
}
