import { useState } from "react";
import { PhoneIcon } from "../icons";
import { Button, useHydrated } from "../ui";
import { usePhone } from "./phone-context";

/*
 * Click-to-call: rings the member's own phone first, then dials the number; the call bar takes
 * over from there. The API's refusal (no extension, phone system offline) shows beside it.
 * It needs JavaScript and the calls:write permission; otherwise nothing renders.
 */

export function CallButton({
  number,
  contactId = null,
  label,
}: {
  /** What to dial (E.164 when known). */
  number: string;
  contactId?: string | null;
  /** The accessible name's tail, e.g. the number as shown ("Call +1 415 555 0100"). */
  label?: string;
}) {
  const phone = usePhone();
  const hydrated = useHydrated();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!hydrated || !phone?.canCall) return null;
  const busy = phone.liveCalls.length > 0;
  return (
    <>
      <Button
        type="button"
        size="sm"
        variant="secondary"
        pending={pending}
        disabled={pending}
        title={busy ? "You are on a call already" : undefined}
        aria-label={`Call ${label ?? number}`}
        onClick={async () => {
          setPending(true);
          setError(null);
          setError(await phone.placeCall(number, contactId));
          setPending(false);
        }}
      >
        {pending ? null : <PhoneIcon className="size-3.5" />}
        Call
      </Button>
      {error ? (
        <span role="alert" className="basis-full text-xs font-medium text-red-700">
          {error}
        </span>
      ) : null}
    </>
  );
}
