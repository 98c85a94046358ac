import { type AriSimulator, startAriSimulator } from "../../simulator/index";
import { StasisTestApp, type TestAppOptions } from "./stasis-test-app";

export const USERNAME = "ari";
export const PASSWORD = "secret";
/** 3 s of phone ringing become 60 ms. */
export const TIME_SCALE = 0.02;

export interface Harness {
  sim: AriSimulator;
  app: StasisTestApp;
  close(): Promise<void>;
}

/** A simulator with the test Stasis app connected to it. */
export async function startHarness(appOptions: Partial<TestAppOptions> = {}): Promise<Harness> {
  const sim = await startAriSimulator({
    username: USERNAME,
    password: PASSWORD,
    timeScale: TIME_SCALE,
  });
  const app = new StasisTestApp({
    url: sim.url,
    username: USERNAME,
    password: PASSWORD,
    ...appOptions,
  });
  await app.connect();
  return {
    sim,
    app,
    close: async () => {
      app.close();
      await sim.close();
    },
  };
}

/** Polls `condition` every 5 ms until it holds; fails after `timeoutMs`. */
export async function eventually(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
