import type { TenantScope } from "../../../worker/lib/scope";
import type { TemplateChoice } from "./inbox-params";

/**
 * A WhatsApp channel's approved templates for the template picker; null while the inbox
 * cannot list them yet (the picker says so).
 */
export async function loadChannelTemplates(
  _scope: TenantScope,
  _channelId: string,
): Promise<TemplateChoice[] | null> {
  return null;
}
