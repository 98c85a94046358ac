import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ariEventSchema, parseAriMessage } from "../../src/ari-events";

/*
 * The bridge's ARI event schemas must only use names that Asterisk's description files define
 * (repo root/../shared/reference/asterisk-ari).
 */

const REFERENCE = resolve(__dirname, "../../../../shared/reference/asterisk-ari");
const modelFileSchema = z.object({
  models: z.record(
    z.string(),
    z.object({ properties: z.record(z.string(), z.object({ type: z.string() })) }),
  ),
});
const models: z.infer<typeof modelFileSchema>["models"] = {};
for (const file of ["events.json", "channels.json", "bridges.json", "recordings.json"]) {
  const json: unknown = JSON.parse(readFileSync(resolve(REFERENCE, file), "utf8"));
  Object.assign(models, modelFileSchema.parse(json).models);
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodNullable) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

/** Field paths the schema uses that the model does not define. */
function unknownFields(schema: z.ZodType, modelName: string, path: string): string[] {
  const inner = unwrap(schema);
  const model = models[modelName];
  if (!(inner instanceof z.ZodObject) || !model) return [];
  return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([key, field]) => {
    if (key === "type") return [];
    const property = model.properties[key];
    if (!property) return [`${path}.${key}`];
    return unknownFields(field, property.type, `${path}.${key}`);
  });
}

describe("ARI event schemas", () => {
  it("use only event and field names from events.json and the nested models", () => {
    for (const option of ariEventSchema.options) {
      const type = option.shape.type.value;
      expect(models[type], `${type} is an ARI event`).toBeDefined();
      expect(unknownFields(option, type, type)).toEqual([]);
    }
  });

  it("sorts frames into handled events, ignored types and invalid input", () => {
    expect(parseAriMessage("not json")).toEqual({ kind: "invalid", reason: "not JSON" });
    expect(parseAriMessage('{"type":"BridgeCreated"}')).toEqual({
      kind: "ignored",
      type: "BridgeCreated",
    });
    expect(parseAriMessage('{"type":"StasisStart","args":[]}')).toMatchObject({ kind: "invalid" });
  });
});
