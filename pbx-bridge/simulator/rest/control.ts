import { z } from "zod";
import type { ChannelJson } from "../ari-json";
import { PARTY_BEHAVIOURS, type PartyBehaviour, UnknownPhoneError } from "../people";
import { type StartedScenario, UnknownScenarioError } from "../scenario-runner";
import { SCENARIO_NAMES, ScenarioParamsError } from "../scenarios";
import { intParam, isPlainObject, parseParams } from "./params";
import { RestError, type Router } from "./router";

/** What the `/_sim/` control API drives (the same operations as the AriSimulator methods). */
export interface SimulatorControls {
  playScenario(name: string, params: unknown): StartedScenario;
  setPhone(extension: string, behaviour: PartyBehaviour): void;
  setNumber(number: string, behaviour: PartyBehaviour): void;
  dropConnections(refuseMs?: number): void;
  channels(): ChannelJson[];
}

const behaviourBody = z.object({ behaviour: z.enum(PARTY_BEHAVIOURS) });
const dropBody = z.object({ refuseMs: intParam.pipe(z.number().min(0)).optional() });

export function addControlRoutes(router: Router, controls: SimulatorControls): void {
  router
    .add("GET", "/_sim/scenarios", () => ({ status: 200, json: SCENARIO_NAMES }))
    .add("POST", "/_sim/scenarios/:name", ({ pathParams, body }) => ({
      status: 201,
      json: playScenario(controls, pathParams.name ?? "", body),
    }))
    .add("POST", "/_sim/phones/:extension", ({ pathParams, params }) => {
      const { behaviour } = parseParams(behaviourBody, params);
      try {
        controls.setPhone(pathParams.extension ?? "", behaviour);
      } catch (error) {
        if (error instanceof UnknownPhoneError) throw new RestError(404, error.message);
        throw error;
      }
      return { status: 204 };
    })
    .add("POST", "/_sim/numbers/:number", ({ pathParams, params }) => {
      const { behaviour } = parseParams(behaviourBody, params);
      controls.setNumber(pathParams.number ?? "", behaviour);
      return { status: 204 };
    })
    .add("POST", "/_sim/drop", ({ params }) => {
      controls.dropConnections(parseParams(dropBody, params).refuseMs);
      return { status: 204 };
    })
    .add("GET", "/_sim/channels", () => ({ status: 200, json: controls.channels() }));
}

function playScenario(controls: SimulatorControls, name: string, body: unknown): StartedScenario {
  if (body !== undefined && !isPlainObject(body)) {
    throw new RestError(400, "The body must be a JSON object of scenario params");
  }
  try {
    return controls.playScenario(name, body);
  } catch (error) {
    if (error instanceof UnknownScenarioError) throw new RestError(404, error.message);
    if (error instanceof ScenarioParamsError) throw new RestError(400, error.message);
    throw error;
  }
}
