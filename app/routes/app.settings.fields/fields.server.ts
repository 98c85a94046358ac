import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { CUSTOM_FIELD_ENTITIES, type CustomFieldEntity } from "../../../shared/crm";
import { can } from "../../../worker/auth/permissions";
import {
  createCustomFieldBodySchema,
  updateCustomFieldBodySchema,
} from "../../../worker/custom-fields/schemas";
import {
  createCustomField,
  deleteCustomField,
  listCustomFields,
  updateCustomField,
} from "../../../worker/custom-fields/service";
import { ApiError } from "../../../worker/lib/errors";
import { formFailure, parseForm, readForm } from "../../lib/actions.server";
import { requireUser, runAsUser } from "../../lib/session.server";

/*
 * Settings -> Fields: the loader and action of app/routes/app.settings.fields/route.tsx (which
 * keeps the page and re-exports these).
 */

const entitySchema = z.enum(CUSTOM_FIELD_ENTITIES);

function entityFrom(request: Request): CustomFieldEntity {
  const parsed = entitySchema.safeParse(new URL(request.url).searchParams.get("entity"));
  return parsed.success ? parsed.data : "contact";
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  const entity = entityFrom(request);
  const fields = await runAsUser(context, session, (scope) => listCustomFields(scope, undefined));
  const counts = Object.fromEntries(
    CUSTOM_FIELD_ENTITIES.map((value) => [
      value,
      fields.filter((field) => field.entity === value).length,
    ]),
  ) as Record<CustomFieldEntity, number>;
  return json(
    {
      entity,
      counts,
      fields: fields.filter((field) => field.entity === entity),
      canConfigure: can(session.me.role, entity === "ticket" ? "desk:configure" : "crm:configure"),
    },
    { headers: session.headers },
  );
}

/** A textarea of choices, one per line (blank lines ignored). */
function optionLines(text: string | undefined): string[] {
  return (text ?? "")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

const idForm = z.object({ id: z.string().uuid("Unknown field.") });

export type ActionSuccess = {
  ok: true;
  intent: "create" | "update" | "delete";
  message: string;
  id: string;
};

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireUser(request, context);
  const form = await readForm(request);
  const { values } = form;
  const done = (result: ActionSuccess) => json(result, { headers: session.headers });
  try {
    switch (form.intent) {
      case "create": {
        const options = optionLines(values.options);
        const body = parseForm(createCustomFieldBodySchema, {
          entity: values.entity,
          key: values.key ?? "",
          label: values.label ?? "",
          type: values.type,
          required: values.required === "on",
          ...(options.length > 0 ? { options } : {}),
        });
        const field = await runAsUser(context, session, (scope) => createCustomField(scope, body));
        return done({
          ok: true,
          intent: "create",
          id: field.id,
          message: `Field “${field.label}” added.`,
        });
      }
      case "update": {
        const { id } = parseForm(idForm, values);
        const body = parseForm(updateCustomFieldBodySchema, {
          label: values.label ?? "",
          required: values.required === "on",
          ...(values.hasOptions === "true" ? { options: optionLines(values.options) } : {}),
        });
        const field = await runAsUser(context, session, (scope) =>
          updateCustomField(scope, id, body),
        );
        return done({ ok: true, intent: "update", id, message: `Field “${field.label}” saved.` });
      }
      case "delete": {
        const { id } = parseForm(idForm, values);
        const field = await runAsUser(context, session, (scope) => deleteCustomField(scope, id));
        return done({
          ok: true,
          intent: "delete",
          id,
          message: `Field “${field.label}” deleted, with its values.`,
        });
      }
      default:
        throw ApiError.badRequest("That action is not available on this page.");
    }
  } catch (error) {
    return formFailure(error, form, session.headers);
  }
}
