import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { NOTIFICATION_KINDS } from "../../../shared/notifications";
import { putPreferencesBodySchema } from "../../../worker/notifications/schemas";
import { listPreferences, savePreferences } from "../../../worker/notifications/service";
import { formFailure, parseForm, readForm } from "../../lib/actions.server";
import { requireUser, runAsUser } from "../../lib/session.server";

/*
 * Settings -> Notifications: where each kind of notification reaches the signed-in person (the
 * bell, the email digest, both, or nowhere). Everyone's own; every role may open it.
 */

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  const preferences = await runAsUser(context, session, listPreferences);
  return json({ preferences }, { headers: session.headers });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireUser(request, context);
  const form = await readForm(request);
  try {
    const body = parseForm(putPreferencesBodySchema, {
      preferences: NOTIFICATION_KINDS.filter((kind) => form.values[kind] !== undefined).map(
        (kind) => ({ kind, channel: form.values[kind] }),
      ),
    });
    const preferences = await runAsUser(context, session, (scope) =>
      savePreferences(scope, body.preferences),
    );
    return json(
      { ok: true as const, message: "Notification settings saved.", preferences },
      { headers: session.headers },
    );
  } catch (error) {
    return formFailure(error, form, session.headers);
  }
}
