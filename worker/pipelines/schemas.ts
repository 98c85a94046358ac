import { z } from "@hono/zod-openapi";

const nameSchema = z.string().trim().min(1, "Give it a name.").max(80);
const probabilitySchema = z.number().int().min(0).max(100);

const notWonAndLost = (stage: { isWon?: boolean | undefined; isLost?: boolean | undefined }) =>
  !(stage.isWon && stage.isLost);
const wonAndLostMessage = {
  message: "A stage cannot be both won and lost.",
  path: ["isLost"],
};

export const stageSchema = z
  .object({
    id: z.string(),
    pipelineId: z.string(),
    name: z.string(),
    position: z.number().int(),
    probability: z.number().int(),
    isWon: z.boolean(),
    isLost: z.boolean(),
  })
  .openapi("PipelineStage");

export const pipelineSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    isDefault: z.boolean(),
    position: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    stages: z.array(stageSchema),
  })
  .openapi("Pipeline");

const stageInputSchema = z
  .object({
    name: nameSchema,
    probability: probabilitySchema.optional(),
    isWon: z.boolean().optional(),
    isLost: z.boolean().optional(),
  })
  .strict()
  .refine(notWonAndLost, wonAndLostMessage);

export const createPipelineBodySchema = z
  .object({
    name: nameSchema,
    stages: z.array(stageInputSchema).min(1, "Add at least one stage.").max(30),
  })
  .strict()
  .openapi("CreatePipelineRequest");

export const updatePipelineBodySchema = z
  .object({ name: nameSchema.optional(), isDefault: z.boolean().optional() })
  .strict()
  .refine((body) => body.name !== undefined || body.isDefault !== undefined, {
    message: "Send a name or isDefault.",
  })
  .openapi("UpdatePipelineRequest");

/** `position` is the 0-based index the stage takes among its pipeline's stages. */
export const createStageBodySchema = z
  .object({
    name: nameSchema,
    probability: probabilitySchema.optional(),
    isWon: z.boolean().optional(),
    isLost: z.boolean().optional(),
    position: z.number().int().min(0).optional(),
  })
  .strict()
  .refine(notWonAndLost, wonAndLostMessage)
  .openapi("CreateStageRequest");

export const updateStageBodySchema = z
  .object({
    name: nameSchema.optional(),
    probability: probabilitySchema.optional(),
    isWon: z.boolean().optional(),
    isLost: z.boolean().optional(),
    position: z.number().int().min(0).optional(),
  })
  .strict()
  .refine(notWonAndLost, wonAndLostMessage)
  .refine((body) => Object.keys(body).length > 0, { message: "Send at least one field." })
  .openapi("UpdateStageRequest");

export const stageParamsSchema = z.object({
  id: z
    .string()
    .uuid()
    .openapi({ param: { name: "id", in: "path" } }),
  stageId: z
    .string()
    .uuid()
    .openapi({ param: { name: "stageId", in: "path" } }),
});

export type StageInput = z.infer<typeof stageInputSchema>;
export type CreatePipelineBody = z.infer<typeof createPipelineBodySchema>;
export type UpdatePipelineBody = z.infer<typeof updatePipelineBodySchema>;
export type CreateStageBody = z.infer<typeof createStageBodySchema>;
export type UpdateStageBody = z.infer<typeof updateStageBodySchema>;
