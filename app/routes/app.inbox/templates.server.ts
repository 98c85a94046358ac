import type { Config } from "../../../worker/env";
import type { TenantScope } from "../../../worker/lib/scope";
import { listChannelTemplates } from "../../../worker/whatsapp/templates";
import type { TemplateChoice } from "./inbox-params";

/** A WhatsApp channel's approved templates for the template picker (from Meta, kept 5 min). */
export function loadChannelTemplates(
  scope: TenantScope,
  config: Pick<Config, "WHATSAPP_GRAPH_URL">,
  channelId: string,
): Promise<TemplateChoice[]> {
  return listChannelTemplates(scope, channelId, config.WHATSAPP_GRAPH_URL);
}
