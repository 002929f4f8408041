import { describe, expect, it } from "vitest";
import { compileTimeBudgetedExpression, ExpressionError } from "./time-budgeted-expression.js";

/** A clock the test moves: each read advances it by `step` ms. */
function steppingClock(step: number) {
  let t = 0;
  let reads = 0;
  return {
    now: () => {
      reads += 1;
      t += step;
      return t;
    },
    get reads() {
      return reads;
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<ExpressionError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error("expected the evaluation to fail");
}

describe("time-budgeted JSONata expressions", () => {
  it("a pause that eats one run's budget (GC, cold code) does not fail the evaluation: the warm second run answers", async () => {
    // Read 1 sets the first run's deadline; read 2, the first step's check, lands after a 1 s pause.
    let reads = 0;
    const now = () => {
      reads += 1;
      return reads === 2 ? 1_000 : 0;
    };
    const expression = compileTimeBudgetedExpression("$sum(record.values)", 10, now);
    await expect(expression.evaluate({ record: { values: [1, 2, 3] } })).resolves.toBe(6);
    expect(reads).toBeGreaterThan(3);
    await expect(expression.evaluate({ record: { values: [4] } })).resolves.toBe(4);
  });

  it("an expression slower than its budget on both runs is abandoned with a reason that says what to do", async () => {
    const clock = steppingClock(1);
    const expression = compileTimeBudgetedExpression("$count($map([1..100000], function($v) { $v }))", 5, clock.now);
    const error = await failure(expression.evaluate({}));
    expect(error.reason).toBe("budget");
    expect(error.message).toMatch(/ran past its 5 ms budget twice .*raise expressionBudgetMs/);
    // Abandoned within about a step of the budget on each run, not after 100,000 elements.
    expect(clock.reads).toBeLessThan(40);
    // The expression stays usable for the next record.
    const quick = compileTimeBudgetedExpression("record.n + 1", 5, clock.now);
    await expect(quick.evaluate({ record: { n: 1 } })).resolves.toBe(2);
  });

  it("an evaluation error is not retried and says what failed; a syntax error is refused at compile time", async () => {
    const clock = steppingClock(0);
    const expression = compileTimeBudgetedExpression("$number('x') + $undefinedFunction()", 50, clock.now);
    const error = await failure(expression.evaluate({}));
    expect(error.reason).toBe("evaluation");
    expect(error.message).toMatch(/^the expression failed: /);
    expect(() => compileTimeBudgetedExpression("record.(", 50, clock.now)).toThrow(/does not parse.*jsonata\.org/);
  });
});
