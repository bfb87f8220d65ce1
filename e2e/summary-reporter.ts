import type { FullResult, Reporter, TestCase, TestResult } from "@playwright/test/reporter";

/** One last line after the list reporter, easy to grep in CI logs. */
export default class SummaryReporter implements Reporter {
  private readonly outcomes = new Map<string, ReturnType<TestCase["outcome"]>>();

  onTestEnd(test: TestCase, _result: TestResult) {
    this.outcomes.set(test.id, test.outcome());
  }

  onEnd(result: FullResult) {
    const count = (outcome: string) => [...this.outcomes.values()].filter((o) => o === outcome).length;
    console.log(
      `\ne2e summary: ${count("expected")} passed, ${count("unexpected")} failed, ` +
        `${count("flaky")} flaky, ${count("skipped")} skipped (${this.outcomes.size} total) - ${result.status}`,
    );
  }
}
