import { z } from "@hono/zod-openapi";
import { crmEntitySchema } from "../custom-fields/schemas";

export const searchQuerySchema = z.object({
  q: z.string().trim().min(1, "Type something to search for.").max(200),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const searchResultSchema = z
  .object({
    entity: crmEntitySchema,
    id: z.string(),
    title: z.string(),
    subtitle: z.string().nullable(),
    score: z.number(),
  })
  .openapi("SearchResult");
