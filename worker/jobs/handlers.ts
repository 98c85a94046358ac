import { failEmailSend, reopenEmailSend, runEmailSend } from "../email/send";
import type { Config, Env } from "../env";
import { failExportRun, reopenExportRun, runExport } from "../exports/run";
import { failImportChunk, reopenImportChunk, runImportChunk } from "../imports/chunk";
import type { UnitOfWork } from "../lib/unit-of-work";
import { failWhatsAppMedia, reopenWhatsAppMedia, runWhatsAppMedia } from "../whatsapp/media";
import { failWhatsAppSend, reopenWhatsAppSend, runWhatsAppSend } from "../whatsapp/send";
import type { OrgJobMessage } from "./messages";

/** What a job may use beyond its unit of work: the Worker's bindings and configuration. */
export interface JobContext {
  env: Env;
  config: Config;
}

type Handler<M> = (unit: UnitOfWork, job: M) => Promise<void>;

/** What each kind of organization job does, each step inside the job's unit of work. */
interface OrgJobHandlers<M> {
  run: (unit: UnitOfWork, job: M, context: JobContext) => Promise<void>;
  /** Out of retries: whatever waits for the job is told it failed. */
  dead: Handler<M>;
  /** An admin retries it (Settings -> Jobs): whatever it failed is reopened for the new run. */
  reopen: Handler<M>;
}

const orgJobHandlers: {
  [T in OrgJobMessage["type"]]: OrgJobHandlers<Extract<OrgJobMessage, { type: T }>>;
} = {
  "import.chunk": { run: runImportChunk, dead: failImportChunk, reopen: reopenImportChunk },
  "export.run": { run: runExport, dead: failExportRun, reopen: reopenExportRun },
  "whatsapp.send": { run: runWhatsAppSend, dead: failWhatsAppSend, reopen: reopenWhatsAppSend },
  "whatsapp.media": { run: runWhatsAppMedia, dead: failWhatsAppMedia, reopen: reopenWhatsAppMedia },
  "email.send": { run: runEmailSend, dead: failEmailSend, reopen: reopenEmailSend },
};

export function handlersOf<M extends OrgJobMessage>(job: M): OrgJobHandlers<M> {
  return orgJobHandlers[job.type] as unknown as OrgJobHandlers<M>;
}

export function isOrgJob(job: { type: string }): job is OrgJobMessage {
  return job.type in orgJobHandlers;
}
