import { useEffect, useState } from "react";
import { Button, TextField, useHydrated } from "./ui";

/** A read-only value with a copy button (the button appears once JavaScript runs). */
export function CopyField({ label, value, hint }: { label: string; value: string; hint: string }) {
  const hydrated = useHydrated();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = window.setTimeout(() => setCopied(false), 2000);
    return () => window.clearTimeout(timer);
  }, [copied]);
  return (
    <div className="mt-2 flex items-start gap-2">
      <TextField
        label={label}
        hideLabel
        name={label.toLowerCase().replaceAll(" ", "-")}
        value={value}
        readOnly
        onFocus={(event) => event.currentTarget.select()}
        hint={hint}
        className="min-w-0 flex-1 [&_input]:font-mono [&_input]:text-xs"
      />
      {hydrated ? (
        <Button
          type="button"
          variant="secondary"
          onClick={() => navigator.clipboard.writeText(value).then(() => setCopied(true))}
        >
          {copied ? "Copied" : "Copy"}
          <span className="sr-only"> {label.toLowerCase()}</span>
        </Button>
      ) : null}
    </div>
  );
}
