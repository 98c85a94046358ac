/**
 * bench:pbx's browser-side client, in a worker thread of its own: the simulator and
 * pbx-bridge keep the main thread busy at the throughput phase's pace, which would delay
 * reading frames and inflate what is measured. Each `call.updated` frame is stamped when read
 * (ms since the epoch) and handed to the main thread with the fields the bench uses.
 */
import { parentPort, workerData } from "node:worker_threads";
import WebSocket from "ws";

const { url, accessToken } = workerData;
const now = () => performance.timeOrigin + performance.now();
const socket = new WebSocket(url, { headers: { authorization: `Bearer ${accessToken}` } });
socket.on("open", () => parentPort.postMessage({ kind: "open" }));
socket.on("error", (error) => parentPort.postMessage({ kind: "error", message: String(error) }));
socket.on("message", (data) => {
  const at = now();
  const frame = JSON.parse(String(data));
  if (frame.type !== "call.updated" || !frame.call) return;
  parentPort.postMessage({
    kind: "call.updated",
    at,
    call: { id: frame.call.id, toNumber: frame.call.toNumber, endedAt: frame.call.endedAt },
    trace: frame.trace,
  });
});
parentPort.on("message", (message) => {
  if (message === "close") socket.close();
});
socket.on("close", () => process.exit(0));
