import { z } from "@hono/zod-openapi";

const fieldErrorsSchema = z.record(z.string(), z.array(z.string())).nullable();

export function envelopeSchema<T extends z.ZodType>(data: T) {
  return z.object({
    success: z.boolean(),
    data,
    message: z.string(),
    errors: fieldErrorsSchema,
    meta: z.record(z.string(), z.unknown()).nullable(),
  });
}

export const errorEnvelopeSchema = z
  .object({
    success: z.literal(false),
    data: z.null(),
    message: z.string(),
    errors: fieldErrorsSchema,
    meta: z.object({ code: z.string(), requestId: z.string() }),
  })
  .openapi("Error");

export function jsonBody<T extends z.ZodType>(schema: T, description = "JSON body") {
  return { required: true, description, content: { "application/json": { schema } } };
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema: envelopeSchema(schema) } } };
}

export const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: errorEnvelopeSchema } },
});

/** The error answers every route may give, in the one envelope. */
export const errorResponses = {
  400: errorResponse("Malformed request"),
  401: errorResponse("Not signed in, or the credential is invalid"),
  403: errorResponse("Signed in but not allowed"),
  404: errorResponse("Not found (or in another organization)"),
  409: errorResponse("Conflicts with the current state"),
  413: errorResponse("Body too large"),
  415: errorResponse("Body is not JSON"),
  422: errorResponse("Validation failed"),
  429: errorResponse("Rate limited"),
} as const;

/** A query parameter listing values of an enum, comma-separated: `status=open,pending`. */
export const csvEnumSchema = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((value) => value.split(",").filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1));

export const idParamSchema = z.object({
  id: z
    .string()
    .uuid()
    .openapi({ param: { name: "id", in: "path" } }),
});

export const bearerSecurity: Array<Record<string, string[]>> = [
  { bearerAuth: [] },
  { cookieAuth: [] },
];
