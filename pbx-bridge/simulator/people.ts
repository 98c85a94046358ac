import type { Endpoint } from "./pbx";

/** How a phone or an external number reacts when it is dialled. */
export const PARTY_BEHAVIOURS = ["answer", "busy", "no_answer", "unavailable"] as const;
export type PartyBehaviour = (typeof PARTY_BEHAVIOURS)[number];

/** Scenarios may also make a number fail with congestion (outbound_failed). */
export type DialBehaviour = PartyBehaviour | "congestion";

/** The agent desk phones that exist on the simulated PBX. */
export const PHONE_EXTENSIONS: readonly string[] = Array.from({ length: 10 }, (_, index) =>
  String(1001 + index),
);

/** Human and network reaction times, in simulated milliseconds. */
export const TIMING = {
  ringingAfterMs: 300,
  phoneAnswersAfterMs: 3_000,
  numberAnswersAfterMs: 4_000,
  busyAfterMs: 800,
  congestionAfterMs: 800,
  unavailableAfterMs: 100,
  /** A person whose partner hung up hangs up too after this long. */
  lonelyHangupAfterMs: 1_500,
  /** Calls no scenario scripts (click-to-call): the customer hangs up after this long. */
  unscriptedTalkMs: 20_000,
} as const;

export class UnknownPhoneError extends Error {
  override name = "UnknownPhoneError";
}

interface Override {
  readonly behaviour: DialBehaviour;
}

/** Who answers what: per-phone and per-number behaviours, plus temporary scenario overrides. */
export class People {
  private readonly phones = new Map<string, PartyBehaviour>();
  private readonly numbers = new Map<string, DialBehaviour>();
  private readonly allPhoneOverrides: Override[] = [];
  private readonly numberOverrides = new Map<string, Override[]>();

  isPhone(extension: string): boolean {
    return PHONE_EXTENSIONS.includes(extension);
  }

  setPhone(extension: string, behaviour: PartyBehaviour): void {
    if (!this.isPhone(extension))
      throw new UnknownPhoneError(`No phone with extension ${extension}`);
    this.phones.set(extension, behaviour);
  }

  setNumber(number: string, behaviour: PartyBehaviour): void {
    this.numbers.set(number, behaviour);
  }

  /** Makes every phone behave so until the returned release function is called. */
  overrideAllPhones(behaviour: DialBehaviour): () => void {
    return pushOverride(this.allPhoneOverrides, { behaviour });
  }

  /** Makes one number behave so until the returned release function is called. */
  overrideNumber(number: string, behaviour: DialBehaviour): () => void {
    const overrides = this.numberOverrides.get(number) ?? [];
    this.numberOverrides.set(number, overrides);
    return pushOverride(overrides, { behaviour });
  }

  behaviourOf(endpoint: Endpoint): DialBehaviour {
    switch (endpoint.kind) {
      case "phone":
        return (
          this.allPhoneOverrides.at(-1)?.behaviour ??
          this.phones.get(endpoint.extension) ??
          "answer"
        );
      case "number":
        return (
          this.numberOverrides.get(endpoint.number)?.at(-1)?.behaviour ??
          this.numbers.get(endpoint.number) ??
          "answer"
        );
      case "trunk":
        return "answer";
    }
  }

  answerDelayMs(endpoint: Endpoint): number {
    return endpoint.kind === "phone" ? TIMING.phoneAnswersAfterMs : TIMING.numberAnswersAfterMs;
  }
}

function pushOverride(overrides: Override[], override: Override): () => void {
  overrides.push(override);
  return () => {
    const index = overrides.indexOf(override);
    if (index >= 0) overrides.splice(index, 1);
  };
}
