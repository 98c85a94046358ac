import { describe, expect, it } from "vitest";
import { SwaggerModels } from "./swagger-validator";

const models = SwaggerModels.load();

const channel = {
  id: "1700000000.1",
  protocol_id: "abc",
  name: "PJSIP/1001-00000001",
  state: "Up",
  caller: { name: "", number: "1001" },
  connected: { name: "", number: "" },
  accountcode: "",
  dialplan: { context: "default", exten: "s", priority: 1, app_name: "", app_data: "" },
  creationtime: "2024-05-01T10:00:00.123+0000",
  language: "en",
};

const stasisStart = {
  type: "StasisStart",
  timestamp: "2024-05-01T10:00:00.123+0000",
  application: "switchboard",
  asterisk_id: "00:11:22:33:44:55",
  args: ["inbound"],
  channel,
};

describe("the Swagger 1.2 model validator", () => {
  it("accepts a valid event, incl. the properties inherited from Event and Message", () => {
    expect(models.validateEvent(stasisStart)).toEqual([]);
  });

  it("reports missing required properties, also in nested models", () => {
    const { args: _args, ...withoutArgs } = stasisStart;
    const { number: _number, ...callerWithoutNumber } = channel.caller;
    const event = { ...withoutArgs, channel: { ...channel, caller: callerWithoutNumber } };
    expect(models.validateEvent(event)).toEqual([
      "$.args: required by StasisStart, missing",
      "$.channel.caller.number: required by CallerID, missing",
    ]);
  });

  it("reports properties the model does not declare", () => {
    expect(models.validateEvent({ ...stasisStart, extra: 1 })).toEqual([
      "$.extra: not a property of StasisStart",
    ]);
  });

  it("checks primitive types, lists, dates and allowable values", () => {
    const event = {
      ...stasisStart,
      timestamp: "yesterday",
      args: ["ok", 3],
      channel: { ...channel, state: "Talking", dialplan: { ...channel.dialplan, priority: 1.5 } },
    };
    expect(models.validateEvent(event)).toEqual([
      '$.timestamp: expected Date, got "yesterday"',
      "$.args[1]: expected string, got 3",
      "$.channel.state: Talking not in Down|Rsrved|OffHook|Dialing|Ring|Ringing|Up|Busy|Dialing Offhook|Pre-ring|Unknown",
      "$.channel.dialplan.priority: expected long, got 1.5",
    ]);
  });

  it("refuses objects that are not events", () => {
    expect(models.validateEvent({ type: "Channel" })).toEqual([
      "$.type: Channel is not an Event model",
    ]);
    expect(models.validateEvent("StasisStart")).toEqual(["$: not an event object"]);
  });

  it("validates REST answers against the operation's responseClass", () => {
    expect(models.validateResponse("GET", "/channels", [channel])).toEqual([]);
    expect(models.validateResponse("GET", "/channels/{channelId}", { ...channel, id: 7 })).toEqual([
      "$.id: expected string, got 7",
    ]);
    expect(models.validateResponse("POST", "/channels/{channelId}/answer", undefined)).toEqual([]);
    expect(models.documentedErrors("POST", "/channels/{channelId}/answer")).toEqual([
      404, 409, 412,
    ]);
  });
});
