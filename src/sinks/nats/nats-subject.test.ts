import { describe, expect, it } from "vitest";
import { compileSubjectTemplate, subjectCovers } from "./nats-subject.js";

describe("NATS subjects", () => {
  it("renders the template with each value as one token and names the subject a stream must capture", () => {
    const subjects = compileSubjectTemplate("wiz.{connector}.{stream}");
    expect(subjects.subjectOf("prod", "issues")).toBe("wiz.prod.issues");
    expect(subjects.subjectOf("eu.west 1>*", "detections")).toBe("wiz.eu_west_1__.detections");
    expect(subjects.subjectOf("", "issues")).toBe("wiz._.issues");
    expect(subjects.capture).toBe("wiz.*.*");
    expect(compileSubjectTemplate("sec.{connector}-x.all").capture).toBe("sec.*.all");
  });

  it("tells whether a stream subject captures every subject of a pattern", () => {
    expect(subjectCovers("wiz.>", "wiz.*.*")).toBe(true);
    expect(subjectCovers(">", "wiz.*.*")).toBe(true);
    expect(subjectCovers("wiz.*.*", "wiz.*.*")).toBe(true);
    expect(subjectCovers("wiz.*.*", "wiz.prod.issues")).toBe(true);
    expect(subjectCovers("wiz.prod.*", "wiz.*.*")).toBe(false);
    expect(subjectCovers("wiz.*", "wiz.*.*")).toBe(false);
    expect(subjectCovers("wiz.*.*.*", "wiz.*.*")).toBe(false);
    expect(subjectCovers("wiz.>", "wiz")).toBe(false);
    expect(subjectCovers("other.>", "wiz.*.*")).toBe(false);
  });
});
