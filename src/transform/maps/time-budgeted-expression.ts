import jsonata from "jsonata";

/** JSONata's hook, called on entry to every evaluation step (jsonata 2 looks it up by this symbol). */
const EVALUATE_ENTRY = Symbol.for("jsonata.__evaluate_entry");

export const DEFAULT_EXPRESSION_BUDGET_MS = 25;

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly reason: "syntax" | "budget" | "evaluation",
  ) {
    super(message);
    this.name = "ExpressionError";
  }
}

export interface TimeBudgetedExpression {
  readonly source: string;
  readonly budgetMs: number;
  /**
   * Evaluates with the budget; rejects with ExpressionError("budget") when a step starts after it ran out on
   * two runs in a row (see compileTimeBudgetedExpression).
   */
  evaluate(input: unknown): Promise<unknown>;
}

/**
 * A JSONata expression that cannot stall a sync: every evaluation step checks a deadline, so a runaway
 * expression (a huge $map, unbounded recursion) is abandoned within about one step of its budget. JSONata's
 * evaluation only yields to microtasks, so the check is what bounds how long the event loop is held.
 * Evaluations of one expression run one after another (the deadline belongs to the running one).
 *
 * The budget is wall time, so a pause the expression did not cause (a garbage collection, JSONata's code
 * compiling on its first use in the process, a busy machine) can eat it. A run that passes its budget is
 * therefore run once more, warm, and only abandoned if that run passes it too: a slow expression still
 * fails (after at most twice its budget), a one-off pause no longer refuses a map or dead-letters a record.
 */
export function compileTimeBudgetedExpression(source: string, budgetMs = DEFAULT_EXPRESSION_BUDGET_MS, now: () => number = () => performance.now()): TimeBudgetedExpression {
  let expression: ReturnType<typeof jsonata>;
  try {
    expression = jsonata(source);
  } catch (error) {
    const detail = error as { message?: string; position?: number };
    throw new ExpressionError(
      `the expression does not parse: ${detail.message ?? String(error)}${detail.position !== undefined ? ` (at character ${detail.position})` : ""}; check it against the JSONata syntax (jsonata.org).`,
      "syntax",
    );
  }
  let deadline = Number.POSITIVE_INFINITY;
  let steps = 0;
  (expression.assign as (name: unknown, value: unknown) => void)(EVALUATE_ENTRY, () => {
    steps += 1;
    if (now() > deadline) throw new ExpressionError(`the expression ran past its ${budgetMs} ms budget twice (${steps} steps on the second run) and was abandoned; simplify it, or raise expressionBudgetMs if the data really needs it.`, "budget");
  });
  let tail: Promise<unknown> = Promise.resolve();
  const attempt = async (input: unknown): Promise<unknown> => {
    steps = 0;
    deadline = now() + budgetMs;
    try {
      return await expression.evaluate(input);
    } finally {
      deadline = Number.POSITIVE_INFINITY;
    }
  };
  const run = async (input: unknown): Promise<unknown> => {
    try {
      return await attempt(input).catch((error: unknown) => {
        if (error instanceof ExpressionError && error.reason === "budget") return attempt(input);
        throw error;
      });
    } catch (error) {
      if (error instanceof ExpressionError) throw error;
      const detail = error as { message?: string };
      throw new ExpressionError(`the expression failed: ${detail.message ?? String(error)}.`, "evaluation");
    }
  };
  return {
    source,
    budgetMs,
    evaluate(input: unknown): Promise<unknown> {
      const result = tail.then(() => run(input));
      tail = result.catch(() => undefined);
      return result;
    },
  };
}
