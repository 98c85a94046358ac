import {
  type ActionFunctionArgs,
  type AppLoadContext,
  json,
  type LoaderFunctionArgs,
} from "@remix-run/cloudflare";
import {
  changeName,
  changePassword,
  requestEmailChange,
  resendEmailVerification,
} from "../../../worker/auth/account-settings";
import {
  changeEmailBodySchema,
  changePasswordBodySchema,
  updateMeBodySchema,
} from "../../../worker/auth/schemas";
import { ApiError } from "../../../worker/lib/errors";
import { formFailure, parseForm, readForm } from "../../lib/actions.server";
import { afterCommitFor, requireUser, runAsUser, type UserSession } from "../../lib/session.server";

/*
 * Settings -> Account: the signed-in person's name, sign-in address (verified or not; a change
 * goes through a link to the new address) and password. Everyone's own; reached from the
 * account menu. The work is worker/auth/account-settings.ts, as the API does it.
 */

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  const { user } = session.me;
  return json(
    { user: { name: user.name, email: user.email, emailVerified: user.emailVerified } },
    { headers: session.headers },
  );
}

function linkContext(context: AppLoadContext) {
  const { env, config, meta, database } = context;
  return { env, config, meta, database, afterCommit: afterCommitFor(context) };
}

async function actorOf(context: AppLoadContext, session: UserSession) {
  return runAsUser(context, session, async (scope) => scope.actor);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireUser(request, context);
  const form = await readForm(request);
  const { values } = form;
  const headers = session.headers;
  try {
    switch (form.intent) {
      case "name": {
        const { name } = parseForm(updateMeBodySchema, { name: values.name ?? "" });
        await runAsUser(context, session, (scope) => changeName(scope, name));
        return json(
          { ok: true as const, intent: "name", message: "Your name was saved." },
          { headers },
        );
      }
      case "email": {
        const body = parseForm(changeEmailBodySchema, {
          newEmail: values.newEmail ?? "",
          password: values.password ?? "",
        });
        await requestEmailChange(linkContext(context), await actorOf(context, session), body);
        return json(
          {
            ok: true as const,
            intent: "email",
            message: `Check your new inbox: we sent a link to ${body.newEmail}. Your address changes once you open it (it works for 24 hours).`,
          },
          { headers },
        );
      }
      case "password": {
        const body = parseForm(changePasswordBodySchema, {
          currentPassword: values.currentPassword ?? "",
          newPassword: values.newPassword ?? "",
        });
        await changePassword(linkContext(context), await actorOf(context, session), body);
        return json(
          {
            ok: true as const,
            intent: "password",
            message: "Your password was changed. Your other sessions were signed out.",
          },
          { headers },
        );
      }
      case "resend": {
        const result = await runAsUser(context, session, (scope) =>
          resendEmailVerification(scope, linkContext(context)),
        );
        return json(
          {
            ok: true as const,
            intent: "resend",
            message: result.alreadyVerified
              ? "Your address is already confirmed."
              : "A new confirmation link is on its way to your inbox.",
          },
          { headers },
        );
      }
      default:
        throw ApiError.badRequest("That action is not available on this page.");
    }
  } catch (error) {
    return formFailure(error, form, headers);
  }
}
