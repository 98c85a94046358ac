import { getServerByName } from "partyserver";
import type { Command } from "../../pbx-bridge/src/edge-protocol";
import type { Env } from "../env";
import { ApiError } from "../lib/errors";

/** The organization's PbxGateway Durable Object. */
export function gatewayOf(env: Env, orgId: string) {
  return getServerByName(env.PBX_GATEWAY, orgId);
}

function pbxOffline(): ApiError {
  return new ApiError(
    503,
    "pbx_offline",
    "The phone system is offline: the organization's pbx-bridge is not connected.",
  );
}

/** Refuses up front (503) when the organization's bridge is not connected. */
export async function requireBridgeOnline(env: Env, orgId: string): Promise<void> {
  const gateway = await gatewayOf(env, orgId);
  if (!(await gateway.status()).bridgeOnline) throw pbxOffline();
}

/** Sends a command to the organization's bridge; a failure becomes the API error the user sees. */
export async function runPbxCommand(env: Env, orgId: string, command: Command): Promise<void> {
  const gateway = await gatewayOf(env, orgId);
  const outcome = await gateway.sendCommand(command);
  if (outcome.ok) return;
  switch (outcome.reason) {
    case "offline":
      throw pbxOffline();
    case "timeout":
      throw new ApiError(504, "pbx_timeout", "The phone system did not answer in time.");
    case "failed":
      throw new ApiError(
        outcome.code === "CALL_NOT_FOUND" || outcome.code === "INVALID_STATE" ? 409 : 502,
        "pbx_command_failed",
        `The phone system refused: ${outcome.message}`,
      );
    default:
      return outcome satisfies never;
  }
}

/** After queues or agents change: the bridge gets fresh routing data (if it is connected). */
export async function refreshRouting(env: Env, orgId: string): Promise<void> {
  const gateway = await gatewayOf(env, orgId);
  await gateway.pushRouting();
}

/** A revoked bridge token's bridge is disconnected at once (and shown offline). */
export async function disconnectRevokedBridge(
  env: Env,
  orgId: string,
  tokenId: string,
): Promise<void> {
  const gateway = await gatewayOf(env, orgId);
  await gateway.disconnectToken(tokenId);
}
