import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { channelSecrets, channels, type WhatsAppChannelSettings } from "../db/inbox-schema";
import { ApiError } from "../lib/errors";
import { requirePermission, type TenantScope } from "../lib/scope";

/*
 * A WhatsApp channel's approved message templates, as Meta lists them
 * (`GET /{waba-id}/message_templates` with the channel's token): what an agent may send when
 * the 24-hour window is closed. Kept in the isolate for five minutes per channel, so opening
 * conversations does not ask Meta each time; a template approved meanwhile shows within that.
 */

export interface TemplateView {
  name: string;
  language: string;
  category: string;
  /** The body's text with its `{{1}}`, `{{2}}`, ... placeholders. */
  body: string;
  /** How many body parameters a send must give. */
  parameterCount: number;
}

const listSchema = z.looseObject({
  data: z.array(
    z.looseObject({
      name: z.string(),
      language: z.string(),
      status: z.string(),
      category: z.string().optional(),
      components: z
        .array(z.looseObject({ type: z.string(), text: z.string().optional() }))
        .optional(),
    }),
  ),
  paging: z
    .looseObject({ next: z.string().optional(), cursors: z.looseObject({}).optional() })
    .optional(),
});

const KEEP_MS = 5 * 60_000;
const kept = new Map<string, { at: number; templates: TemplateView[] }>();

export function parameterCount(body: string): number {
  const numbers = [...body.matchAll(/\{\{(\d+)\}\}/g)].map((match) => Number(match[1]));
  return numbers.length === 0 ? 0 : Math.max(...numbers);
}

export async function listChannelTemplates(
  scope: TenantScope,
  channelId: string,
  graphUrl: string,
): Promise<TemplateView[]> {
  requirePermission(scope.actor, "inbox:write");
  const [channel] = await scope.tx
    .select({ settings: channels.settings, accessToken: channelSecrets.accessToken })
    .from(channels)
    .innerJoin(channelSecrets, eq(channelSecrets.channelId, channels.id))
    .where(
      and(eq(channels.id, channelId), eq(channels.type, "whatsapp"), isNull(channels.deletedAt)),
    );
  if (!channel) throw ApiError.notFound("WhatsApp channel");
  const cached = kept.get(channelId);
  if (cached && Date.now() - cached.at < KEEP_MS) return cached.templates;
  if (!channel.accessToken) return [];
  const { wabaId } = channel.settings as WhatsAppChannelSettings;
  const templates: TemplateView[] = [];
  let next: string | undefined =
    `${graphUrl}/${encodeURIComponent(wabaId)}/message_templates?status=APPROVED&limit=100`;
  for (let pages = 0; next && pages < 10; pages += 1) {
    const response: Response = await fetch(next, {
      headers: { authorization: `Bearer ${channel.accessToken}` },
      signal: AbortSignal.timeout(10_000),
    }).catch(() => Response.error());
    const parsed = listSchema.safeParse(await response.json().catch(() => null));
    if (!response.ok || !parsed.success) {
      throw new ApiError(
        503,
        "service_unavailable",
        "Meta did not list this number's templates; try again shortly.",
      );
    }
    for (const template of parsed.data.data) {
      if (template.status !== "APPROVED") continue;
      const body = template.components?.find((part) => part.type === "BODY")?.text ?? "";
      templates.push({
        name: template.name,
        language: template.language,
        category: template.category ?? "UTILITY",
        body,
        parameterCount: parameterCount(body),
      });
    }
    next = parsed.data.paging?.next;
  }
  kept.set(channelId, { at: Date.now(), templates });
  return templates;
}
