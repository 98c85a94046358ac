import { useEffect, useState } from "react";
import { CloseIcon, MailIcon } from "./icons";
import { cx, focusRing, useHydrated } from "./ui";

const dismissedKey = (userId: string) => `switchboard:verify-email-banner:${userId}`;

function readDismissed(userId: string): boolean {
  try {
    return window.sessionStorage.getItem(dismissedKey(userId)) === "1";
  } catch {
    // Storage can be switched off; the banner then just comes back on the next page load.
    return false;
  }
}

/**
 * A slim line above the page while the person's address is unconfirmed. Dismissing it hides
 * it for the rest of this browser tab's session (sessionStorage), not for good.
 */
export function VerifyEmailBanner({ userId, email }: { userId: string; email: string }) {
  const hydrated = useHydrated();
  const [dismissed, setDismissed] = useState(false);
  useEffect(() => setDismissed(readDismissed(userId)), [userId]);
  if (dismissed) return null;
  const dismiss = () => {
    setDismissed(true);
    try {
      window.sessionStorage.setItem(dismissedKey(userId), "1");
    } catch {
      // See readDismissed.
    }
  };
  return (
    <section
      aria-label="Email confirmation"
      className="flex items-start gap-2.5 border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900 sm:items-center sm:px-6 lg:px-8"
    >
      <MailIcon className="mt-0.5 size-4 shrink-0 text-amber-700 sm:mt-0" />
      <p className="min-w-0 flex-1">
        Confirm your email address: we sent a link to{" "}
        <span className="font-medium break-words">{email}</span>
      </p>
      {hydrated ? (
        <button
          type="button"
          onClick={dismiss}
          className={cx(
            "-my-1 -mr-1.5 shrink-0 rounded-md p-1 text-amber-800 hover:bg-amber-100",
            focusRing,
          )}
        >
          <CloseIcon className="size-4" />
          <span className="sr-only">Dismiss</span>
        </button>
      ) : null}
    </section>
  );
}
