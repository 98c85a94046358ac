import { z } from "zod";
import type { LiveRecordingJson } from "../ari-json";
import type { Recordings } from "../recordings";
import { sampleRecordingWav } from "../wav";
import { booleanParam, intParam, parseParams } from "./params";
import { RestError, type RestResponse, type Router } from "./router";

/** The simulator stores recordings as WAV only; other formats answer 422 as unknown. */
const SUPPORTED_FORMATS = ["wav"];

const recordParams = z.object({
  name: z.string().min(1, "name is required"),
  format: z.string().min(1, "format is required"),
  recorder_format: z.string().optional(),
  maxDurationSeconds: intParam.pipe(z.number().min(0)).default(0),
  maxSilenceSeconds: intParam.pipe(z.number().min(0)).default(0),
  ifExists: z.enum(["fail", "overwrite", "append"]).default("fail"),
  beep: booleanParam.default(false),
  terminateOn: z.enum(["none", "any", "*", "#"]).default("none"),
});

/** POST /channels/{id}/record and /bridges/{id}/record, after the target was checked. */
export function startRecording(
  recordings: Recordings,
  rawParams: unknown,
  target: { uri: string; audience: ReadonlySet<string> },
): RestResponse {
  const params = parseParams(recordParams, rawParams);
  if (!SUPPORTED_FORMATS.includes(params.format)) {
    throw new RestError(422, "The format specified is unknown on this system");
  }
  if (recordings.isLive(params.name)) {
    throw new RestError(409, "A recording with the same name is currently in progress");
  }
  if (params.ifExists === "fail" && recordings.isStored(params.name)) {
    throw new RestError(409, "A recording with the same name already exists on the system");
  }
  const json: LiveRecordingJson = recordings.start({
    name: params.name,
    format: params.format,
    targetUri: target.uri,
    audience: target.audience,
    maxDurationSeconds: params.maxDurationSeconds,
  });
  return { status: 201, json };
}

export function addRecordingRoutes(router: Router, recordings: Recordings): void {
  router
    .add("POST", "/ari/recordings/live/:recordingName/stop", ({ pathParams }) => {
      if (!recordings.stop(pathParams.recordingName ?? "")) {
        throw new RestError(404, "Recording not found");
      }
      return { status: 204 };
    })
    .add("GET", "/ari/recordings/stored", () => ({
      status: 200,
      json: recordings.storedRecordings(),
    }))
    .add("GET", "/ari/recordings/stored/:recordingName/file", ({ pathParams }) => {
      if (!recordings.isStored(pathParams.recordingName ?? "")) {
        throw new RestError(404, "Recording not found");
      }
      return { status: 200, contentType: "audio/wav", data: sampleRecordingWav() };
    });
}
