import { z } from "@hono/zod-openapi";

export const teamSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    memberIds: z.array(z.string()),
    createdAt: z.string(),
  })
  .openapi("Team");

export const createTeamBodySchema = z
  .object({
    name: z.string().trim().min(1, "Name the team.").max(80),
    memberIds: z.array(z.string().uuid()).max(500).default([]),
  })
  .strict()
  .openapi("CreateTeamRequest");

export const updateTeamBodySchema = z
  .object({
    name: z.string().trim().min(1, "Name the team.").max(80).optional(),
    /** Replaces the team's members. */
    memberIds: z.array(z.string().uuid()).max(500).optional(),
  })
  .strict()
  .openapi("UpdateTeamRequest");
