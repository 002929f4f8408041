// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { buildParameters, fieldsOf, type FormValues, type JsonSchema } from "../logic/schema-form";
import { CheckResults } from "./check-results";
import { ResultView } from "./result-view";
import { SchemaFormFields } from "./schema-form-fields";
import { StateBadge } from "./state-badge";

afterEach(cleanup);

const schema = z.toJSONSchema(
  z.strictObject({
    issueId: z.string().describe("the issue's id"),
    patch: z.strictObject({ status: z.enum(["OPEN", "IN_PROGRESS"]).optional(), note: z.string().optional() }),
    severity: z.array(z.enum(["LOW", "HIGH"])).optional(),
    first: z.number().int().optional(),
  }),
  { io: "input" },
) as JsonSchema;

/** The operations page's use of the generated fields: values in state, parameters built from them. */
function GeneratedForm() {
  const fields = fieldsOf(schema);
  const [values, setValues] = useState<FormValues>({});
  const built = buildParameters(fields, values);
  return (
    <form>
      <SchemaFormFields fields={fields} values={values} problems={built.problems} onChange={(path, value) => setValues((v) => ({ ...v, [path]: value }))} idPrefix="t" />
      <output data-testid="parameters">{JSON.stringify(built.parameters)}</output>
    </form>
  );
}

describe("console components", () => {
  it("a form generated from a JSON Schema: every input has a label, and what is typed becomes the parameters", () => {
    render(<GeneratedForm />);
    expect(screen.getByLabelText("issueId (required)")).toHaveProperty("tagName", "INPUT");
    expect(screen.getByLabelText("issueId (required)").getAttribute("aria-describedby")?.split(" ")).toEqual([screen.getByText("the issue's id").id, screen.getByRole("alert").id]);
    expect(screen.getByRole("alert").textContent).toBe("issueId: required");
    fireEvent.change(screen.getByLabelText("issueId (required)"), { target: { value: "i-1" } });
    fireEvent.change(screen.getByLabelText("status"), { target: { value: "IN_PROGRESS" } });
    fireEvent.change(screen.getByLabelText("note"), { target: { value: "looked at it" } });
    fireEvent.click(screen.getByLabelText("HIGH"));
    fireEvent.change(screen.getByLabelText("first"), { target: { value: "10" } });
    expect(JSON.parse(screen.getByTestId("parameters").textContent ?? "")).toEqual({ issueId: "i-1", patch: { status: "IN_PROGRESS", note: "looked at it" }, severity: ["HIGH"], first: 10 });
    expect(screen.queryByRole("alert")).toBeNull();
    // Every form control is reachable by its label (no unlabelled inputs).
    for (const control of document.querySelectorAll<HTMLInputElement>("input, select, textarea")) expect(control.labels?.length ?? 0, control.outerHTML).toBeGreaterThan(0);
  });

  it("connection checks say PASS, FAIL or SKIP in words, with the fix beside each failure", () => {
    render(
      <CheckResults
        report={{
          ok: false,
          checks: [
            { check: "network", subject: "auth.app.wiz.io", status: "pass", detail: "reachable" },
            { check: "authentication", subject: "client-1", status: "fail", detail: "Wiz refused the client secret", fix: "Copy the secret again from Wiz > Service Accounts" },
            { check: "data", subject: "issues", status: "skip", detail: "authentication failed first" },
          ],
        }}
      />,
    );
    expect(screen.getByRole("status").textContent).toContain("Not connected");
    const rows = screen.getAllByRole("row").slice(1);
    expect(rows.map((r) => within(r).getAllByRole("cell")[2]?.textContent)).toEqual(["PASS", "FAIL", "SKIP"]);
    expect(rows[1]?.textContent).toContain("Fix: Copy the secret again from Wiz > Service Accounts");
  });

  it("a connector's state badge carries the state's word, not only its colour", () => {
    render(<StateBadge state="failed" />);
    const badge = screen.getByText("Failed");
    expect(badge.className).toContain("badge-bad");
    expect(badge.getAttribute("title")).toContain("see the error and its fix");
  });

  it("a result can be read as a table or as JSON", () => {
    render(<ResultView result={{ nodes: [{ id: "a", severity: "HIGH" }] }} label="Result" />);
    expect(within(screen.getByRole("region", { name: "Result as a table" })).getByRole("cell", { name: "HIGH" })).toBeTruthy();
    fireEvent.click(screen.getByLabelText("JSON"));
    expect(JSON.parse(screen.getByLabelText("Result as JSON").textContent ?? "")).toEqual({ nodes: [{ id: "a", severity: "HIGH" }] });
  });
});
