import { describe, expect, it } from "vitest";
import { IndexNames, indexNameProblem, indexPatternOf, indexTemplateProblem, kebabCase, renderIndexName } from "./index-naming.js";

describe("index naming", () => {
  it("turns stream and connector names into lower-case kebab", () => {
    expect(kebabCase("vulnerabilityFindings")).toBe("vulnerability-findings");
    expect(kebabCase("versionControlResources")).toBe("version-control-resources");
    expect(kebabCase("issues")).toBe("issues");
    expect(kebabCase("Prod_EU.1")).toBe("prod-eu-1");
    expect(kebabCase("HTTPServer")).toBe("http-server");
    expect(renderIndexName("wiz-{stream}", { stream: "vulnerabilityFindings", connector: "x" })).toBe("wiz-vulnerability-findings");
    expect(renderIndexName("wiz-{connector}-{stream}", { stream: "auditLogEntries", connector: "Prod_EU" })).toBe("wiz-prod-eu-audit-log-entries");
  });

  it("derives the index template's pattern", () => {
    expect(indexPatternOf("wiz-{stream}")).toBe("wiz-*");
    expect(indexPatternOf("wiz-{connector}-{stream}")).toBe("wiz-*-*");
    expect(indexPatternOf("logs-wiz.{stream}{connector}-default")).toBe("logs-wiz.*-default");
    expect(indexPatternOf("wiz-events")).toBe("wiz-events");
  });

  it("says why a name or naming template is not legal", () => {
    expect(indexNameProblem("wiz-issues")).toBeUndefined();
    expect(indexNameProblem("Wiz-issues")).toMatch(/lower case/);
    expect(indexNameProblem("wiz issues")).toMatch(/a space/);
    expect(indexNameProblem("wiz:issues")).toMatch(/':'/);
    expect(indexNameProblem("_wiz")).toMatch(/must not start/);
    expect(indexNameProblem(".wiz")).toMatch(/hidden or reserved/);
    expect(indexNameProblem("w".repeat(256))).toMatch(/255 bytes/);
    expect(indexTemplateProblem("wiz-{stream}")).toBeUndefined();
    expect(indexTemplateProblem("wiz-{streams}")).toMatch(/unknown placeholder \{streams\}/);
    expect(indexTemplateProblem("{stream}")).toMatch(/fixed text/);
    expect(indexTemplateProblem("Wiz-{stream}")).toMatch(/gives "Wiz-vulnerability-findings", which must be lower case/);
    expect(indexTemplateProblem("wiz-{stream")).toMatch(/unbalanced/);
    expect(indexTemplateProblem("wiz/{stream}")).toMatch(/must not contain '\/'/);
  });

  it("renders each (connector, stream) once, JSON-quoted, and refuses an illegal result", () => {
    const names = new IndexNames("wiz-{connector}-{stream}");
    expect(names.quotedFor("prod", "issues")).toBe('"wiz-prod-issues"');
    expect(names.nameFor("prod", "cloudResources")).toBe("wiz-prod-cloud-resources");
    expect(() => new IndexNames("wiz-{connector}").quotedFor("c".repeat(300), "issues")).toThrow(/255 bytes.*Change the sink's index setting/);
  });
});
