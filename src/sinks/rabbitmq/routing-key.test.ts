import { describe, expect, it } from "vitest";
import { compileRoutingKeyTemplate, eventKindOf } from "./routing-key.js";

describe("routing keys", () => {
  it("renders the template with each value as one word, and binds all of them with *", () => {
    const keys = compileRoutingKeyTemplate("wiz.{connector}.{stream}");
    expect(keys.keyOf("prod", "issues")).toBe("wiz.prod.issues");
    expect(keys.keyOf("eu.west 1#", "cloudResources")).toBe("wiz.eu_west_1_.cloudResources");
    expect(keys.bindingPattern).toBe("wiz.*.*");
    expect(compileRoutingKeyTemplate("sec-{connector}.all").bindingPattern).toBe("*.all");
  });

  it("reads the top-level kind without parsing the event, and falls back to a parse when the shape is unusual", () => {
    expect(eventKindOf('{"id":"a","source":"wiz","kind":"removal","record":{"kind":"x"}}')).toBe("removal");
    expect(eventKindOf('{"record":{"kind":"nested"},"kind":"upsert"}')).toBe("upsert");
    expect(eventKindOf('{"id":"a\\"kind\\":\\"fake","kind":"upsert"}')).toBe("upsert");
    expect(eventKindOf('{"id":"a"}')).toBe("unknown");
    expect(eventKindOf("not json")).toBe("unknown");
  });
});
