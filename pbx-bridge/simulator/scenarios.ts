import { randomInt } from "node:crypto";
import { z } from "zod";
import type { SimChannel } from "./pbx";
import { PHONE_EXTENSIONS } from "./people";
import type { ScenarioRuntime } from "./scenario-runtime";

/** What a started scenario hands back: the calls it placed and the end of its script. */
export interface ScenarioScript {
  channels: SimChannel[];
  done: Promise<void>;
}

export interface Scenario {
  /** Validates the params (throws ScenarioParamsError) and places the first call(s). */
  start(runtime: ScenarioRuntime, rawParams: unknown): ScenarioScript;
}

export class ScenarioParamsError extends Error {
  override name = "ScenarioParamsError";
}

/** How long callers wait for someone to talk to before they give up (simulated ms). */
const CALLER_PATIENCE_MS = 60_000;
/** An agent who hears a busy or failure tone hangs up after this long if the app did not. */
const AGENT_HANGS_UP_ON_TONE_AFTER_MS = 8_000;

const CUSTOMER_NAMES = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Katherine Johnson", ""];

const phoneNumber = z.string().regex(/^\+?[0-9]{3,20}$/, "a phone number (digits, optional +)");
const extension = z
  .string()
  .refine((value) => PHONE_EXTENSIONS.includes(value), "an extension from 1001 to 1010");
const seconds = z.number().positive().max(86_400);

const inboundParams = z.strictObject({
  from: phoneNumber.default(randomCustomerNumber),
  fromName: z
    .string()
    .max(80)
    .default(() => CUSTOMER_NAMES[randomInt(CUSTOMER_NAMES.length)] ?? ""),
  to: phoneNumber.default("+15550100100"),
  queue: z.string().min(1).max(100).nullable().default("support"),
  talkSeconds: seconds.default(20),
});
type InboundParams = z.output<typeof inboundParams>;

const deskParams = z.strictObject({
  extension: extension.default("1001"),
  to: phoneNumber.default(randomCustomerNumber),
  talkSeconds: seconds.default(20),
});

function defineScenario<Schema extends z.ZodType>(
  params: Schema,
  run: (runtime: ScenarioRuntime, params: z.output<Schema>) => ScenarioScript,
): Scenario {
  return {
    start(runtime, rawParams) {
      const parsed = params.safeParse(rawParams ?? {});
      if (!parsed.success) throw new ScenarioParamsError(z.prettifyError(parsed.error));
      return run(runtime, parsed.data);
    },
  };
}

export const SCENARIOS = {
  inbound_answered: defineScenario(
    inboundParams.extend({ hangupBy: z.enum(["customer", "agent"]).default("customer") }),
    (rt, p) => {
      const caller = callFromCustomer(rt, p);
      const hangsUp = p.hangupBy === "agent" ? "peer" : "caller";
      return { channels: [caller], done: talkThenHangUp(rt, caller, p.talkSeconds, hangsUp) };
    },
  ),

  inbound_missed: defineScenario(
    inboundParams.omit({ talkSeconds: true }).extend({ giveUpSeconds: seconds.default(25) }),
    (rt, p) => {
      const releasePhones = rt.people.overrideAllPhones("no_answer");
      const caller = callFromCustomer(rt, p);
      const done = (async () => {
        try {
          if (!(await rt.untilGone(caller, p.giveUpSeconds * 1000))) rt.hangUp(caller);
        } finally {
          releasePhones();
        }
      })();
      return { channels: [caller], done };
    },
  ),

  outbound_desk: defineScenario(deskParams, (rt, p) => {
    const agent = rt.callFromDesk({ extension: p.extension, dialled: p.to, args: ["outbound"] });
    return { channels: [agent], done: talkThenHangUp(rt, agent, p.talkSeconds, "peer") };
  }),

  outbound_busy: defineScenario(deskParams.omit({ talkSeconds: true }), (rt, p) =>
    callThatFails(rt, p, "busy"),
  ),

  outbound_failed: defineScenario(deskParams.omit({ talkSeconds: true }), (rt, p) =>
    callThatFails(rt, p, "congestion"),
  ),

  internal: defineScenario(
    z
      .strictObject({
        from: extension.default("1001"),
        to: extension.default("1002"),
        talkSeconds: seconds.default(20),
      })
      .refine((p) => p.from !== p.to, "from and to must differ"),
    (rt, p) => {
      const caller = rt.callFromDesk({ extension: p.from, dialled: p.to, args: ["internal"] });
      return { channels: [caller], done: talkThenHangUp(rt, caller, p.talkSeconds, "caller") };
    },
  ),

  transfer: defineScenario(inboundParams.extend({ transferTo: extension.optional() }), (rt, p) => {
    const caller = callFromCustomer(rt, p);
    const done = (async () => {
      const agent = await rt.untilTalking(caller, CALLER_PATIENCE_MS);
      if (!agent) return rt.hangUp(caller);
      await rt.sleep((p.talkSeconds * 1000) / 2);
      const target = p.transferTo ?? anotherExtension(agent);
      rt.transferFromPhone(agent, target);
      const isTarget = (peer: SimChannel) =>
        peer.endpoint.kind === "phone" && peer.endpoint.extension === target;
      if (await rt.untilTalking(caller, CALLER_PATIENCE_MS, isTarget)) {
        await rt.sleep((p.talkSeconds * 1000) / 2);
      }
      rt.hangUp(caller);
    })();
    return { channels: [caller], done };
  }),

  hold: defineScenario(inboundParams.extend({ holdSeconds: seconds.default(5) }), (rt, p) => {
    const caller = callFromCustomer(rt, p);
    const done = (async () => {
      const agent = await rt.untilTalking(caller, CALLER_PATIENCE_MS);
      if (!agent) return rt.hangUp(caller);
      await rt.sleep((p.talkSeconds * 1000) / 2);
      rt.holdFromPhone(agent, true);
      await rt.sleep(p.holdSeconds * 1000);
      rt.holdFromPhone(agent, false);
      await rt.sleep((p.talkSeconds * 1000) / 2);
      rt.hangUp(caller);
    })();
    return { channels: [caller], done };
  }),

  long_recorded: defineScenario(
    inboundParams.extend({ talkSeconds: seconds.default(60) }),
    (rt, p) => {
      const caller = callFromCustomer(rt, p, { SWITCHBOARD_RECORD: "yes" });
      return { channels: [caller], done: talkThenHangUp(rt, caller, p.talkSeconds, "caller") };
    },
  ),
} satisfies Record<string, Scenario>;

export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(SCENARIOS, name);
}

function callFromCustomer(
  rt: ScenarioRuntime,
  p: Omit<InboundParams, "talkSeconds">,
  variables: Record<string, string> = {},
): SimChannel {
  const args = p.queue === null ? ["inbound"] : ["inbound", p.queue];
  return rt.callFromTrunk({ from: p.from, fromName: p.fromName, did: p.to, args, variables });
}

/** Waits until the caller talks to someone, lets them talk, then one side hangs up. */
async function talkThenHangUp(
  rt: ScenarioRuntime,
  caller: SimChannel,
  talkSeconds: number,
  hangsUp: "caller" | "peer",
): Promise<void> {
  const peer = await rt.untilTalking(caller, CALLER_PATIENCE_MS);
  if (!peer) return rt.hangUp(caller);
  await rt.sleep(talkSeconds * 1000);
  rt.hangUp(hangsUp === "peer" ? peer : caller);
}

/** An agent dials a number that is busy or fails; the agent hangs up if the app does not. */
function callThatFails(
  rt: ScenarioRuntime,
  p: { extension: string; to: string },
  behaviour: "busy" | "congestion",
): ScenarioScript {
  const releaseNumber = rt.people.overrideNumber(p.to, behaviour);
  const agent = rt.callFromDesk({ extension: p.extension, dialled: p.to, args: ["outbound"] });
  const done = (async () => {
    try {
      if (!(await rt.untilGone(agent, AGENT_HANGS_UP_ON_TONE_AFTER_MS))) rt.hangUp(agent);
    } finally {
      releaseNumber();
    }
  })();
  return { channels: [agent], done };
}

function anotherExtension(agent: SimChannel): string {
  const current = agent.endpoint.kind === "phone" ? agent.endpoint.extension : null;
  return PHONE_EXTENSIONS.find((extension) => extension !== current) ?? "1002";
}

function randomCustomerNumber(): string {
  return `+1555${String(randomInt(10_000_000)).padStart(7, "0")}`;
}
